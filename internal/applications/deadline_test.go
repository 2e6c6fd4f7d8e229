package applications

import (
	"context"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/business"
)

func TestDeadline(t *testing.T) {
	cal := nationalDay2026(t)
	tests := []struct {
		name      string
		submitted time.Time
		days      int
		want      string
	}{
		{"weekdays-only", shanghai(2026, 11, 2, 10, 0), 7, "2026-11-11"},
		{"skips-one-weekend", shanghai(2026, 11, 6, 10, 0), 7, "2026-11-17"},
		{"submitted-on-saturday", shanghai(2026, 11, 7, 10, 0), 7, "2026-11-17"},
		{"submitted-on-sunday", shanghai(2026, 11, 8, 10, 0), 1, "2026-11-09"},
		{"friday-to-monday", shanghai(2026, 11, 6, 16, 59), 1, "2026-11-09"},
		// 16:30 UTC Thursday is 00:30 Friday at the centre: Friday counts.
		{"local-date-not-utc-date", time.Date(2026, 11, 5, 16, 30, 0, 0, time.UTC), 1, "2026-11-09"},
		{"utc-evening-same-local-day", time.Date(2026, 11, 5, 15, 59, 0, 0, time.UTC), 1, "2026-11-06"},
		{"across-national-day-holidays-and-makeup-saturday", shanghai(2026, 9, 30, 11, 0), 7, "2026-10-15"},
		{"makeup-sunday-counts", shanghai(2026, 9, 25, 9, 0), 1, "2026-09-27"},
		{"submitted-on-holiday", shanghai(2026, 10, 3, 9, 0), 1, "2026-10-08"},
		{"holiday-weekday-skipped", shanghai(2026, 9, 30, 9, 0), 1, "2026-10-08"},
		{"makeup-saturday-is-the-deadline", shanghai(2026, 10, 9, 9, 0), 1, "2026-10-10"},
		{"residence-permit-15-across-holiday", shanghai(2026, 9, 28, 9, 0), 15, "2026-10-23"},
		{"fpr-application-120", shanghai(2026, 11, 2, 9, 0), 120, "2027-04-19"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Deadline(cal, tt.submitted, tt.days).String(); got != tt.want {
				t.Fatalf("Deadline(%s, %d) = %s, want %s", tt.submitted, tt.days, got, tt.want)
			}
		})
	}
}

func TestExtendForPause(t *testing.T) {
	cal := nationalDay2026(t)
	tests := []struct {
		name                      string
		deadline, paused, resumed string
		want                      string
	}{
		{"same-day-no-extension", "2026-11-17", "2026-11-09", "2026-11-09", "2026-11-17"},
		{"next-working-day-one", "2026-11-17", "2026-11-09", "2026-11-10", "2026-11-18"},
		{"weekend-pause-not-counted", "2026-11-17", "2026-11-06", "2026-11-09", "2026-11-18"},
		{"holiday-pause-not-counted", "2026-10-15", "2026-09-30", "2026-10-08", "2026-10-16"},
		{"makeup-day-pause-counted", "2026-10-15", "2026-10-09", "2026-10-12", "2026-10-19"},
		{"extension-skips-weekend", "2026-11-13", "2026-11-09", "2026-11-11", "2026-11-17"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := extendForPause(cal, date(t, tt.deadline), date(t, tt.paused), date(t, tt.resumed))
			if got.String() != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestOverdue(t *testing.T) {
	deadline := date(t, "2026-11-17")
	tests := []struct {
		name   string
		status Status
		today  string
		want   bool
	}{
		{"before-deadline", UnderReview, "2026-11-16", false},
		{"on-deadline-day", UnderReview, "2026-11-17", false},
		{"day-after-deadline", UnderReview, "2026-11-18", true},
		{"submitted-late", Submitted, "2026-12-01", true},
		{"accepted-late", Accepted, "2026-12-01", true},
		{"paused-for-supplement", SupplementRequested, "2026-12-01", false},
		{"approved-is-decided", Approved, "2026-12-01", false},
		{"rejected-is-decided", Rejected, "2026-12-01", false},
		{"ready-is-decided", ReadyForCollection, "2026-12-01", false},
		{"collected-is-decided", Collected, "2026-12-01", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Application{Status: tt.status, Deadline: deadline}
			if got := overdue(a, date(t, tt.today)); got != tt.want {
				t.Fatalf("overdue = %v, want %v", got, tt.want)
			}
		})
	}
}

// Deadlines are counted with the figures the directory and the guidelines
// publish, for every business type (they once had their own table, which
// gave a permanent-residence application 120 working days while the
// directory said 15).
func TestProcessingTimesAreTheCatalogues(t *testing.T) {
	for _, b := range business.All() {
		n, ok, err := StandardProcessingTimes{}.WorkingDays(context.Background(), b.Code)
		if err != nil || !ok || n != b.ProcessingDays {
			t.Errorf("%s: %d, %v, %v; the catalogue says %d", b.Code, n, ok, err, b.ProcessingDays)
		}
		if got := BusinessTypeName(b.Code); got != b.Name {
			t.Errorf("%s: named %q, the catalogue says %q", b.Code, got.En, b.Name.En)
		}
	}
	if _, ok, _ := (StandardProcessingTimes{}).WorkingDays(context.Background(), "no_such_type"); ok {
		t.Error("an unknown business type has a processing time")
	}
}
