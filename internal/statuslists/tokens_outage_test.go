package statuslists

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/issuer/edoc"
)

// flakySource is a list source whose database can be taken away.
type flakySource struct {
	err     error
	version int64
}

func (f *flakySource) Version(context.Context, string) (int64, error) { return f.version, f.err }

func (f *flakySource) Load(context.Context, string) (*edoc.StatusList, int64, error) {
	if f.err != nil {
		return nil, 0, f.err
	}
	return edoc.NewStatusList(16), f.version, nil
}

// expiringSigner signs a token whose payload carries exp, as the issuer's
// do, lifetime after the clock's now.
type expiringSigner struct {
	clk      clock.Clock
	lifetime time.Duration
	n        int
}

func (s *expiringSigner) StatusListToken(_ context.Context, id string, _ *edoc.StatusList) (string, error) {
	s.n++
	payload := fmt.Sprintf(`{"sub":%q,"exp":%d,"n":%d}`, id, s.clk.Now().Add(s.lifetime).Unix(), s.n)
	return "e30." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".sig", nil
}

func TestTokensServeLastTokenWhileDatabaseAway(t *testing.T) {
	clk := clock.NewFake(t0)
	src := &flakySource{version: 3}
	toks := NewTokens(clk, src, &expiringSigner{clk: clk, lifetime: time.Hour}, 10*time.Minute)
	ctx := context.Background()
	good, err := toks.Current(ctx, "1")
	if err != nil || good.Stale {
		t.Fatalf("with the database up: %+v, %v", good, err)
	}
	src.err = fmt.Errorf("read version: %w", storage.ErrUnavailable)
	clk.Advance(30 * time.Minute) // past ttl/2: it would be signed again
	got, err := toks.Current(ctx, "1")
	if err != nil || !got.Stale || got.Token != good.Token {
		t.Fatalf("during the outage: %+v, %v; want the last token, marked stale", got, err)
	}
	src.err = nil
	again, err := toks.Current(ctx, "1")
	if err != nil || again.Stale || again.Token == good.Token {
		t.Fatalf("after recovery: %+v, %v; want a fresh token", again, err)
	}
}

func TestTokensRefuseExpiredTokenWhileDatabaseAway(t *testing.T) {
	clk := clock.NewFake(t0)
	src := &flakySource{version: 1}
	toks := NewTokens(clk, src, &expiringSigner{clk: clk, lifetime: time.Hour}, 10*time.Minute)
	ctx := context.Background()
	if _, err := toks.Current(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	src.err = storage.ErrUnavailable
	clk.Advance(time.Hour)
	if _, err := toks.Current(ctx, "1"); !errors.Is(err, storage.ErrUnavailable) {
		t.Fatalf("an expired token must not be served: %v", err)
	}
}

func TestTokensRefuseLastTokenOnAnErrorThatIsNoOutage(t *testing.T) {
	clk := clock.NewFake(t0)
	src := &flakySource{version: 1}
	toks := NewTokens(clk, src, &expiringSigner{clk: clk, lifetime: time.Hour}, 10*time.Minute)
	ctx := context.Background()
	if _, err := toks.Current(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	bug := errors.New("column does not exist")
	src.err = bug
	if _, err := toks.Current(ctx, "1"); !errors.Is(err, bug) {
		t.Fatalf("a bug must surface, not be hidden behind the cache: %v", err)
	}
}

func TestTokensWithNothingSignedAnswerTheOutage(t *testing.T) {
	clk := clock.NewFake(t0)
	toks := NewTokens(clk, &flakySource{err: storage.ErrUnavailable}, &expiringSigner{clk: clk, lifetime: time.Hour}, time.Minute)
	if _, err := toks.Current(context.Background(), "1"); !storage.Unavailable(err) {
		t.Fatalf("no token yet: %v", err)
	}
}

type fixedLister map[string]int64

func (f fixedLister) Versions(context.Context) (map[string]int64, error) { return f, nil }

func TestKeepSignsEveryListBeforeAnyoneAsks(t *testing.T) {
	clk := clock.NewFake(t0)
	src := &flakySource{version: 1}
	signer := &expiringSigner{clk: clk, lifetime: time.Hour}
	toks := NewTokens(clk, src, signer, 10*time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); toks.Keep(ctx, fixedLister{"1": 1, "2": 1}, nil) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		toks.mu.Lock()
		n := len(toks.cache)
		toks.mu.Unlock()
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Keep signed %d of 2 lists", n)
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	src.err = storage.ErrUnavailable
	for _, id := range []string{"1", "2"} {
		if s, err := toks.Current(context.Background(), id); err != nil || !s.Stale {
			t.Fatalf("list %s during an outage, never asked for before: %+v %v", id, s, err)
		}
	}
}
