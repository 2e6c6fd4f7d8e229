package outbox

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

var t0 = time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)

// recorder is a Sender that remembers what it was given and fails while
// failing is set.
type recorder struct {
	mu      sync.Mutex
	got     []Message
	failing bool
}

func (r *recorder) Send(_ context.Context, m Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failing {
		return errors.New("gateway unavailable")
	}
	r.got = append(r.got, m)
	return nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// logBuffer keeps what dispatchers log; two of them share one in the
// several-nodes test, so writes are serialised as a real log sink's are.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type fixture struct {
	db   *storage.DB
	clk  *clock.Fake
	send *recorder
	logs *logBuffer
	d    *Dispatcher
}

func newFixture(t *testing.T, db *storage.DB) *fixture {
	t.Helper()
	f := &fixture{db: db, clk: clock.NewFake(t0), send: &recorder{}, logs: &logBuffer{}}
	d, err := NewDispatcher(db, f.clk, f.send, slog.New(slog.NewJSONHandler(f.logs, nil)), Options{MaxAttempts: 3})
	if err != nil {
		t.Fatal(err)
	}
	f.d = d
	return f
}

const secretBody = "Your code is K7QM-3XTR-9PWD-2HAB"

func (f *fixture) enqueue(t *testing.T, ttl time.Duration) string {
	t.Helper()
	var id string
	err := f.db.Gorm.Transaction(func(tx *gorm.DB) error {
		var err error
		id, err = Enqueue(tx, f.clk.Now(), Message{Channel: SMS, To: "+46701234567", Body: secretBody, ExpiresAt: f.clk.Now().Add(ttl)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *fixture) load(t *testing.T, id string) row {
	t.Helper()
	var r row
	if err := f.db.Gorm.Where("id = ?", id).Take(&r).Error; err != nil {
		t.Fatal(err)
	}
	return r
}

func TestModelMatchesSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := storage.CheckModels(db, &row{}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestEnqueueBelongsToItsTransaction: a message of a change that rolls
// back is never sent.
func TestEnqueueBelongsToItsTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		_ = db.Gorm.Transaction(func(tx *gorm.DB) error {
			if _, err := Enqueue(tx, f.clk.Now(), Message{Channel: Email, To: "a@example.cn", Body: "x", ExpiresAt: t0.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
			return errors.New("the change failed")
		})
		if n, err := f.d.RunOnce(context.Background()); err != nil || n != 0 || f.send.count() != 0 {
			t.Fatalf("sent %d, %v", n, err)
		}
	})
}

func TestEnqueueRejects(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		for name, m := range map[string]Message{
			"fail-channel":      {Channel: "fax", To: "x", Body: "x", ExpiresAt: t0.Add(time.Hour)},
			"fail-no-recipient": {Channel: SMS, Body: "x", ExpiresAt: t0.Add(time.Hour)},
			"fail-no-body":      {Channel: SMS, To: "+46701234567", ExpiresAt: t0.Add(time.Hour)},
			"fail-expired":      {Channel: SMS, To: "+46701234567", Body: "x", ExpiresAt: t0},
		} {
			t.Run(name, func(t *testing.T) {
				if _, err := Enqueue(db.Gorm, t0, m); err == nil {
					t.Fatal("accepted")
				}
			})
		}
	})
}

// TestDeliveredOnceAndWiped: a due message is delivered once, its stored
// body wiped, and the logs never hold the body or the recipient.
func TestDeliveredOnceAndWiped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		id := f.enqueue(t, 15*time.Minute)
		if n, err := f.d.RunOnce(context.Background()); err != nil || n != 1 {
			t.Fatalf("round: %d, %v", n, err)
		}
		if n, _ := f.d.RunOnce(context.Background()); n != 0 || f.send.count() != 1 {
			t.Fatalf("sent again: %d", f.send.count())
		}
		if got := f.send.got[0]; got.ID != id || got.Body != secretBody || got.To != "+46701234567" || got.Channel != SMS {
			t.Fatalf("sender got %+v", got)
		}
		r := f.load(t, id)
		if r.State != stateSent || r.Body != "" || r.FinishedAt == nil || r.Attempts != 1 {
			t.Fatalf("row after delivery %+v", r)
		}
		if strings.Contains(f.logs.String(), "K7QM") || strings.Contains(f.logs.String(), "+46701234567") {
			t.Fatalf("logs hold the message: %s", f.logs.String())
		}
	})
}

// TestFailuresBackOffThenGiveUp: a failed send is retried after a growing
// wait; after MaxAttempts the message is given up and wiped.
func TestFailuresBackOffThenGiveUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.send.failing = true
		id := f.enqueue(t, time.Hour)
		ctx := context.Background()
		_, _ = f.d.RunOnce(ctx)
		if r := f.load(t, id); r.State != statePending || r.Attempts != 1 || !r.NextAttemptAt.Equal(t0.Add(10*time.Second)) ||
			r.LastError != "gateway unavailable" {
			t.Fatalf("after one failure %+v", r)
		}
		f.clk.Advance(9 * time.Second)
		_, _ = f.d.RunOnce(ctx)
		if r := f.load(t, id); r.Attempts != 1 {
			t.Fatal("retried before the back-off")
		}
		f.clk.Advance(time.Second)
		_, _ = f.d.RunOnce(ctx)
		if r := f.load(t, id); r.Attempts != 2 || !r.NextAttemptAt.Equal(t0.Add(30*time.Second)) {
			t.Fatalf("second back-off %+v", r)
		}
		f.clk.Advance(20 * time.Second)
		_, _ = f.d.RunOnce(ctx)
		if r := f.load(t, id); r.State != stateFailed || r.Body != "" || r.Attempts != 3 {
			t.Fatalf("after giving up %+v", r)
		}
		if strings.Contains(f.logs.String(), "K7QM") {
			t.Fatal("logs hold the body")
		}
	})
}

// TestExpiredMessagesAreDroppedUnsent: a message whose code expired before
// it could be delivered is not sent late, and its body is wiped.
func TestExpiredMessagesAreDroppedUnsent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		id := f.enqueue(t, time.Minute)
		f.clk.Advance(time.Minute)
		if n, err := f.d.RunOnce(context.Background()); err != nil || n != 0 || f.send.count() != 0 {
			t.Fatalf("sent %d, %v", n, err)
		}
		if r := f.load(t, id); r.State != stateExpired || r.Body != "" {
			t.Fatalf("row %+v", r)
		}
		f.clk.Advance(31 * 24 * time.Hour)
		_, _ = f.d.RunOnce(context.Background())
		var n int64
		db.Gorm.Model(&row{}).Count(&n)
		if n != 0 {
			t.Fatal("a finished row outlived the retention")
		}
	})
}

// TestTwoNodesSendEachMessageOnce: dispatchers on two nodes share the
// work without sending anything twice.
func TestTwoNodesSendEachMessageOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		other, err := NewDispatcher(db, f.clk, f.send, slog.New(slog.NewJSONHandler(f.logs, nil)), Options{Batch: 50})
		if err != nil {
			t.Fatal(err)
		}
		const n = 30
		for range n {
			f.enqueue(t, time.Hour)
		}
		var wg sync.WaitGroup
		for _, d := range []*Dispatcher{f.d, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 3 {
					if _, err := d.RunOnce(context.Background()); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		seen := map[string]int{}
		for _, m := range f.send.got {
			seen[m.ID]++
		}
		if len(seen) != n || len(f.send.got) != n {
			t.Fatalf("%d sends of %d messages, want %d once each", len(f.send.got), len(seen), n)
		}
	})
}

func TestFileSenderWritesPrivateLines(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "messages.ndjson")
	s := &FileSender{Path: path, Now: func() time.Time { return t0 }}
	for i, to := range []string{"+46701234567", "erik@example.se"} {
		m := Message{ID: "m" + string(rune('1'+i)), Channel: SMS, To: to, Body: secretBody, ExpiresAt: t0.Add(time.Minute)}
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("file mode %v, %v", st.Mode(), err)
	}
	if d, _ := os.Stat(dir); d.Mode().Perm() != 0o700 {
		t.Fatalf("directory mode %v", d.Mode())
	}
	file, _ := os.Open(path)
	defer file.Close()
	var lines []fileLine
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		var l fileLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	if len(lines) != 2 || lines[1].To != "erik@example.se" || lines[0].Body != secretBody || !lines[0].SentAt.Equal(t0) {
		t.Fatalf("lines %+v", lines)
	}
}

// TestFileSenderTightensAnExistingFile: a messages file left readable by
// others is made private before a code is written to it.
func TestFileSenderTightensAnExistingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "messages.ndjson")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s := &FileSender{Path: path, Now: time.Now}
	if err := s.Send(context.Background(), Message{ID: "m", Channel: Email, To: "a@example.cn", Body: "x"}); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode())
	}
}
