package edoc

// Protected header values. The header is exactly
// {"alg":"ES256","kid":<thumbprint>,"typ":"fprl+jwt","zip":"DEF"}.
const (
	Algorithm   = "ES256"
	Type        = "fprl+jwt"
	Compression = "DEF"
)

// DocumentType is the value of the "type" claim of a passport–FPR card
// link attestation.
const DocumentType = "fpr-passport-link"

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
	Issuer    string   `json:"iss"`
	IssuedAt  int64    `json:"iat"`
	NotBefore int64    `json:"nbf"`
	Expiry    int64    `json:"exp"`
	ID        string   `json:"jti"`
	Type      string   `json:"type"`
	Passport  Passport `json:"passport"`
	Card      FPRCard  `json:"fpr_card"`
	Status    Status   `json:"status"`
}

// Passport is the holder's passport as read from its TD3 MRZ.
type Passport struct {
	Number       string `json:"number"`
	IssuingState string `json:"issuing_state"`
	Nationality  string `json:"nationality"`
	Surname      string `json:"surname"`
	GivenNames   string `json:"given_names"`
	BirthDate    string `json:"birth_date"`
	Sex          string `json:"sex"`
	ExpiryDate   string `json:"expiry_date"`
}

// FPRCard is the holder's Foreign Permanent Resident ID Card.
type FPRCard struct {
	Number     string `json:"number"`
	Version    string `json:"version"`
	IssueDate  string `json:"issue_date"`
	ExpiryDate string `json:"expiry_date"`
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
