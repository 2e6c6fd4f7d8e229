package main

import (
	"context"
	"log/slog"
	"path/filepath"

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
