package directory

import (
	"context"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestSnapshotReadsReplicaButOfficersSeeTheirOwnChange holds the replica
// back: a change made behind this node's back is not in the snapshot it
// reloads (the replica served it), while an officer's change here is
// read back at once (the primary served it).
func TestSnapshotReadsReplicaButOfficersSeeTheirOwnChange(t *testing.T) {
	const every = 50 * time.Millisecond
	db, rep := dbtest.Replicated(t, dbtest.WithReplicaMaxLag(2*time.Second), dbtest.WithReplicaCheckEvery(every))
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	ctx := context.Background()
	s := newTestService(t, db, clk)
	c, err := s.CreateCenter(ctx, officer, demoInput())
	if err != nil {
		t.Fatal(err)
	}
	// Past the time a writer reads its own changes from the primary.
	time.Sleep(2*time.Second + 3*every)
	rep.Heartbeat(t, db)
	rep.Pause(t)
	if _, err := rep.Primary().ExecContext(ctx,
		"UPDATE "+rep.Schema+".service_centers SET name_en = 'Renamed by another node' WHERE id = $1", c.ID); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Hour) // the snapshot expires
	got, err := s.Center(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name.En != demoInput().Name.En {
		t.Fatalf("the snapshot has %q: it was not read from the paused replica", got.Name.En)
	}
	if st := db.ReplicaStatus(); st.ReplicaReads == 0 {
		t.Fatalf("no read served by the replica: %+v", st)
	}
	in := demoInput()
	in.Name = i18n.T("Renamed by the officer (fictional)", "由官员改名（虚构）")
	if _, err := s.UpdateCenter(ctx, officer, c.ID, in); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Center(ctx, c.ID); got.Name.En != in.Name.En {
		t.Fatalf("the officer reads %q after renaming: the snapshot came from the replica", got.Name.En)
	}
}
