package guidelines

import (
	"context"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestSnapshotReadsReplicaButPublisherSeesOwnVersion holds the replica
// back: a version published behind this node's back is not in the
// snapshot it reloads (the replica served it), while a version published
// here is read back at once (the primary served it).
func TestSnapshotReadsReplicaButPublisherSeesOwnVersion(t *testing.T) {
	const every = 50 * time.Millisecond
	db, rep := dbtest.Replicated(t, dbtest.WithReplicaMaxLag(2*time.Second), dbtest.WithReplicaCheckEvery(every))
	clk := clock.NewFake(time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC))
	ctx := context.Background()
	s := New(db, clk, time.Hour)
	today := calendar.LocalDate(clk.Now())
	first, err := s.Publish(ctx, officer, business.VisaExtension, today, validContent())
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2*time.Second + 3*every)
	rep.Heartbeat(t, db)
	rep.Pause(t)
	if _, err := rep.Primary().ExecContext(ctx,
		"UPDATE "+rep.Schema+".guideline_versions SET content = replace(content, 'Extend your stay.', 'Changed by another node.') WHERE business = $1",
		business.VisaExtension); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Hour)
	got, err := s.Current(ctx, business.VisaExtension, today)
	if err != nil {
		t.Fatal(err)
	}
	if got.Content.Summary.En != first.Content.Summary.En {
		t.Fatalf("the snapshot has %q: it was not read from the paused replica", got.Content.Summary.En)
	}
	if st := db.ReplicaStatus(); st.ReplicaReads == 0 {
		t.Fatalf("no read served by the replica: %+v", st)
	}
	c := validContent()
	c.Summary = i18n.T("Published here.", "在此发布。")
	v2, err := s.Publish(ctx, officer, business.VisaExtension, today, c)
	if err != nil {
		t.Fatal(err)
	}
	got, err = s.Current(ctx, business.VisaExtension, today)
	if err != nil || got.Version != v2.Version || got.Content.Summary.En != "Published here." {
		t.Fatalf("the publisher reads v%d %q (%v) after publishing v%d", got.Version, got.Content.Summary.En, err, v2.Version)
	}
}
