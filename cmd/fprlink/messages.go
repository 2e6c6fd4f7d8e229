package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/outbox"
	"github.com/fprlink/fprlink/internal/storage"
)

// messageFileName is the development sender's file inside the data
// directory.
const messageFileName = "messages.ndjson"

// messageFile is where the development sender writes messages.
func messageFile(cfg *config) string {
	if cfg.MessageFile != "" {
		return cfg.MessageFile
	}
	return filepath.Join(cfg.DataDir, messageFileName)
}

// buildDispatcher delivers the outbox through the file sender, the only
// one built in: messages, enrolment codes among them, land in a 0600 file
// rather than reaching a phone or mailbox. The warning says so, without
// ever naming a code.
func buildDispatcher(cfg *config, db *storage.DB, clk clock.Clock, log *slog.Logger) (*outbox.Dispatcher, error) {
	path := messageFile(cfg)
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	log.Warn("messages to residents (enrolment codes) are written to a file, not sent: a development sender",
		slog.String("file", path))
	return outbox.NewDispatcher(db, clk, &outbox.FileSender{Path: path, Now: clk.Now}, log, outbox.Options{})
}

// runDispatcher delivers messages until ctx is done; the returned
// function stops it and waits, so the database outlives it.
func runDispatcher(ctx context.Context, d *outbox.Dispatcher) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.Run(ctx)
	}()
	return func() { cancel(); <-done }
}

// endingNoticeEvery is how often helpers' grants about to end are looked
// for; a helper is told days ahead, so an hour is early enough.
const endingNoticeEvery = time.Hour

// runEndingNotices warns helpers of grants about to expire or lapse, now
// and then every endingNoticeEvery, until ctx ends; stop waits for it.
// Several nodes may run it: each grant's helper is told once.
func runEndingNotices(ctx context.Context, run func(context.Context) (int, error), log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(endingNoticeEvery)
		defer t.Stop()
		for {
			if _, err := run(ctx); err != nil && ctx.Err() == nil {
				log.Error("warning helpers of grants about to end failed", slog.String("error", err.Error()))
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}
