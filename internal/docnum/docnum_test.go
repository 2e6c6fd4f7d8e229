package docnum

import (
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
)

// The ICAO Doc 9303 Part 4 specimen passport of Anna Maria Eriksson, Utopia.
const (
	specimenL1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
	specimenL2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
)

var today = calendar.Date{Year: 2026, Month: 3, Day: 1}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	if e, _ := apperr.As(err); e.Kind != apperr.KindInvalid || e.Message.En == "" || e.Message.Zh == "" {
		t.Fatalf("error %v: want an Invalid error with both texts", err)
	}
}

func TestParseTD3Specimen(t *testing.T) {
	t.Parallel()
	for name, text := range map[string]string{
		"two lines":  specimenL1 + "\n" + specimenL2,
		"crlf":       specimenL1 + "\r\n" + specimenL2 + "\n",
		"run on":     specimenL1 + specimenL2,
		"spaces end": "  " + specimenL1 + " \n " + specimenL2 + "  ",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m, err := ParseTD3(text, today)
			if err != nil {
				t.Fatal(err)
			}
			want := MRZ{DocumentCode: "P", IssuingState: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
				Number: "L898902C3", Nationality: "UTO", BirthDate: calendar.Date{Year: 1974, Month: 8, Day: 12},
				Sex: "F", ExpiryDate: calendar.Date{Year: 2012, Month: 4, Day: 15}, OptionalData: "ZE184226B",
				Line1: specimenL1, Line2: specimenL2}
			if m != want {
				t.Fatalf("got  %+v\nwant %+v", m, want)
			}
		})
	}
}

// checkedBy names the check that covers each position of line 2.
func checkedBy(i int) string {
	switch {
	case i <= 9:
		return "mrz_number_check"
	case i >= 13 && i <= 19:
		return "mrz_birth_check"
	case i >= 21 && i <= 27:
		return "mrz_expiry_check"
	case i >= 28 && i <= 42:
		return "mrz_optional_check"
	case i == 43:
		return "mrz_composite_check"
	}
	return ""
}

// TestParseTD3EverySingleChange substitutes every MRZ character at every
// checked position of line 2 and expects the check covering it to fail. A
// substitution by a value 10 apart is invisible to 7-3-1 arithmetic; it must
// still be refused by a format check, except in the free-form document
// number and optional data, where no rule can see it.
func TestParseTD3EverySingleChange(t *testing.T) {
	t.Parallel()
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
	for i := 0; i < mrzLineLen; i++ {
		code := checkedBy(i)
		if code == "" {
			continue
		}
		for j := 0; j < len(alphabet); j++ {
			c := alphabet[j]
			if c == specimenL2[i] {
				continue
			}
			l2 := specimenL2[:i] + string(c) + specimenL2[i+1:]
			_, err := ParseTD3(specimenL1+"\n"+l2, today)
			ov, _ := charValue(specimenL2[i])
			nv, _ := charValue(c)
			invisible := (ov-nv)%10 == 0 && i != 9 && i != 19 && i != 27 && i != 42 && i != 43
			switch {
			case !invisible:
				if !apperr.Is(err, code) {
					t.Errorf("pos %d %q→%q: error %v, want %s", i, specimenL2[i], c, err, code)
				}
			case code == "mrz_number_check" || code == "mrz_optional_check":
				// free-form fields: undetectable by design
			case err == nil:
				t.Errorf("pos %d %q→%q: accepted", i, specimenL2[i], c)
			}
		}
	}
}

func TestParseTD3Rejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, l1, l2, code string
	}{
		{"short line", specimenL1[:43], specimenL2, "mrz_length"},
		{"lower case", strings.ToLower(specimenL1), specimenL2, "mrz_format"},
		{"bad character", specimenL1[:10] + "-" + specimenL1[11:], specimenL2, "mrz_format"},
		{"not a passport", "I" + specimenL1[1:], specimenL2, "mrz_document_code"},
		{"number check", specimenL1, specimenL2[:9] + "7" + specimenL2[10:], "mrz_number_check"},
		{"birth check", specimenL1, specimenL2[:19] + "3" + specimenL2[20:], "mrz_birth_check"},
		{"expiry check", specimenL1, specimenL2[:27] + "8" + specimenL2[28:], "mrz_expiry_check"},
		{"optional check", specimenL1, specimenL2[:42] + "2" + specimenL2[43:], "mrz_optional_check"},
		{"composite check", specimenL1, specimenL2[:43] + "1", "mrz_composite_check"},
		{"bad sex", specimenL1, specimenL2[:20] + "Q" + specimenL2[21:], "mrz_sex"},
		{"digit in nationality", specimenL1, specimenL2[:10] + "U1O" + specimenL2[13:], "mrz_state"},
		{"no surname", "P<UTO" + strings.Repeat("<", 39), specimenL2, "mrz_format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseTD3(tt.l1+"\n"+tt.l2, today)
			wantCode(t, err, tt.code)
		})
	}
}

func TestParseTD3ImpossibleDate(t *testing.T) {
	t.Parallel()
	// 741332 is not a date; recompute the check digits so only the date rule can object.
	l2 := []byte(specimenL2)
	copy(l2[13:19], "741332")
	c, _ := checkDigit731(string(l2[13:19]))
	l2[19] = byte('0' + c)
	cc, _ := checkDigit731(string(l2[0:10]) + string(l2[13:20]) + string(l2[21:43]))
	l2[43] = byte('0' + cc)
	_, err := ParseTD3(specimenL1+"\n"+string(l2), today)
	wantCode(t, err, "mrz_birth_date")
}
