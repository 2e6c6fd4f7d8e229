package verifier

import (
	"encoding/json"
	"strconv"

	"github.com/fprlink/fprlink/issuer/edoc"
)

// decodeClaims parses the claim set. Issued payloads are minified ASCII JSON
// with known members, which fastClaims reads without reflection (encoding/json
// costs more than the rest of the verification overhead together); anything
// else — escapes, non-ASCII, unknown or repeated members, floats, null —
// falls back to encoding/json, so the result is always what encoding/json
// would give. FuzzDecodeClaims holds the two to that.
func decodeClaims(data []byte) (*edoc.Claims, error) {
	c := new(edoc.Claims)
	p := fastParser{b: data}
	if p.claims(c) {
		return c, nil
	}
	*c = edoc.Claims{}
	if err := json.Unmarshal(data, c); err != nil {
		return nil, err
	}
	return c, nil
}

// fastParser reads one JSON value shape; every method returns false to
// request the encoding/json fallback.
type fastParser struct {
	b []byte
	i int
}

// member reads the value of key k and returns the member's bit, used to
// refuse repeated members (encoding/json would keep the last one).
type member func(k string) (bit uint, ok bool)

func (p *fastParser) claims(c *edoc.Claims) bool {
	ok := p.object(func(k string) (uint, bool) {
		switch k {
		case "iss":
			return 0, p.str(&c.Issuer)
		case "iat":
			return 1, p.int(&c.IssuedAt)
		case "nbf":
			return 2, p.int(&c.NotBefore)
		case "exp":
			return 3, p.int(&c.Expiry)
		case "jti":
			return 4, p.str(&c.ID)
		case "type":
			return 5, p.str(&c.Type)
		case "passport":
			return 6, p.passport(&c.Passport)
		case "fpr_card":
			return 7, p.card(&c.Card)
		case "status":
			return 8, p.object(func(k string) (uint, bool) {
				return 0, k == "status_list" && p.statusRef(&c.Status.StatusList)
			})
		}
		return 0, false
	})
	p.ws()
	return ok && p.i == len(p.b)
}

func (p *fastParser) passport(v *edoc.Passport) bool {
	return p.object(func(k string) (uint, bool) {
		switch k {
		case "number":
			return 0, p.str(&v.Number)
		case "issuing_state":
			return 1, p.str(&v.IssuingState)
		case "nationality":
			return 2, p.str(&v.Nationality)
		case "surname":
			return 3, p.str(&v.Surname)
		case "given_names":
			return 4, p.str(&v.GivenNames)
		case "birth_date":
			return 5, p.str(&v.BirthDate)
		case "sex":
			return 6, p.str(&v.Sex)
		case "expiry_date":
			return 7, p.str(&v.ExpiryDate)
		}
		return 0, false
	})
}

func (p *fastParser) card(v *edoc.FPRCard) bool {
	return p.object(func(k string) (uint, bool) {
		switch k {
		case "number":
			return 0, p.str(&v.Number)
		case "version":
			return 1, p.str(&v.Version)
		case "issue_date":
			return 2, p.str(&v.IssueDate)
		case "expiry_date":
			return 3, p.str(&v.ExpiryDate)
		}
		return 0, false
	})
}

func (p *fastParser) statusRef(v *edoc.StatusListRef) bool {
	return p.object(func(k string) (uint, bool) {
		switch k {
		case "idx":
			var n int64
			if !p.int(&n) || n != int64(int(n)) {
				return 0, false
			}
			v.Index = int(n)
			return 0, true
		case "uri":
			return 1, p.str(&v.URI)
		}
		return 0, false
	})
}

// object reads {"k":v,…}, calling m for each member.
func (p *fastParser) object(m member) bool {
	p.ws()
	if !p.consume('{') {
		return false
	}
	p.ws()
	if p.consume('}') {
		return true
	}
	var seen uint32
	for {
		var k string
		if !p.str(&k) {
			return false
		}
		p.ws()
		if !p.consume(':') {
			return false
		}
		bit, ok := m(k)
		if !ok || seen&(1<<bit) != 0 {
			return false
		}
		seen |= 1 << bit
		p.ws()
		if p.consume('}') {
			return true
		}
		if !p.consume(',') {
			return false
		}
		p.ws()
	}
}

// str reads a string of printable ASCII without escapes.
func (p *fastParser) str(dst *string) bool {
	p.ws()
	if !p.consume('"') {
		return false
	}
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			*dst = string(p.b[start:p.i])
			p.i++
			return true
		case c == '\\' || c < 0x20 || c > 0x7e:
			return false
		}
		p.i++
	}
	return false
}

// int reads an integer without fraction or exponent that fits int64.
func (p *fastParser) int(dst *int64) bool {
	p.ws()
	start := p.i
	if p.i < len(p.b) && p.b[p.i] == '-' {
		p.i++
	}
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
	}
	digits := p.b[start:p.i]
	if p.i < len(p.b) && (p.b[p.i] == '.' || p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		return false
	}
	// JSON forbids leading zeros; leave such input to encoding/json.
	if len(digits) > 1 && (digits[0] == '0' || (digits[0] == '-' && digits[1] == '0' && len(digits) > 2)) {
		return false
	}
	n, err := strconv.ParseInt(string(digits), 10, 64)
	if err != nil {
		return false
	}
	*dst = n
	return true
}

func (p *fastParser) consume(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *fastParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}
