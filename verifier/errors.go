package verifier

import (
	"errors"

	"github.com/fprlink/fprlink/issuer/edoc"
)

// Failure errors. Every failing or skipped check carries exactly one of
// these in Check.Err; Verify returns the first. Compare with errors.Is.
var (
	// ErrInputTooLarge means the input exceeds MaxInputBytes.
	ErrInputTooLarge = errors.New("verifier: input too large")
	// ErrQRPrefix, ErrQRNonDigit, ErrQROddLength and ErrQRPairRange report
	// malformed QR text.
	ErrQRPrefix    = edoc.ErrQRPrefix
	ErrQRNonDigit  = edoc.ErrQRNonDigit
	ErrQROddLength = edoc.ErrQROddLength
	ErrQRPairRange = edoc.ErrQRPairRange
	// ErrMalformed means the input is not a compact JWS with one signature.
	ErrMalformed = errors.New("verifier: not a compact JWS")
	// ErrAlgorithm means the alg header is not ES256.
	ErrAlgorithm = errors.New("verifier: algorithm is not ES256")
	// ErrType means the typ header is not fprl+jwt.
	ErrType = errors.New("verifier: typ header is not fprl+jwt")
	// ErrCompression means the zip header is missing or not DEF.
	ErrCompression = errors.New("verifier: zip header is not DEF")
	// ErrMissingKID means the kid header is missing.
	ErrMissingKID = errors.New("verifier: kid header missing")
	// ErrInflate means the payload is not raw DEFLATE (RFC 1951) data; a
	// zlib-wrapped payload fails here.
	ErrInflate = errors.New("verifier: payload is not raw DEFLATE")
	// ErrPayloadTooLarge means the payload inflates beyond MaxPayloadBytes.
	ErrPayloadTooLarge = errors.New("verifier: inflated payload too large")
	// ErrClaims means the payload is not the fprlink claim set.
	ErrClaims = errors.New("verifier: payload is not a valid claim set")
	// ErrUnknownIssuer means no keys are trusted for the token's iss.
	ErrUnknownIssuer = errors.New("verifier: issuer not trusted")
	// ErrUnknownKey means the issuer has no key with the token's kid.
	ErrUnknownKey = errors.New("verifier: unknown key id")
	// ErrKeyRevoked means the signing key was revoked (compromised).
	ErrKeyRevoked = errors.New("verifier: signing key revoked")
	// ErrKeyNotValidAtIssue means the key was not valid when the document was issued.
	ErrKeyNotValidAtIssue = errors.New("verifier: key not valid at issue time")
	// ErrKeysUnavailable means the key source could not be reached.
	ErrKeysUnavailable = errors.New("verifier: keys unavailable")
	// ErrSignature means no key with the kid verifies the signature.
	ErrSignature = errors.New("verifier: signature invalid")
	// ErrHighS means the signature's S is above half the group order: a
	// copy of a genuine signature turned into its other valid form, which
	// the issuer never produces.
	ErrHighS = errors.New("verifier: signature is not low-S")
	// ErrAudience means the document is for another sector than the
	// verifier's (or a purpose-bound document names none).
	ErrAudience = errors.New("verifier: document is for another sector")
	// ErrNoSector means the document is purpose-bound but the verifier has
	// no Sector configured to compare it with.
	ErrNoSector = errors.New("verifier: no sector configured")
	// ErrExpired means the document's exp has passed (beyond the leeway).
	ErrExpired = errors.New("verifier: document expired")
	// ErrNotYetValid means the document's nbf is in the future (beyond the leeway).
	ErrNotYetValid = errors.New("verifier: document not yet valid")
	// ErrIssuedInFuture means iat is in the future (beyond the leeway).
	ErrIssuedInFuture = errors.New("verifier: document issued in the future")
	// ErrRevoked means the status list marks the document invalid (revoked).
	ErrRevoked = errors.New("verifier: document revoked")
	// ErrSuspended means the status list marks the document suspended.
	ErrSuspended = errors.New("verifier: document suspended")
	// ErrStatusValue means the status list holds an undefined value (3).
	ErrStatusValue = errors.New("verifier: undefined status value")
	// ErrStatusIndex means the document's index lies outside its status list.
	ErrStatusIndex = errors.New("verifier: status index out of range")
	// ErrStatusURI means the status list URI is not under the issuer.
	ErrStatusURI = errors.New("verifier: status list URI not under issuer")
	// ErrStatusUnavailable means the status list could not be fetched; the
	// status is unknown, never valid.
	ErrStatusUnavailable = errors.New("verifier: status list unavailable")
	// ErrStatusListInvalid means a status list token failed verification
	// (signature, typ, sub, expiry or encoding).
	ErrStatusListInvalid = errors.New("verifier: status list token invalid")
	// ErrStatusListExpired means the status list token is past its exp:
	// the issuer vouches for a list only until then, so the status check
	// fails rather than trusting stale news.
	ErrStatusListExpired = errors.New("verifier: status list expired")
	// ErrBundleExpired means the trust bundle the status came from is past
	// its exp.
	ErrBundleExpired = errors.New("verifier: trust bundle expired")
	// ErrBundleInvalid means a trust bundle failed verification (size,
	// format, typ, signature, issuer or times); ParseBundle wraps it.
	ErrBundleInvalid = errors.New("verifier: trust bundle invalid")
	// ErrNoStatusSource means the verifier has no status source configured.
	ErrNoStatusSource = errors.New("verifier: no status source configured")
	// ErrField means a claim failed a field check; the detail names it.
	ErrField = errors.New("verifier: field check failed")
	// ErrNotVerified marks checks skipped because an earlier one failed.
	ErrNotVerified = errors.New("verifier: skipped after an earlier failure")
	// ErrQRImage means no fprlink QR code could be read from an image.
	ErrQRImage = errors.New("verifier: no QR code found in image")
	// ErrConfig means Options are unusable.
	ErrConfig = errors.New("verifier: invalid options")
)
