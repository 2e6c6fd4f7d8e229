package applications

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func BenchmarkParseNumber(b *testing.B) {
	n := validNumber("2026110212345678")
	for b.Loop() {
		if _, err := ParseNumber(n); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDeadline(b *testing.B) {
	cal := nationalDay2026(b)
	at := shanghai(2026, 9, 28, 9, 0)
	for b.Loop() {
		Deadline(cal, at, 15)
	}
}

const benchApplications = 10000

// benchEach runs fn on SQLite and, when configured, PostgreSQL, each
// seeded with benchApplications applications of two events each.
func benchEach(b *testing.B, fn func(b *testing.B, e env, numbers []Number)) {
	dbs := map[string]func(testing.TB, ...dbtest.Option) *storage.DB{"sqlite": dbtest.SQLite}
	if os.Getenv(dbtest.EnvURL) != "" {
		dbs["postgres"] = dbtest.Postgres
	}
	for name, open := range dbs {
		b.Run(name, func(b *testing.B) {
			clk := clock.NewFake(mondayMorning)
			e := newEnv(b, open(b, dbtest.WithClock(clk)), clk)
			fn(b, e, seed(b, e))
		})
	}
}

// seed writes the applications directly, in batches, as a year of a busy
// centre's history: spread over 250 days, a third of them still pending.
func seed(b *testing.B, e env) []Number {
	b.Helper()
	apps := make([]applicationRow, 0, benchApplications)
	events := make([]eventRow, 0, 2*benchApplications)
	numbers := make([]Number, 0, benchApplications)
	statuses := []Status{Accepted, Collected, Approved}
	for i := range benchApplications {
		at := mondayMorning.Add(-time.Duration(i%250) * 24 * time.Hour)
		digits := fmt.Sprintf("%s%08d", at.In(clock.Shanghai()).Format("20060102"), i)
		n := Number(validNumber(digits))
		id := fmt.Sprintf("01900000-0000-7000-8000-%012d", i)
		centre := centreBJ
		if i%2 == 1 {
			centre = centreSH
		}
		st := statuses[i%3]
		apps = append(apps, applicationRow{ID: id, Number: string(n), PersonID: fmt.Sprintf("person-%d", i%3000),
			BusinessType: "visa_extension", CentreID: centre, Status: string(st), SubmittedAt: at,
			ProcessingDays: 7, Deadline: Deadline(nationalDay2026(b), at, 7).String(), RegisteredBy: officer,
			CreatedAt: at, UpdatedAt: at})
		events = append(events,
			eventRow{ID: id[:24] + fmt.Sprintf("a%011d", i), ApplicationID: id, Status: string(Submitted), OccurredAt: at, OfficerID: officer},
			eventRow{ID: id[:24] + fmt.Sprintf("b%011d", i), ApplicationID: id, FromStatus: string(Submitted), Status: string(st), OccurredAt: at.Add(time.Hour), OfficerID: officer})
		numbers = append(numbers, n)
	}
	if err := e.db.Gorm.CreateInBatches(apps, 500).Error; err != nil {
		b.Fatal(err)
	}
	if err := e.db.Gorm.CreateInBatches(events, 500).Error; err != nil {
		b.Fatal(err)
	}
	return numbers
}

// BenchmarkInquire is the anonymous inquiry without HTTP: read by number,
// passport check (in memory here), timeline.
func BenchmarkInquire(b *testing.B) {
	benchEach(b, func(b *testing.B, e env, numbers []Number) {
		// person-0 is alice's stand-in: give the fake registry that ID.
		e.svc.applicants = fakeApplicants{"person-0": {{"E12345678", "1990-04-01"}}}
		q := Inquiry{Number: numbers[3000], PassportNumber: "E12345678", BirthDate: date(b, "1990-04-01")}
		ctx := context.Background()
		b.ResetTimer()
		for b.Loop() {
			if _, err := e.svc.Inquire(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSearchOverdue is an officer's first page of one centre's
// overdue applications.
func BenchmarkSearchOverdue(b *testing.B) {
	benchEach(b, func(b *testing.B, e env, _ []Number) {
		yes := true
		f := Filter{CentreID: centreBJ, Overdue: &yes}
		ctx := context.Background()
		b.ResetTimer()
		for b.Loop() {
			page, err := e.svc.Search(ctx, f, paging.Request{Limit: 20})
			if err != nil || len(page.Items) != 20 {
				b.Fatalf("%d items, %v", len(page.Items), err)
			}
		}
	})
}

// BenchmarkAddEvent is one officer step: the transaction with its status
// update, event, notification and audit row.
func BenchmarkAddEvent(b *testing.B) {
	benchEach(b, func(b *testing.B, e env, _ []Number) {
		ctx := context.Background()
		b.ResetTimer()
		for b.Loop() {
			b.StopTimer()
			rec := e.register(b, alice, "visa_extension", centreBJ)
			b.StartTimer()
			if _, err := e.svc.AddEvent(ctx, theOfficer, rec.Number, Step{Status: Accepted}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
