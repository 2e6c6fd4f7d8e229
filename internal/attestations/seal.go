package attestations

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// The renderings are kept sealed with AES-256-GCM under a key derived from
// the KEK (keys.Manager.DataKey): the PDF prints the verification code,
// which is otherwise kept only as a hash, so a copy of the database or a
// backup must not yield it. The attestation ID and file kind are the
// associated data, so a sealed file cannot be moved to another document.
const sealVersion = 1

// FileKeyPurpose is the keys.Manager.DataKey purpose of the file key.
const FileKeyPurpose = "attestation files"

var errSealed = errors.New("attestations: stored file does not open with this key")

type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (*sealer, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("attestations: file key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

func fileAAD(attestationID, kind string) []byte {
	return []byte("fprlink attestation file\x00" + attestationID + "\x00" + kind)
}

// seal returns version ‖ nonce ‖ ciphertext.
func (s *sealer) seal(attestationID, kind string, plain []byte) ([]byte, error) {
	out := make([]byte, 1+s.aead.NonceSize(), 1+s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, err
	}
	return s.aead.Seal(out, out[1:], plain, fileAAD(attestationID, kind)), nil
}

func (s *sealer) open(attestationID, kind string, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < 1+n || sealed[0] != sealVersion {
		return nil, errSealed
	}
	plain, err := s.aead.Open(nil, sealed[1:1+n], sealed[1+n:], fileAAD(attestationID, kind))
	if err != nil {
		return nil, errSealed
	}
	return plain, nil
}

// sealedRow returns the stored form of a rendering.
func (s *Service) sealedRow(f FileRow) (FileRow, error) {
	content, err := s.files.seal(f.AttestationID, f.Kind, f.Content)
	if err != nil {
		return FileRow{}, err
	}
	f.Content, f.Sealed = content, true
	return f, nil
}

// content opens a stored rendering; rows from before sealing are served
// as they are until SealStoredFiles has sealed them.
func (s *Service) content(f FileRow) ([]byte, error) {
	if !f.Sealed {
		return f.Content, nil
	}
	return s.files.open(f.AttestationID, f.Kind, f.Content)
}

// SealStoredFiles seals every rendering stored in the clear (by a version
// before sealing), a batch per transaction, and returns how many it
// sealed. It is idempotent: the service runs it at start.
func (s *Service) SealStoredFiles(ctx context.Context) (int, error) {
	total := 0
	for {
		var rows []FileRow
		err := s.db.Gorm.WithContext(ctx).Where("NOT sealed").Order("attestation_id, kind").Limit(100).Find(&rows).Error
		if err != nil {
			return total, fmt.Errorf("attestations: find files to seal: %w", err)
		}
		if len(rows) == 0 {
			return total, nil
		}
		err = s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			for _, r := range rows {
				sealed, err := s.sealedRow(r)
				if err != nil {
					return err
				}
				res := tx.Model(&FileRow{}).Where("attestation_id = ? AND kind = ? AND sealed = ?", r.AttestationID, r.Kind, false).
					Updates(map[string]any{"content": sealed.Content, "sealed": true})
				if res.Error != nil {
					return res.Error
				}
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("attestations: seal files: %w", err)
		}
		total += len(rows)
	}
}
