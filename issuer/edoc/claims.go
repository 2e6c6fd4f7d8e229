package edoc

// Protected header values. The header is exactly
// {"alg":"ES256","kid":<thumbprint>,"typ":"fprl+jwt","zip":"DEF"}.
const (
	Algorithm   = "ES256"
	Type        = "fprl+jwt"
	Compression = "DEF"
)

// DocumentType is the "type" claim of the first version of the format: every
// passport and card field, no audience. Such documents are no longer issued
// but verify until they expire.
const DocumentType = "fpr-passport-link"

// DocumentTypePurpose is the "type" claim of the purpose-bound version: the
// aud claim names the sector the document is for and the payload holds only
// that sector's fields (PurposeFields). A verifier that knows only
// DocumentType fails such a document on its fields rather than accept one
// with fields missing.
const DocumentTypePurpose = "fpr-passport-link/2"

// StatusListType is the typ header of a status list token.
const StatusListType = "statuslist+jwt"

// StatusListPath is appended to the issuer URL, followed by the list id, to
// form a status list URI.
const StatusListPath = "/api/v1/status-lists/"

// FPR card versions.
const (
	CardVersion2017 = "2017"
	CardVersion2023 = "2023"
)

// Status values of the IETF Token Status List with two bits per entry.
const (
	StatusValid     uint8 = 0
	StatusInvalid   uint8 = 1
	StatusSuspended uint8 = 2
)

// Claims is the payload of an attestation. Dates are ISO 8601 calendar dates
// (YYYY-MM-DD); times are seconds since the epoch. Field order is the
// serialisation order, which keeps issued payloads byte-stable.
type Claims struct {
	Issuer    string `json:"iss"`
	IssuedAt  int64  `json:"iat"`
	NotBefore int64  `json:"nbf"`
	Expiry    int64  `json:"exp"`
	ID        string `json:"jti"`
	Type      string `json:"type"`
	// Audience is the sector the document is for (aud, RFC 7519): one of
	// the Purpose values. Empty only in documents of the first version.
	Audience string `json:"aud,omitempty"`
	// ChineseName is the holder's Chinese name where the registry has one.
	ChineseName string   `json:"chinese_name,omitempty"`
	Passport    Passport `json:"passport"`
	Card        FPRCard  `json:"fpr_card"`
	Status      Status   `json:"status"`
}

// Passport is the holder's passport as read from its TD3 MRZ. A
// purpose-bound document leaves out the members its sector does not need;
// a first-version document has all but PreviousNumber.
type Passport struct {
	Number       string `json:"number,omitempty"`
	IssuingState string `json:"issuing_state,omitempty"`
	Nationality  string `json:"nationality,omitempty"`
	Surname      string `json:"surname,omitempty"`
	GivenNames   string `json:"given_names,omitempty"`
	BirthDate    string `json:"birth_date,omitempty"`
	Sex          string `json:"sex,omitempty"`
	ExpiryDate   string `json:"expiry_date,omitempty"`
	// PreviousNumber is the holder's passport before this one, when the
	// registry has one (banks only).
	PreviousNumber string `json:"previous_number,omitempty"`
}

// FPRCard is the holder's Foreign Permanent Resident ID Card, with the same
// omissions as Passport.
type FPRCard struct {
	Number     string `json:"number,omitempty"`
	Version    string `json:"version,omitempty"`
	IssueDate  string `json:"issue_date,omitempty"`
	ExpiryDate string `json:"expiry_date,omitempty"`
	// PreviousNumber is the card this one replaced, when the registry has
	// one (banks only): a 2023 card replacing a 2017 card has a new number.
	PreviousNumber string `json:"previous_number,omitempty"`
}

// Status points at the document's entry in a status list.
type Status struct {
	StatusList StatusListRef `json:"status_list"`
}

// StatusListRef is the IETF Token Status List reference.
type StatusListRef struct {
	Index int    `json:"idx"`
	URI   string `json:"uri"`
}

// StatusListClaims is the payload of a status list token.
type StatusListClaims struct {
	Subject    string     `json:"sub"`
	Issuer     string     `json:"iss,omitempty"`
	IssuedAt   int64      `json:"iat"`
	Expiry     int64      `json:"exp"`
	TTL        int64      `json:"ttl"`
	StatusList StatusBits `json:"status_list"`
}

// StatusBits is the status_list member: bit size and the compressed list.
type StatusBits struct {
	Bits int    `json:"bits"`
	Lst  string `json:"lst"`
}
