package docnum

import (
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
)

func TestParseFPRAcceptanceSamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		number, nationality, province string
		version                       int
		birth                         calendar.Date
	}{
		{"932682198501010017", "SAU", "32", FPR2023, calendar.Date{Year: 1985, Month: 1, Day: 1}},
		{"911124198108030024", "CAN", "11", FPR2023, calendar.Date{Year: 1981, Month: 8, Day: 3}},
		{"KAZ110090123105", "KAZ", "11", FPR2017, calendar.Date{Year: 90, Month: 12, Day: 31}},
		{" kaz110090123105 ", "KAZ", "11", FPR2017, calendar.Date{Year: 90, Month: 12, Day: 31}},
	}
	for _, tt := range tests {
		t.Run(tt.number, func(t *testing.T) {
			t.Parallel()
			f, err := ParseFPR(tt.number, today)
			if err != nil {
				t.Fatal(err)
			}
			if f.Nationality != tt.nationality || f.Version != tt.version || f.BirthDate != tt.birth || f.Province != tt.province {
				t.Fatalf("got %+v", f)
			}
		})
	}
}

func TestParseFPRChangedCheckCharacter(t *testing.T) {
	t.Parallel()
	for _, n := range []string{"932682198501010017", "911124198108030024", "KAZ110090123105"} {
		last := n[len(n)-1]
		for _, c := range "0123456789X" {
			if byte(c) == last || (len(n) == 15 && c == 'X') {
				continue
			}
			if _, err := ParseFPR(n[:len(n)-1]+string(c), today); err == nil {
				t.Errorf("%s with check %c accepted", n, c)
			} else {
				wantCode(t, err, "fpr_check")
			}
		}
	}
}

func TestParseFPRRejects(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, number, code string }{
		{"empty", "", "fpr_length"},
		{"16 chars", "9326821985010100", "fpr_length"},
		{"2023 not led by 9", "832682198501010017", "fpr_format"},
		{"2023 letter inside", "93268219850101A017", "fpr_format"},
		{"2023 bad check", "932682198501010018", "fpr_check"},
		{"2023 unknown province", MakeFPR2023("99", "SAU", calendar.Date{Year: 1985, Month: 1, Day: 1}, 1), "fpr_province"},
		{"2023 unknown nationality", with2023Check("93299919850101001"), "fpr_nationality"},
		{"2023 impossible date", MakeFPR2023("32", "SAU", calendar.Date{Year: 1985, Month: 2, Day: 30}, 1), "fpr_birth_date"},
		{"2017 digits first", "123110090123105", "fpr_format"},
		{"2017 letter in digits", "KAZ11009012310A", "fpr_format"},
		{"2017 bad check", "KAZ110090123106", "fpr_check"},
		{"2017 unknown nationality", MakeFPR2017("UTO", "1100", calendar.Date{Year: 1990, Month: 12, Day: 31}, 0), "fpr_nationality"},
		{"2017 unknown province", MakeFPR2017("KAZ", "9900", calendar.Date{Year: 1990, Month: 12, Day: 31}, 0), "fpr_province"},
		{"2017 impossible date", with731Check("KAZ11009013310"), "fpr_birth_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseFPR(tt.number, today)
			wantCode(t, err, tt.code)
		})
	}
}

// with2023Check and with731Check complete a body with a correct check
// character, so a row reaches the rule it is about.
func with2023Check(body string) string {
	c, _ := mod112Check(body)
	return body + string(c)
}

func with731Check(body string) string {
	c, _ := checkDigit731(body)
	return body + string(rune('0'+c))
}

func TestFPRAgreesWith(t *testing.T) {
	t.Parallel()
	birth := calendar.Date{Year: 1985, Month: 1, Day: 1}
	f23, _ := ParseFPR("932682198501010017", today)
	f17, _ := ParseFPR("KAZ110090123105", today)
	tests := []struct {
		name        string
		f           FPRNumber
		nationality string
		birth       calendar.Date
		code        string
	}{
		{"2023 agrees", f23, "SAU", birth, ""},
		{"2023 other nationality", f23, "CAN", birth, "fpr_nationality_mismatch"},
		{"2023 other birth date", f23, "SAU", birth.AddDays(1), "fpr_birth_mismatch"},
		{"2023 other century", f23, "SAU", calendar.Date{Year: 2085, Month: 1, Day: 1}, "fpr_birth_mismatch"},
		{"2017 agrees", f17, "KAZ", calendar.Date{Year: 1990, Month: 12, Day: 31}, ""},
		{"2017 other nationality", f17, "KGZ", calendar.Date{Year: 1990, Month: 12, Day: 31}, "fpr_nationality_mismatch"},
		{"2017 other birth date", f17, "KAZ", calendar.Date{Year: 1990, Month: 12, Day: 30}, "fpr_birth_mismatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.f.AgreesWith(tt.nationality, tt.birth)
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantCode(t, err, tt.code)
		})
	}
}

func TestMakeFPRRoundTrip(t *testing.T) {
	t.Parallel()
	birth := calendar.Date{Year: 2018, Month: 2, Day: 28}
	for _, n := range []string{MakeFPR2023("44", "GBR", birth, 7), MakeFPR2017("GBR", "4401", birth, 3)} {
		f, err := ParseFPR(n, today)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if err := f.AgreesWith("GBR", birth); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
}

func TestParseFPRBirthDateBound(t *testing.T) {
	if _, err := ParseFPR(MakeFPR2023("11", "CAN", today, 1), today); err != nil {
		t.Fatalf("born today: %v", err)
	}
	_, err := ParseFPR(MakeFPR2023("11", "CAN", today.AddDays(1), 1), today)
	wantCode(t, err, "fpr_birth_future")
}

// TestFPRProvinceMainlandOnly refuses Taiwan's, Hong Kong's and Macao's
// division codes: no FPR card is issued there.
func TestFPRProvinceMainlandOnly(t *testing.T) {
	birth := calendar.Date{Year: 1985, Month: 1, Day: 1}
	for _, p := range []string{"71", "81", "82"} {
		_, err := ParseFPR(MakeFPR2023(p, "SAU", birth, 1), today)
		wantCode(t, err, "fpr_province")
		_, err = ParseFPR(MakeFPR2017("SAU", p+"00", birth, 1), today)
		wantCode(t, err, "fpr_province")
	}
}

// TestFPREveryISOCountry writes every ISO 3166-1 country into a 2023 and
// a 2017 card number and reads it back.
func TestFPREveryISOCountry(t *testing.T) {
	birth := calendar.Date{Year: 1990, Month: 6, Day: 30}
	for _, c := range Countries() {
		if c.ISO != c.Code {
			continue
		}
		for _, n := range []string{MakeFPR2023("31", c.Code, birth, 1), MakeFPR2017(c.Code, "3100", birth, 1)} {
			f, err := ParseFPR(n, today)
			if err != nil || f.Nationality != c.Code {
				t.Errorf("%s: %s → %+v %v", c.Code, n, f, err)
				continue
			}
			if err := f.AgreesWith(c.Code, birth); err != nil {
				t.Errorf("%s: %v", c.Code, err)
			}
		}
	}
}

func TestFPRAgreesWithICAOCodes(t *testing.T) {
	birth := calendar.Date{Year: 1985, Month: 1, Day: 1}
	deu, _ := ParseFPR(MakeFPR2023("11", "DEU", birth, 1), today)
	if err := deu.AgreesWith("D", birth); err != nil {
		t.Fatalf("D holder of a DEU card: %v", err)
	}
	gbr23, _ := ParseFPR(MakeFPR2023("11", "GBR", birth, 1), today)
	gbr17, _ := ParseFPR(MakeFPR2017("GBR", "1100", birth, 1), today)
	for _, code := range []string{"GBN", "GBD", "XXA", "XXB", "XXC", "XXX", "UNO", "EUE"} {
		for _, f := range []FPRNumber{gbr23, gbr17} {
			err := f.AgreesWith(code, birth)
			wantCode(t, err, "fpr_nationality_not_iso")
			e, _ := apperr.As(err)
			if !strings.Contains(e.Message.En, code) || !strings.Contains(e.Message.Zh, code) {
				t.Errorf("%s: the answer does not name the code: %+v", code, e.Message)
			}
		}
	}
	wantCode(t, gbr23.AgreesWith("ZZZ", birth), "fpr_nationality_mismatch")
}

func TestFPR2017NationalityISOOnly(t *testing.T) {
	_, err := ParseFPR(with731Check("XXA11009012310"), today)
	wantCode(t, err, "fpr_nationality")
}
