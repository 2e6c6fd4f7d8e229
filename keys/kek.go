package keys

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// KEKSize is the size of a key-encryption key: AES-256.
const KEKSize = 32

// ParseKEK decodes a key-encryption key given as standard or URL-safe base64
// (padded or not) or as 64 hex digits, as found in FPRLINK_KEK.
func ParseKEK(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) == 2*KEKSize {
		if b, err := hex.DecodeString(s); err == nil {
			return b, nil
		}
	}
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
	} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == KEKSize {
			return b, nil
		}
	}
	return nil, ErrKEKInvalid
}

// LoadOrCreateKEKFile reads the KEK from path, or creates the file with a new
// random KEK and mode 0600 when it does not exist. It refuses a file that
// group or others can access, because the KEK protects every signing key.
func LoadOrCreateKEKFile(path string) ([]byte, error) {
	kek, err := readKEKFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return kek, err
	}
	kek = make([]byte, KEKSize)
	if _, err := rand.Read(kek); err != nil {
		return nil, fmt.Errorf("keys: generate KEK: %w", err)
	}
	// O_EXCL: if another process created the file meanwhile, use theirs
	// rather than overwrite a KEK that may already encrypt keys.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return readKEKFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("keys: create KEK file: %w", err)
	}
	_, werr := f.WriteString(base64.StdEncoding.EncodeToString(kek) + "\n")
	cerr := f.Close()
	if werr != nil || cerr != nil {
		return nil, fmt.Errorf("keys: write KEK file: %w", errors.Join(werr, cerr))
	}
	return kek, nil
}

func readKEKFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, ErrKEKFilePermissions
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("keys: read KEK file: %w", err)
	}
	return ParseKEK(string(b))
}
