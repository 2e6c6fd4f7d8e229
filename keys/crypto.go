package keys

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"fmt"
)

// aadPrefix binds a ciphertext to its kid (and to this purpose).
const aadPrefix = "fprlink signing key "

// ActiveSigner returns a Signer for the active key.
func (m *Manager) ActiveSigner(ctx context.Context) (*Signer, error) {
	recs, err := m.store.List(ctx)
	if err != nil {
		return nil, err
	}
	active, err := findActive(recs)
	if err != nil {
		return nil, err
	}
	if active == nil {
		return nil, ErrNoActiveKey
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.signers[active.KID]; ok {
		return s, nil
	}
	s, err := m.decrypt(*active)
	if err != nil {
		return nil, err
	}
	m.signers[active.KID] = s
	return s, nil
}

func (m *Manager) newRecord() (Record, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Record{}, fmt.Errorf("keys: generate: %w", err)
	}
	jwk, err := publicJWK(&priv.PublicKey)
	if err != nil {
		return Record{}, err
	}
	pubJSON, err := jwk.MarshalJSON()
	if err != nil {
		return Record{}, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return Record{}, err
	}
	nonce := make([]byte, m.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return Record{}, err
	}
	sealed := m.aead.Seal(nonce, nonce, der, []byte(aadPrefix+jwk.KeyID))
	now := m.now().UTC()
	return Record{
		KID: jwk.KeyID, State: StateActive, CreatedAt: now, ActivatedAt: now,
		PublicJWK: pubJSON, EncryptedPrivateKey: sealed,
	}, nil
}

func (m *Manager) decrypt(r Record) (*Signer, error) {
	ns := m.aead.NonceSize()
	if len(r.EncryptedPrivateKey) < ns {
		return nil, ErrDecrypt
	}
	nonce, ct := r.EncryptedPrivateKey[:ns], r.EncryptedPrivateKey[ns:]
	der, err := m.aead.Open(nil, nonce, ct, []byte(aadPrefix+r.KID))
	if err != nil {
		return nil, ErrDecrypt
	}
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, ErrDecrypt
	}
	priv, ok := key.(*ecdsa.PrivateKey)
	if !ok {
		return nil, ErrUnsupportedKey
	}
	s, err := NewSigner(priv)
	if err != nil {
		return nil, err
	}
	// A record whose kid does not match its key was tampered with.
	if s.KID() != r.KID {
		return nil, ErrDecrypt
	}
	return s, nil
}
