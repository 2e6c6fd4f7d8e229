package registry

import (
	"context"
	"testing"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestCyrillicNamesStoredTransliterated: a name typed in Cyrillic is
// stored as the MRZ writes it, with the forms of the holder's national
// language (Doc 9303 Part 3 Table B).
func TestCyrillicNamesStoredTransliterated(t *testing.T) {
	tests := []struct{ name, nationality, surname, given, wantSurname, wantGiven string }{
		{"Russian", "RUS", "Щукина", "Юлия", "SHCHUKINA", "IULIIA"},
		{"Belarusian", "BLR", "Сёмін", "Ігар", "SIOMIN", "IHAR"},
		{"Serbian", "SRB", "Шешељ", "Ђорђе", "SESELJ", "DORDE"},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p, err := s.CreatePerson(context.Background(), officer, PersonInput{Surname: tt.surname, GivenNames: tt.given,
					Sex: "F", BirthDate: "1990-05-05", Nationality: tt.nationality})
				if err != nil || p.Surname != tt.wantSurname || p.GivenNames != tt.wantGiven {
					t.Fatalf("CreatePerson = %+v, %v", p, err)
				}
			})
		}
	})
}
