package verifier

import "github.com/fprlink/fprlink/issuer/edoc"

// validCardNumber checks an FPR card number's shape and check digit. It is
// deliberately tiny and private: relying parties only need yes or no.
func validCardNumber(version, n string) bool {
	switch version {
	case edoc.CardVersion2023:
		return validCard2023(n)
	case edoc.CardVersion2017:
		return validCard2017(n)
	}
	return false
}

// validCard2023: 18 characters, "9" + 16 digits + check, ISO 7064 MOD 11-2
// (the resident ID algorithm).
func validCard2023(n string) bool {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	const checkMap = "10X98765432"
	if len(n) != 18 || n[0] != '9' {
		return false
	}
	sum := 0
	for i, w := range weights {
		c := n[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * w
	}
	return n[17] == checkMap[sum%11]
}

// validCard2017: 15 characters, 3 letters (ISO alpha-3) + 12 digits, the
// last a 7-3-1 check over the first 14 with A=10 … Z=35.
func validCard2017(n string) bool {
	if len(n) != 15 {
		return false
	}
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < 14; i++ {
		c := n[i]
		var v int
		switch {
		case i < 3 && c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		case i >= 3 && c >= '0' && c <= '9':
			v = int(c - '0')
		default:
			return false
		}
		sum += v * weights[i%3]
	}
	last := n[14]
	return last >= '0' && last <= '9' && int(last-'0') == sum%10
}
