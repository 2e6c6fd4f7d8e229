package verifier

import "testing"

func TestCardCheckDigits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		version, number string
		want            bool
	}{
		{"2023", "911250198504120011", true},
		{"2023", "911560199001010025", true},
		{"2023", "911250198504120012", false}, // wrong check digit
		{"2023", "811250198504120011", false}, // must start with 9
		{"2023", "91125019850412001", false},  // 17 characters
		{"2023", "9112501985041200X1", false}, // X only as check
		{"2017", "FRA112501985006", true},
		{"2017", "FRA112501985007", false},
		{"2017", "fra112501985006", false},
		{"2017", "FRA11250198500X", false},
		{"2020", "FRA112501985006", false},
	}
	for _, c := range cases {
		if got := validCardNumber(c.version, c.number); got != c.want {
			t.Errorf("%s %s: %v, want %v", c.version, c.number, got, c.want)
		}
	}
}
