package issuer

import "errors"

// Errors returned by this package. Input errors wrap ErrInvalidInput and name
// the field, so an API layer can map them to a 422 with the field.
var (
	// ErrInvalidInput means a field of Input failed validation.
	ErrInvalidInput = errors.New("issuer: invalid input")
	// ErrConfig means the Issuer configuration is unusable.
	ErrConfig = errors.New("issuer: invalid configuration")
	// ErrIssuerURL means the issuer URL is not https, has a trailing slash,
	// a path ending in "/", a query, a fragment or user info.
	ErrIssuerURL = errors.New("issuer: issuer must be an https URL without trailing slash, query or fragment")
	// ErrCredentialExpired means the passport or FPR card expires before the
	// document could start, so no document is issued.
	ErrCredentialExpired = errors.New("issuer: passport or FPR card already expired")
	// ErrQRTooLarge means the QR text does not fit QR version 22 at ECC M.
	ErrQRTooLarge = errors.New("issuer: QR text exceeds version 22 at ECC level M")
	// ErrQRText means QR rendering was given text that is not fprl:/ plus digits.
	ErrQRText = errors.New("issuer: QR text must be fprl:/ followed by digits")
	// ErrSign means the signer failed.
	ErrSign = errors.New("issuer: signing failed")
	// ErrStatusList means a status list or its id is unusable.
	ErrStatusList = errors.New("issuer: invalid status list")
	// ErrTrustBundle means a trust bundle cannot be made from what it was
	// given (a JWKS that is not JSON, a list token without exp).
	ErrTrustBundle = errors.New("issuer: cannot make the trust bundle")
	// ErrAllocatorFull means an allocator has no free index left.
	ErrAllocatorFull = errors.New("issuer: status list allocator exhausted")
)
