// Package edoc defines the fprlink e-document wire format shared by the
// issuer and by relying parties: the claim set, the protected header
// constants, the numeric QR text encoding and the IETF Token Status List
// bit packing.
//
// It is public API. It has no dependencies beyond the standard library so a
// relying party embedding the verifier does not pull in the issuer's PDF and
// QR rendering code. The format is fixed: relying parties depend on every
// byte of it, so changes here are format changes (see docs/EDOCUMENT.md).
package edoc
