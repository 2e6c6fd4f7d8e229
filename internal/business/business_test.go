package business

import (
	"strings"
	"testing"
)

func TestCatalogue(t *testing.T) {
	all := All()
	if len(all) != 17 {
		t.Fatalf("got %d business types, want 17", len(all))
	}
	seen := map[string]bool{}
	for _, b := range all {
		if seen[b.Code] {
			t.Errorf("duplicate code %s", b.Code)
		}
		seen[b.Code] = true
		if b.Name.En == "" || b.Name.Zh == "" {
			t.Errorf("%s lacks a name in both languages", b.Code)
		}
	}
}

func TestProcessingDays(t *testing.T) {
	tests := []struct {
		code string
		want int
	}{
		{VisaExtension, 7},
		{StayPermit, 7},
		{ResidenceWork, 15},
		{ResidencePrivate, 15},
		{FPRApplication, 180},
		{ResidenceChange, 15},
		{ResidenceAddAccompanying, 15},
		{FPRRenewal, 15},
		{"unknown", 0},
		{"", 0},
	}
	for _, tt := range tests {
		if got := ProcessingDays(tt.code); got != tt.want {
			t.Errorf("ProcessingDays(%q) = %d, want %d", tt.code, got, tt.want)
		}
	}
}

func TestAllReturnsACopy(t *testing.T) {
	a := All()
	a[0].Code = "mutated"
	if !Valid(VisaExtension) || Valid("mutated") {
		t.Fatal("All must not expose shared state")
	}
}

func FuzzValid(f *testing.F) {
	for _, s := range []string{VisaExtension, "", "VISA_EXTENSION", "fpr_application\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		if Valid(code) != (ProcessingDays(code) > 0) {
			t.Fatalf("Valid and ProcessingDays disagree on %q", code)
		}
	})
}

// Every processing time names its basis in both languages and a public
// source read on a given day; the FPR card figures, for which none was
// found, say so instead.
func TestEveryProcessingTimeHasASource(t *testing.T) {
	for _, b := range All() {
		src, ok := ProcessingSource(b.Code)
		if !ok || src.Basis.En == "" || src.Basis.Zh == "" {
			t.Errorf("%s: no basis in both languages", b.Code)
			continue
		}
		unsourced := b.Code == FPRRenewal || b.Code == FPRReplacement
		if unsourced != (src.URL == "") || (src.URL == "") != (src.Seen == "") {
			t.Errorf("%s: source %q seen %q", b.Code, src.URL, src.Seen)
		}
		if src.URL != "" && !strings.HasPrefix(src.URL, "http") {
			t.Errorf("%s: source %q is not a web address", b.Code, src.URL)
		}
	}
	if _, ok := ProcessingSource("nope"); ok {
		t.Error("an unknown code has a source")
	}
}
