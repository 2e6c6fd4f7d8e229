package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/api"
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// cannedVerifier answers every verification with the same valid answer,
// shaped like a real one, without signature checks or database work.
type cannedVerifier struct{ answer attestations.Verification }

func (c cannedVerifier) Verify(context.Context, relyingparties.Party, attestations.VerifyRequest, string) (attestations.Verification, error) {
	return c.answer, nil
}

type anyKey struct{}

func (anyKey) Authenticate(context.Context, string) (relyingparties.Party, error) {
	return relyingparties.Party{ID: "p", Name: "Floor Bank", Sector: relyingparties.SectorBank}, nil
}

// TestLoadFloorWithoutVerification measures what the HTTP layer and the
// load generator alone cost: the real router and middleware, a canned
// answer of the real size, no cryptography and no database. It runs only
// for a measured run (FPRLINK_LOAD_CLIENTS set) and only logs its report;
// docs/PERFORMANCE.md uses it to show how much of each verify call is
// neither verification nor database.
func TestLoadFloorWithoutVerification(t *testing.T) {
	clients, err := strconv.Atoi(os.Getenv("FPRLINK_LOAD_CLIENTS"))
	if err != nil {
		t.Skip("a measurement, not a test: set FPRLINK_LOAD_CLIENTS")
	}
	dur := 10 * time.Second
	if d, err := time.ParseDuration(os.Getenv("FPRLINK_LOAD_DURATION")); err == nil {
		dur = d
	}
	db := dbtest.SQLite(t) // only for /readyz; the verify route never touches it
	ed, inputs := issueDocuments(t, db, 1)
	party, err := ed.Parties.Create(context.Background(), audit.System,
		relyingparties.CreateRequest{Name: "Floor Bank", Sector: relyingparties.SectorBank})
	if err != nil {
		t.Fatal(err)
	}
	v, err := ed.Service.Verify(context.Background(), party.Party, attestations.VerifyRequest{QR: inputs[0]}, "")
	if err != nil || !v.Valid {
		t.Fatalf("%+v %v", v, err)
	}
	for i := range v.Checks {
		if v.Checks[i].Message == (i18n.Text{}) {
			t.Fatalf("check %s has no message", v.Checks[i].Code)
		}
	}
	base := serve(t, api.Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: clock.Real{}, DB: db,
		Verify: api.Verify{Verifier: cannedVerifier{v}, APIKeys: anyKey{}}})
	cpu0 := sampleCPU()
	rep := Run(context.Background(), Config{URL: base + "/api/v1/verify", APIKey: "k", Inputs: inputs,
		Clients: clients, Duration: dur})
	cpu1 := sampleCPU()
	var out strings.Builder
	rep.Print(&out)
	t.Logf("HTTP floor (canned answers):\n%s%s", out.String(), perCall(cpu0, cpu1, rep.Answered))
}
