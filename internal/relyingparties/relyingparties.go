// Package relyingparties manages the banks, tax offices, telecom carriers
// and social-security bodies that call the verify API: each has one sector
// and one API key. The key is shown once and stored only as its SHA-256
// hash, with a short public prefix to find the row; a key has 256 random
// bits, so a fast hash is enough (no password stretching needed).
package relyingparties

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
)

// Sector is what a relying party does; it decides which document fields
// the verify API returns to it.
type Sector string

// The sectors.
const (
	SectorBank           Sector = "bank"
	SectorTax            Sector = "tax"
	SectorTelecom        Sector = "telecom"
	SectorSocialSecurity Sector = "social_security"
)

// Sectors lists every sector in a stable order.
var Sectors = []Sector{SectorBank, SectorTax, SectorTelecom, SectorSocialSecurity}

var sectorLabels = map[Sector]i18n.Text{
	SectorBank:           i18n.T("Bank", "银行"),
	SectorTax:            i18n.T("Tax authority", "税务机关"),
	SectorTelecom:        i18n.T("Telecom carrier", "电信运营商"),
	SectorSocialSecurity: i18n.T("Social security", "社会保障机构"),
}

// Label names the sector for people reading who checked their document.
func (s Sector) Label() i18n.Text { return i18n.Label(sectorLabels, s) }

// Valid reports whether s is a known sector.
func (s Sector) Valid() bool {
	for _, k := range Sectors {
		if s == k {
			return true
		}
	}
	return false
}

// Party is a relying party as others may see it; never the key or its
// hash.
type Party struct {
	ID         string
	Name       string
	Sector     Sector
	KeyPrefix  string
	CreatedAt  time.Time
	RotatedAt  *time.Time
	DisabledAt *time.Time
}

// auditedParty is a party as the audit trail records it before and after
// a change. The trail keeps these names for good: readers of old events
// rely on them, whatever the Go fields are called.
type auditedParty struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Sector     Sector     `json:"sector"`
	KeyPrefix  string     `json:"key_prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	RotatedAt  *time.Time `json:"rotated_at,omitempty"`
	DisabledAt *time.Time `json:"disabled_at,omitempty"`
}

func (p Party) audited() auditedParty { return auditedParty(p) }

// WithKey is a party with its new API key, returned only by Create and
// Rotate: the key cannot be recovered later.
type WithKey struct {
	Party
	APIKey string
}

// Row is a relying party as stored.
type Row struct {
	ID         string `gorm:"primaryKey"`
	Name       string
	Sector     string
	KeyPrefix  string
	KeyHash    []byte
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
	RotatedAt  *time.Time
	DisabledAt *time.Time
}

// TableName binds Row to the migrated table.
func (Row) TableName() string { return "relying_parties" }

func (r Row) party() Party {
	return Party{ID: r.ID, Name: r.Name, Sector: Sector(r.Sector), KeyPrefix: r.KeyPrefix,
		CreatedAt: r.CreatedAt.UTC(), RotatedAt: r.RotatedAt, DisabledAt: r.DisabledAt}
}

// Service keeps relying parties.
type Service struct {
	db    *storage.DB
	clock clock.Clock
	keys  *keyCache
}

// KeyCacheTTL is how long an authenticated key is trusted without asking
// the database again. Disabling or rotating a key clears this node's cache
// at once; other nodes follow within KeyCacheTTL.
const KeyCacheTTL = time.Second

// New returns a Service.
func New(db *storage.DB, clk clock.Clock) *Service {
	return &Service{db: db, clock: clk, keys: newKeyCache(KeyCacheTTL)}
}

// Key format: "fprl_" + 10-character prefix + "_" + 52 characters of
// secret, all lower-case base32, so it survives copy and paste and HTTP
// headers unchanged.
const (
	keyScheme  = "fprl_"
	prefixLen  = 10
	secretSize = 32
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

func newKey() (prefix, key string, hash []byte, err error) {
	buf := make([]byte, 6+secretSize)
	if _, err := rand.Read(buf); err != nil {
		return "", "", nil, err
	}
	prefix = strings.ToLower(b32.EncodeToString(buf[:6]))[:prefixLen]
	key = keyScheme + prefix + "_" + strings.ToLower(b32.EncodeToString(buf[6:]))
	sum := sha256.Sum256([]byte(key))
	return prefix, key, sum[:], nil
}

// parseKey returns the prefix of a well-formed key.
func parseKey(key string) (string, bool) {
	rest, ok := strings.CutPrefix(key, keyScheme)
	if !ok || len(rest) != prefixLen+1+52 || rest[prefixLen] != '_' {
		return "", false
	}
	for _, c := range rest {
		if c != '_' && !(c >= 'a' && c <= 'z') && !(c >= '2' && c <= '7') {
			return "", false
		}
	}
	return rest[:prefixLen], true
}

// CreateRequest is a new relying party's name and sector.
type CreateRequest struct {
	Name   string
	Sector Sector
}

// Validate checks the name and sector.
func (r *CreateRequest) Validate() error {
	r.Name = strings.TrimSpace(r.Name)
	var fields []apperr.FieldError
	if n := utf8.RuneCountInString(r.Name); n == 0 || n > 100 || strings.ContainsFunc(r.Name, unicode.IsControl) {
		fields = append(fields, apperr.FieldError{Field: "name", Code: "invalid_name",
			Message: i18n.T("name must be 1 to 100 characters without control characters.", "名称须为 1 至 100 个字符，且不含控制字符。")})
	}
	if !r.Sector.Valid() {
		fields = append(fields, apperr.FieldError{Field: "sector", Code: "invalid_sector",
			Message: i18n.T("sector must be bank, tax, telecom or social_security.", "所属行业须为银行、税务、电信或社会保障之一。")})
	}
	if len(fields) == 0 {
		return nil
	}
	e := apperr.Invalid(fields[0].Code, fields[0].Field, fields[0].Message)
	e.Fields = fields
	return e
}

// Create registers a relying party and returns its API key once.
func (s *Service) Create(ctx context.Context, by audit.Actor, req CreateRequest) (WithKey, error) {
	if err := req.Validate(); err != nil {
		return WithKey{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return WithKey{}, apperr.Internal("relyingparties: id: %w", err)
	}
	prefix, key, hash, err := newKey()
	if err != nil {
		return WithKey{}, apperr.Internal("relyingparties: key: %w", err)
	}
	now := s.clock.Now().UTC()
	row := Row{ID: id.String(), Name: req.Name, Sector: string(req.Sector), KeyPrefix: prefix, KeyHash: hash, CreatedAt: now}
	err = s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("relyingparties: insert: %w", err)
		}
		return audit.Write(tx, now, audit.Entry{Actor: by, Action: "relying_party.create",
			Entity: "relying_party", EntityID: row.ID, After: row.party().audited()})
	})
	if err != nil {
		return WithKey{}, apperr.Internal("relyingparties: create: %w", err)
	}
	return WithKey{Party: row.party(), APIKey: key}, nil
}

// List pages through relying parties in creation order.
func (s *Service) List(ctx context.Context, page paging.Request) (paging.Page[Party], error) {
	q := s.db.Gorm.WithContext(ctx).Order("id").Limit(page.Limit + 1)
	if page.After != "" {
		q = q.Where("id > ?", page.After)
	}
	var rows []Row
	if err := q.Find(&rows).Error; err != nil {
		return paging.Page[Party]{}, apperr.Internal("relyingparties: list: %w", err)
	}
	out := make([]Party, len(rows))
	for i, r := range rows {
		out[i] = r.party()
	}
	return paging.Build(out, page.Limit, func(p Party) string { return p.ID }), nil
}

var errNotFound = apperr.NotFound("relying_party_not_found",
	i18n.T("There is no relying party with this id.", "不存在该核验单位。"))

// Disable stops a party's key from working; it cannot be undone, a new
// party must be created instead, so a leaked key can never come back.
func (s *Service) Disable(ctx context.Context, by audit.Actor, id string) (Party, error) {
	var out Party
	err := s.change(ctx, id, func(tx *gorm.DB, row *Row, now time.Time) error {
		if row.DisabledAt != nil {
			out = row.party()
			return nil
		}
		before := row.party()
		row.DisabledAt = &now
		if err := tx.Model(&Row{}).Where("id = ?", id).Update("disabled_at", now).Error; err != nil {
			return err
		}
		out = row.party()
		return audit.Write(tx, now, audit.Entry{Actor: by, Action: "relying_party.disable",
			Entity: "relying_party", EntityID: id, Before: before.audited(), After: out.audited()})
	})
	return out, err
}

// Rotate replaces a party's key; the old one stops working at once.
func (s *Service) Rotate(ctx context.Context, by audit.Actor, id string) (WithKey, error) {
	var out WithKey
	err := s.change(ctx, id, func(tx *gorm.DB, row *Row, now time.Time) error {
		if row.DisabledAt != nil {
			return apperr.Conflict("relying_party_disabled",
				i18n.T("This relying party is disabled; create a new one instead.", "该核验单位已停用，请新建。"))
		}
		before := row.party()
		prefix, key, hash, err := newKey()
		if err != nil {
			return err
		}
		row.KeyPrefix, row.KeyHash, row.RotatedAt = prefix, hash, &now
		err = tx.Model(&Row{}).Where("id = ?", id).
			Updates(map[string]any{"key_prefix": prefix, "key_hash": hash, "rotated_at": now}).Error
		if err != nil {
			return err
		}
		out = WithKey{Party: row.party(), APIKey: key}
		return audit.Write(tx, now, audit.Entry{Actor: by, Action: "relying_party.rotate_key",
			Entity: "relying_party", EntityID: id, Before: before.audited(), After: out.Party.audited()})
	})
	return out, err
}

func (s *Service) change(ctx context.Context, id string, fn func(*gorm.DB, *Row, time.Time) error) error {
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var rows []Row
		if err := tx.Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return errNotFound
		}
		return fn(tx, &rows[0], s.clock.Now().UTC())
	})
	s.keys.clear()
	if _, typed := apperr.As(err); err != nil && !typed {
		return apperr.Internal("relyingparties: change %s: %w", id, err)
	}
	return err
}

var errBadKey = apperr.Unauthenticated("invalid_api_key",
	i18n.T("The API key is missing, unknown, rotated or disabled.", "API 密钥缺失、无效、已轮换或已停用。"))

// Authenticate returns the enabled party that owns key. Missing, malformed,
// unknown, rotated-away and disabled keys all fail the same way, so the
// answer tells an attacker nothing about which keys exist.
func (s *Service) Authenticate(ctx context.Context, key string) (Party, error) {
	prefix, ok := parseKey(key)
	if !ok {
		return Party{}, errBadKey
	}
	sum := sha256.Sum256([]byte(key))
	now := s.clock.Now()
	if p, ok := s.keys.get(prefix, sum[:], now); ok {
		return p, nil
	}
	var rows []Row
	if err := s.db.Gorm.WithContext(ctx).Where("key_prefix = ?", prefix).Limit(1).Find(&rows).Error; err != nil {
		return Party{}, apperr.Internal("relyingparties: authenticate: %w", err)
	}
	if len(rows) == 0 || subtle.ConstantTimeCompare(sum[:], rows[0].KeyHash) != 1 || rows[0].DisabledAt != nil {
		return Party{}, errBadKey
	}
	s.keys.put(prefix, rows[0].KeyHash, rows[0].party(), now)
	return rows[0].party(), nil
}
