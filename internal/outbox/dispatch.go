package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
)

// Options tunes a Dispatcher; zero fields take the defaults.
type Options struct {
	Interval    time.Duration // between rounds when idle; default 2 s
	Batch       int           // messages claimed per round; default 20
	Lease       time.Duration // how long a claim keeps other nodes off a message; default 1 min
	SendTimeout time.Duration // for one Send; default 20 s
	MaxAttempts int           // before a message is given up; default 8
	Backoff     time.Duration // after the first failure, doubling; default 10 s
	Retain      time.Duration // finished rows are deleted after this; default 30 days
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.Interval, 2*time.Second)
	def(&o.Lease, time.Minute)
	def(&o.SendTimeout, 20*time.Second)
	def(&o.Backoff, 10*time.Second)
	def(&o.Retain, 30*24*time.Hour)
	if o.Batch <= 0 {
		o.Batch = 20
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	return o
}

// Dispatcher delivers pending messages. Any number of nodes may run one
// on the same database: each message is claimed by one of them at a time.
type Dispatcher struct {
	db     *storage.DB
	clock  clock.Clock
	sender Sender
	log    *slog.Logger
	opts   Options
}

// NewDispatcher returns a dispatcher over db handing messages to sender.
func NewDispatcher(db *storage.DB, clk clock.Clock, sender Sender, log *slog.Logger, opts Options) (*Dispatcher, error) {
	if db == nil || clk == nil || sender == nil || log == nil {
		return nil, errors.New("outbox: db, clock, sender and logger are required")
	}
	return &Dispatcher{db: db, clock: clk, sender: sender, log: log, opts: opts.withDefaults()}, nil
}

// Run delivers messages until ctx is done. A failing round is logged and
// the next one tried after the interval.
func (d *Dispatcher) Run(ctx context.Context) {
	t := time.NewTicker(d.opts.Interval)
	defer t.Stop()
	for {
		if _, err := d.RunOnce(ctx); err != nil && ctx.Err() == nil {
			d.log.ErrorContext(ctx, "outbox round failed", slog.String("error", err.Error()))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce drops expired messages, deletes old finished ones, and tries
// every due message once. It returns how many were delivered.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	db := d.db.Gorm.WithContext(ctx)
	now := d.clock.Now().UTC()
	err := db.Model(&row{}).Where("state = ? AND expires_at <= ?", statePending, now).
		Updates(map[string]any{"state": stateExpired, "body": "", "subject": "", "finished_at": now}).Error
	if err != nil {
		return 0, fmt.Errorf("outbox: expire: %w", err)
	}
	if err := db.Where("state <> ? AND finished_at < ?", statePending, now.Add(-d.opts.Retain)).Delete(&row{}).Error; err != nil {
		return 0, fmt.Errorf("outbox: prune: %w", err)
	}
	var due []row
	err = db.Where("state = ? AND next_attempt_at <= ? AND expires_at > ?", statePending, now, now).
		Order("next_attempt_at, id").Limit(d.opts.Batch).Find(&due).Error
	if err != nil {
		return 0, fmt.Errorf("outbox: due: %w", err)
	}
	sent := 0
	for _, r := range due {
		ok, err := d.deliver(ctx, r, now)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// deliver claims r, sends it and records the outcome. The claim moves the
// next attempt past the lease and counts the attempt, conditioned on the
// count read, so two nodes that read the same row cannot both send it.
func (d *Dispatcher) deliver(ctx context.Context, r row, now time.Time) (bool, error) {
	db := d.db.Gorm.WithContext(ctx)
	res := db.Model(&row{}).Where("id = ? AND state = ? AND attempts = ?", r.ID, statePending, r.Attempts).
		Updates(map[string]any{"attempts": r.Attempts + 1, "next_attempt_at": now.Add(d.opts.Lease)})
	if res.Error != nil {
		return false, fmt.Errorf("outbox: claim: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return false, nil // another node has it
	}
	r.Attempts++
	sendCtx, cancel := context.WithTimeout(ctx, d.opts.SendTimeout)
	sendErr := d.sender.Send(sendCtx, r.message())
	cancel()
	done := d.clock.Now().UTC()
	if sendErr == nil {
		d.log.InfoContext(ctx, "message delivered", slog.String("message_id", r.ID), slog.String("channel", r.Channel))
		return true, d.finish(ctx, r.ID, stateSent, done, "")
	}
	d.log.WarnContext(ctx, "message not delivered", slog.String("message_id", r.ID), slog.String("channel", r.Channel),
		slog.Int("attempts", r.Attempts), slog.String("error", sendErr.Error()))
	reason := truncate(sendErr.Error(), 500)
	if r.Attempts >= d.opts.MaxAttempts {
		return false, d.finish(ctx, r.ID, stateFailed, done, reason)
	}
	wait := d.opts.Backoff << min(r.Attempts-1, 16)
	err := db.Model(&row{}).Where("id = ?", r.ID).
		Updates(map[string]any{"next_attempt_at": done.Add(wait), "last_error": reason}).Error
	if err != nil {
		return false, fmt.Errorf("outbox: reschedule: %w", err)
	}
	return false, nil
}

// finish records a message's last state and wipes what it said.
func (d *Dispatcher) finish(ctx context.Context, id, state string, now time.Time, reason string) error {
	err := d.db.Gorm.WithContext(ctx).Model(&row{}).Where("id = ?", id).Updates(map[string]any{
		"state": state, "body": "", "subject": "", "finished_at": now, "last_error": reason}).Error
	if err != nil {
		return fmt.Errorf("outbox: finish: %w", err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
