package edoc

import "errors"

// Errors returned while decoding outside input. Each failure has its own
// value so callers can map it without parsing messages.
var (
	// ErrQRPrefix means the QR text does not start with "fprl:/".
	ErrQRPrefix = errors.New("edoc: QR text does not start with " + QRPrefix)
	// ErrQRNonDigit means the numeric part contains a character other than 0-9.
	ErrQRNonDigit = errors.New("edoc: QR text contains a non-digit")
	// ErrQROddLength means the numeric part has an odd number of digits.
	ErrQROddLength = errors.New("edoc: QR text has an odd number of digits")
	// ErrQRPairRange means a digit pair is above 77, which maps to no JWS character.
	ErrQRPairRange = errors.New("edoc: QR digit pair above 77")
	// ErrQRCharacter means a JWS to encode contains a character outside '-'..'z'.
	ErrQRCharacter = errors.New("edoc: character cannot be written as a digit pair")
	// ErrStatusBits means a status list declares a bit size other than 2.
	ErrStatusBits = errors.New("edoc: status list bits must be 2")
	// ErrStatusEncoding means the lst member is not base64url of zlib data.
	ErrStatusEncoding = errors.New("edoc: status list lst is not base64url zlib")
	// ErrStatusTooLarge means the inflated status list exceeds the caller's bound.
	ErrStatusTooLarge = errors.New("edoc: status list too large")
	// ErrStatusIndex means an index lies outside the status list.
	ErrStatusIndex = errors.New("edoc: status list index out of range")
	// ErrStatusValue means a status value does not fit in two bits.
	ErrStatusValue = errors.New("edoc: status value out of range")
)
