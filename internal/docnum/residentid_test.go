package docnum

import (
	"testing"

	"github.com/fprlink/fprlink/internal/calendar"
)

// withIDCheck completes 17 digits with their MOD 11-2 check character.
func withIDCheck(body string) string {
	c, _ := mod112Check(body)
	return body + string(c)
}

func TestParseResidentIDAccepts(t *testing.T) {
	tests := []struct {
		name, number, holder, area, sex string
		birth                           calendar.Date
	}{
		{"GB 11643 worked example", "11010519491231002X", MainlandResident, "110105", "F", calendar.Date{Year: 1949, Month: 12, Day: 31}},
		{"Hong Kong resident permit", withIDCheck("81000019800101001"), HongKongResident, "810000", "M", calendar.Date{Year: 1980, Month: 1, Day: 1}},
		{"Macao resident permit", withIDCheck("82000019900215002"), MacaoResident, "820000", "F", calendar.Date{Year: 1990, Month: 2, Day: 15}},
		{"Taiwan resident permit", withIDCheck("83000020000229003"), TaiwanResident, "830000", "M", calendar.Date{Year: 2000, Month: 2, Day: 29}},
		{"born today", withIDCheck("110105" + "20260301" + "001"), MainlandResident, "110105", "M", today},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseResidentID(tt.number, today)
			if err != nil {
				t.Fatal(err)
			}
			if r.Holder != tt.holder || r.Area != tt.area || r.Sex != tt.sex || r.BirthDate != tt.birth {
				t.Fatalf("got %+v", r)
			}
		})
	}
}

func TestParseResidentIDRejects(t *testing.T) {
	tests := []struct{ name, number, code string }{
		{"short", "11010519491231002", "resident_id_length"},
		{"letter inside", "1101051949123A002X", "resident_id_format"},
		{"changed check", "110105194912310021", "resident_id_check"},
		{"changed digit", "11010519491231003X", "resident_id_check"},
		{"unknown province", withIDCheck("99010519491231002"), "resident_id_area"},
		{"Hong Kong code without 0000", withIDCheck("81010519491231002"), "resident_id_area"},
		{"Macao code without 0000", withIDCheck("82123419491231002"), "resident_id_area"},
		{"Taiwan province code", withIDCheck("71000019491231002"), "resident_id_area"},
		{"impossible date", withIDCheck("11010519490230002"), "resident_id_birth_date"},
		{"born tomorrow", withIDCheck("11010520260302002"), "resident_id_birth_future"},
		{"permit born tomorrow", withIDCheck("83000020260302002"), "resident_id_birth_future"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseResidentID(tt.number, today)
			wantCode(t, err, tt.code)
		})
	}
}
