package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// FileSender is the development and demonstration sender: it appends each
// message as one JSON line to a file that only the service's user may
// read (mode 0600, in a 0700 directory when it creates one), so a tester
// can read the code a resident would have received. It is no delivery at
// all, so production needs a Sender for a real SMS or e-mail gateway.
type FileSender struct {
	Path string
	Now  func() time.Time

	mu sync.Mutex
}

var _ Sender = (*FileSender)(nil)

// fileLine is one message as written.
type fileLine struct {
	ID        string    `json:"id"`
	Channel   Channel   `json:"channel"`
	To        string    `json:"to"`
	Subject   string    `json:"subject,omitempty"`
	Body      string    `json:"body"`
	SentAt    time.Time `json:"sent_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Send appends m to the file.
func (f *FileSender) Send(_ context.Context, m Message) error {
	line, err := json.Marshal(fileLine{ID: m.ID, Channel: m.Channel, To: m.To, Subject: m.Subject, Body: m.Body,
		SentAt: f.Now().UTC(), ExpiresAt: m.ExpiresAt})
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o700); err != nil {
		return fmt.Errorf("outbox file: %w", err)
	}
	file, err := os.OpenFile(f.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("outbox file: %w", err)
	}
	// A file made earlier with a looser mode is tightened: it holds codes.
	if err := file.Chmod(0o600); err != nil {
		_ = file.Close()
		return fmt.Errorf("outbox file: %w", err)
	}
	if _, err := file.Write(append(line, '\n')); err != nil {
		_ = file.Close()
		return fmt.Errorf("outbox file: %w", err)
	}
	return file.Close()
}
