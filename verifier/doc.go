// Package verifier checks fprlink e-documents offline. It is public API for
// relying parties — banks, tax offices, telecom carriers, social-security
// bodies — and has no dependency on the issuing service.
//
// A Verifier takes the text of a scanned QR code ("fprl:/…") or a bare
// compact JWS and reports every check it ran — format, algorithm, key,
// signature, time, status and fields — each pass, fail or skip, with a code
// and a detail. A document is valid only when every check passed; in
// particular a document whose status list could not be fetched is reported
// with status "unknown", never as valid.
//
// Keys come from a KeySource: a JWKS file (StaticKeys) or the issuer's
// published JWKS over HTTPS (HTTPKeys). Status comes from a StatusSource:
// status list tokens given up front (StaticStatus; StatusListURIs says
// which a set of documents needs) or fetched and cached by their ttl
// (HTTPStatus). The network sources take an injected *http.Client; every
// source that depends on time takes an injected clock.
//
// An air-gapped verifier works from a trust bundle (ParseBundle,
// LoadBundle): one file, signed by the issuer, holding its JWKS, every
// current status list and the time it was made. A Bundle is both the key
// and the status source, and no network client is involved. A status list
// or bundle past its exp fails the status check; a document whose list
// the bundle lacks is unknown.
//
// An issuer that moved to a new URL keeps one set of keys and lists and
// names every URL it signed under in its JWKS ("issuers", current first).
// StaticKeys, HTTPKeys and Bundle then accept documents naming an earlier
// URL, but only when the JWKS also names the issuer the relying party
// configured, and the verifier reads their status under the current URL.
//
// The claims of a checked document are reached through Result's accessors,
// never a field: VerifiedClaims gives them only for a valid document.
//
// Constructors follow one convention. A type with dependencies (a key
// source, a client, a clock) is built by New<Type>(<Type>Options) — New
// takes Options — which checks the required fields and fails with ErrConfig
// naming them. Functions that only read data the caller already holds take
// it positionally: NewStaticKeys(issuer, jwks), LoadStaticKeys(issuer,
// path), ParseJWKS(data), ParseStatusListToken and StatusListURIs; so do
// ParseBundle and LoadBundle, with their dependencies in BundleOptions.
//
// Security notes: only ES256 is accepted, with the algorithm list given to
// the JOSE parser, so "none", HMAC-with-the-public-key and RSA tokens are
// rejected before any key is used. Input is bounded to MaxInputBytes and the
// inflated payload to MaxPayloadBytes, so hostile QR codes cannot exhaust
// memory. Keys are looked up within the token's issuer, so a key trusted for
// one issuer never verifies another's documents.
package verifier
