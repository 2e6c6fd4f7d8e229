package accounts

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Argon2Params are the argon2id cost parameters of new hashes. Stored
// hashes carry their own parameters, so raising these later only affects
// new passwords.
type Argon2Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultArgon2 follows the OWASP password storage recommendation for
// argon2id (19 MiB, two passes, one lane): about 20–30 ms per login on one
// core, affordable for us and costly for an offline guesser.
func DefaultArgon2() Argon2Params { return Argon2Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1} }

const (
	saltLen = 16
	keyLen  = 32
)

// hashPassword returns a PHC-format argon2id hash of pw with a fresh salt.
func hashPassword(pw string, p Argon2Params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("accounts: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// verifyPassword reports whether pw matches the PHC hash. A malformed hash
// never matches.
func verifyPassword(pw, encoded string) bool {
	p, salt, key, ok := decodeHash(encoded)
	if !ok {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

func decodeHash(encoded string) (Argon2Params, []byte, []byte, bool) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return Argon2Params{}, nil, nil, false
	}
	var p Argon2Params
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil || n != 3 {
		return Argon2Params{}, nil, nil, false
	}
	// Bounds keep a corrupted row from making us allocate gigabytes.
	if p.MemoryKiB < 8 || p.MemoryKiB > 1<<20 || p.Time < 1 || p.Time > 16 || p.Threads < 1 {
		return Argon2Params{}, nil, nil, false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 || len(key) > 64 {
		return Argon2Params{}, nil, nil, false
	}
	return p, salt, key, true
}

// Password rules.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 128 // argon2 would take more, but nobody types more
)

// CheckPassword applies the password rules: 12 to 128 characters and not
// the username (nor containing it, which is the same guess).
func CheckPassword(username, pw string) error {
	n := utf8.RuneCountInString(pw)
	if !utf8.ValidString(pw) || n < MinPasswordLen || n > MaxPasswordLen {
		return apperr.Invalid("weak_password", "password", i18n.T(
			"The password needs at least 12 characters (and at most 128).", "密码至少需要 12 个字符（最多 128 个）。"))
	}
	u := strings.ToLower(strings.TrimSpace(username))
	if u != "" && strings.Contains(strings.ToLower(pw), u) {
		return apperr.Invalid("password_is_username", "password", i18n.T(
			"The password must not be or contain the username.", "密码不能是用户名，也不能包含用户名。"))
	}
	return nil
}

// NormalizeUsername lower-cases and checks a username: 3 to 32 of a–z,
// 0–9, '.', '_' and '-', starting with a letter or digit.
func NormalizeUsername(s string) (string, error) {
	u := strings.ToLower(strings.TrimSpace(s))
	ok := len(u) >= 3 && len(u) <= 32
	for i := 0; ok && i < len(u); i++ {
		c := u[i]
		alnum := (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
		ok = alnum || (i > 0 && (c == '.' || c == '_' || c == '-'))
	}
	if !ok {
		return "", apperr.Invalid("invalid_username", "username", i18n.T(
			"The username is 3 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit.",
			"用户名为 3 至 32 个字母、数字、'.'、'_' 或 '-'，并以字母或数字开头。"))
	}
	return u, nil
}
