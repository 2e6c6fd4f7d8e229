// Package keys manages fprlink's document signing keys.
//
// It is public API. Keys are ECDSA P-256 keys used with ES256; a key's id
// (kid) is its RFC 7638 SHA-256 JWK thumbprint in base64url. Private keys are
// stored encrypted with AES-256-GCM under a 32-byte key-encryption key (KEK)
// that the caller supplies, from the environment or from a 0600 key file.
//
// A key is active (it signs new documents; there is exactly one), retired (it
// no longer signs but stays in the JWKS until the last document it signed has
// expired) or revoked (compromised: it leaves the JWKS and everything it
// signed must fail verification).
//
// Persistence goes through the two-method Store interface so the service can
// back it with its database; MemoryStore serves tests and tools. Signer wraps
// any crypto.Signer, so a hardware module or cloud KMS can replace the
// encrypted file store without touching the issuer.
package keys
