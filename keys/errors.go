package keys

import "errors"

// Errors returned by this package. Callers compare with errors.Is.
var (
	// ErrNoActiveKey means no key is active: generate one first.
	ErrNoActiveKey = errors.New("keys: no active key")
	// ErrActiveKeyExists means Generate was called while a key is active; use Rotate.
	ErrActiveKeyExists = errors.New("keys: an active key already exists")
	// ErrKeyNotFound means no key has the given kid.
	ErrKeyNotFound = errors.New("keys: key not found")
	// ErrKeyRevoked means the key is revoked and must not be used.
	ErrKeyRevoked = errors.New("keys: key revoked")
	// ErrKeyExists means a record with the same kid is already stored.
	ErrKeyExists = errors.New("keys: key already exists")
	// ErrInvariant means the stored records break the single-active-key rule.
	ErrInvariant = errors.New("keys: store holds more than one active key")
	// ErrUnsupportedKey means a key is not an ECDSA P-256 key.
	ErrUnsupportedKey = errors.New("keys: only ECDSA P-256 keys are supported")
	// ErrUnsupportedAlgorithm means a signature algorithm other than ES256 was requested.
	ErrUnsupportedAlgorithm = errors.New("keys: only ES256 is supported")
	// ErrDecrypt means a private key could not be decrypted: wrong KEK or tampered record.
	ErrDecrypt = errors.New("keys: private key decryption failed")
	// ErrKEKInvalid means a key-encryption key is not 32 bytes of base64 or hex.
	ErrKEKInvalid = errors.New("keys: KEK must be 32 bytes, base64 or hex encoded")
	// ErrKEKFilePermissions means a KEK file is readable or writable by others than its owner.
	ErrKEKFilePermissions = errors.New("keys: KEK file must have mode 0600")
	// ErrConfig means a Manager was built without a required dependency.
	ErrConfig = errors.New("keys: invalid configuration")
)
