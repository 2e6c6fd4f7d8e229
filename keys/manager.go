package keys

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Config holds a Manager's dependencies.
type Config struct {
	Store Store
	// KEK is the 32-byte key-encryption key (see ParseKEK, LoadOrCreateKEKFile).
	KEK []byte
	// Now is the clock; every state change is stamped with it.
	Now func() time.Time
}

// Manager generates, rotates and revokes signing keys and publishes the JWKS.
// It is safe for concurrent use; the Store serialises changes.
type Manager struct {
	store Store
	aead  cipher.AEAD
	kek   []byte
	now   func() time.Time

	mu      sync.Mutex
	signers map[string]*Signer // decrypted keys, by kid; decryption is the slow part

	// revocations counts the revocations made through this Manager, so
	// caches of this process's keys can tell they are stale (Revocations).
	revocations atomic.Uint64
}

// NewManager checks cfg and returns a Manager.
func NewManager(cfg Config) (*Manager, error) {
	if cfg.Store == nil || cfg.Now == nil {
		return nil, fmt.Errorf("%w: Store and Now are required", ErrConfig)
	}
	if len(cfg.KEK) != KEKSize {
		return nil, ErrKEKInvalid
	}
	block, err := aes.NewCipher(cfg.KEK)
	if err != nil {
		return nil, ErrKEKInvalid
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, ErrKEKInvalid
	}
	kek := append([]byte(nil), cfg.KEK...)
	return &Manager{store: cfg.Store, aead: aead, kek: kek, now: cfg.Now, signers: map[string]*Signer{}}, nil
}

// DataKey derives a 32-byte key for one purpose from the KEK (HKDF-SHA256,
// the purpose as info), so data the service seals at rest is protected by
// the same secret as the signing keys without ever using the KEK itself
// for it. Each purpose gets an independent key; the same KEK and purpose
// always give the same key.
func (m *Manager) DataKey(purpose string) ([]byte, error) {
	if purpose == "" {
		return nil, fmt.Errorf("%w: a data key needs a purpose", ErrConfig)
	}
	return hkdf.Key(sha256.New, m.kek, nil, "fprlink data key: "+purpose, KEKSize)
}

// Generate creates the first active key. It fails with ErrActiveKeyExists
// when a key is already active, so running it twice is harmless.
func (m *Manager) Generate(ctx context.Context) (Record, error) {
	var created Record
	err := m.store.Update(ctx, func(cur []Record) ([]Record, error) {
		active, err := findActive(cur)
		if err != nil {
			return nil, err
		}
		if active != nil {
			return nil, ErrActiveKeyExists
		}
		created, err = m.newRecord()
		return []Record{created}, err
	})
	return created, err
}

// Rotate makes a new active key and retires the current one in one store
// transaction. The retired key stays in the JWKS until its NotAfter.
func (m *Manager) Rotate(ctx context.Context) (Record, error) {
	var created Record
	err := m.store.Update(ctx, func(cur []Record) ([]Record, error) {
		active, err := findActive(cur)
		if err != nil {
			return nil, err
		}
		if active == nil {
			return nil, ErrNoActiveKey
		}
		created, err = m.newRecord()
		if err != nil {
			return nil, err
		}
		now := created.CreatedAt
		active.State, active.RetiredAt = StateRetired, &now
		return []Record{*active, created}, nil
	})
	return created, err
}

// Revocations counts the keys revoked through this Manager since it was
// made. A cache of the keys compares it with the count at its last load:
// a revocation on this node then takes effect at once, not when the cache
// expires. Revocations made by another process (another node, or
// `fprlink keys revoke`) are not counted; those caches learn of them when
// they expire.
func (m *Manager) Revocations() uint64 { return m.revocations.Load() }

// Revoke marks a key compromised: it leaves the JWKS at once and IsRevoked
// reports it, so online verification fails every document it signed. When
// the revoked key was active a replacement becomes active in the same
// transaction, because issuance must never run on a compromised key; the
// replacement is returned (zero Record otherwise).
func (m *Manager) Revoke(ctx context.Context, kid string) (Record, error) {
	var replacement Record
	err := m.store.Update(ctx, func(cur []Record) ([]Record, error) {
		r, err := find(cur, kid)
		if err != nil {
			return nil, err
		}
		if r.State == StateRevoked {
			return nil, nil
		}
		wasActive := r.State == StateActive
		now := m.now().UTC()
		r.State, r.RevokedAt = StateRevoked, &now
		if !wasActive {
			return []Record{*r}, nil
		}
		replacement, err = m.newRecord()
		return []Record{*r, replacement}, err
	})
	if err == nil {
		m.revocations.Add(1)
		m.mu.Lock()
		delete(m.signers, kid)
		m.mu.Unlock()
	}
	return replacement, err
}

// List returns every key record, oldest first.
func (m *Manager) List(ctx context.Context) ([]Record, error) {
	return m.store.List(ctx)
}

// IsRevoked reports whether kid is revoked. An unknown kid is not revoked;
// the JWKS decides whether it is trusted at all.
func (m *Manager) IsRevoked(ctx context.Context, kid string) (bool, error) {
	recs, err := m.store.List(ctx)
	if err != nil {
		return false, err
	}
	r, err := find(recs, kid)
	if err != nil {
		return false, nil
	}
	return r.State == StateRevoked, nil
}

// RecordIssued notes that kid signed a document expiring at exp, extending
// the key's NotAfter so a later rotation keeps it in the JWKS long enough.
// Call it after every issuance; it writes only when NotAfter grows.
func (m *Manager) RecordIssued(ctx context.Context, kid string, exp time.Time) error {
	return m.store.Update(ctx, func(cur []Record) ([]Record, error) {
		r, err := find(cur, kid)
		if err != nil {
			return nil, err
		}
		if r.NotAfter != nil && !exp.After(*r.NotAfter) {
			return nil, nil
		}
		t := exp.UTC()
		r.NotAfter = &t
		return []Record{*r}, nil
	})
}

func findActive(recs []Record) (*Record, error) {
	var active *Record
	for i := range recs {
		if recs[i].State != StateActive {
			continue
		}
		if active != nil {
			return nil, ErrInvariant
		}
		active = &recs[i]
	}
	return active, nil
}

func find(recs []Record, kid string) (*Record, error) {
	for i := range recs {
		if recs[i].KID == kid {
			return &recs[i], nil
		}
	}
	return nil, ErrKeyNotFound
}
