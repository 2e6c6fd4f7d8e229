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
// status list tokens given up front (StaticStatus) or fetched and cached by
// their ttl (HTTPStatus). The network sources take an injected *http.Client;
// every source that depends on time takes an injected clock.
//
// The claims of a checked document are reached through Result's accessors,
// never a field: VerifiedClaims gives them only for a valid document.
//
// Constructors follow one convention. A type with dependencies (a key
// source, a client, a clock) is built by New<Type>(<Type>Options) — New
// takes Options — which checks the required fields and fails with ErrConfig
// naming them. Functions that only read data the caller already holds take
// it positionally: NewStaticKeys(issuer, jwks), LoadStaticKeys(issuer,
// path), ParseJWKS(data) and ParseStatusListToken.
//
// Security notes: only ES256 is accepted, with the algorithm list given to
// the JOSE parser, so "none", HMAC-with-the-public-key and RSA tokens are
// rejected before any key is used. Input is bounded to MaxInputBytes and the
// inflated payload to MaxPayloadBytes, so hostile QR codes cannot exhaust
// memory. Keys are looked up within the token's issuer, so a key trusted for
// one issuer never verifies another's documents.
package verifier
