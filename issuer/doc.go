// Package issuer builds and signs fprlink e-documents: attestations that link
// a permanent resident's passport to their Foreign Permanent Resident ID Card.
//
// It is public API. An Issuer turns plain input structs into the claim set of
// package edoc, compresses it with raw DEFLATE, signs it as a compact JWS with
// the active ES256 key, and writes the QR text. QR (PNG, SVG) and PDF
// rendering are deterministic: the same Document renders to the same bytes.
// Status lists (IETF Token Status List, two bits per entry) are signed here
// too, and IndexPermutation gives status list indexes that do not reveal the
// order in which documents were issued.
//
// The format is fixed by docs/EDOCUMENT.md; relying parties depend on it.
package issuer
