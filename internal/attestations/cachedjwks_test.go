package attestations_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
)

type switchableJWKS struct {
	err error
	n   int
}

func (s *switchableJWKS) JWKS(context.Context) ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	s.n++
	return []byte(fmt.Sprintf(`{"keys":[],"n":%d}`, s.n)), nil
}

func TestCachedJWKSServesLastCopyOnlyDuringAnOutage(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC))
	src := &switchableJWKS{}
	c := attestations.NewCachedJWKS(clk, src, 5*time.Minute)
	ctx := context.Background()
	first, at, err := c.Copy(ctx)
	if err != nil || !at.Equal(clk.Now()) {
		t.Fatalf("up: %s %v %v", first, at, err)
	}
	clk.Advance(time.Minute)
	src.err = fmt.Errorf("keystore: list: %w", storage.ErrUnavailable)
	got, gotAt, err := c.Copy(ctx)
	if err != nil || string(got) != string(first) || !gotAt.Equal(at) {
		t.Fatalf("outage: %s %v %v; want the last copy with its read time", got, gotAt, err)
	}
	bug := errors.New("keys: stored JWK of k1: bad curve")
	src.err = bug
	if _, _, err := c.Copy(ctx); !errors.Is(err, bug) {
		t.Fatalf("a bug must surface: %v", err)
	}
	src.err = storage.ErrUnavailable
	clk.Advance(4 * time.Minute)
	if _, _, err := c.Copy(ctx); !storage.Unavailable(err) {
		t.Fatalf("a copy older than its max-age must not be served: %v", err)
	}
}

func TestCachedJWKSWithNoCopyAnswersTheOutage(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC))
	c := attestations.NewCachedJWKS(clk, &switchableJWKS{err: storage.ErrUnavailable}, time.Minute)
	if _, err := c.JWKS(context.Background()); !storage.Unavailable(err) {
		t.Fatalf("no copy yet: %v", err)
	}
}
