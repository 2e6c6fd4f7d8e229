// Package outbox delivers messages to people out of band — text messages
// and e-mail — through a durable outbox: a message is written in the
// transaction of the change that causes it (Enqueue), so it exists if and
// only if that change committed, and a Dispatcher hands it to a Sender
// afterwards, retrying with back-off. Delivery is at least once: a node
// that stops between sending and recording the fact leaves the message to
// be sent again when its claim lapses.
//
// Bodies may carry one-time codes, so they never reach the logs, and the
// stored body is wiped as soon as a message leaves the pending state. The
// Sender is the seam to an SMS or e-mail gateway; FileSender writes to a
// file for development and demonstrations.
package outbox

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Channel is how a message travels.
type Channel string

// The channels.
const (
	SMS   Channel = "sms"
	Email Channel = "email"
)

// Message is one message to one recipient.
type Message struct {
	ID      string
	Channel Channel
	// To is an E.164 mobile number for SMS, an address for e-mail.
	To      string
	Subject string // e-mail only
	Body    string
	// ExpiresAt is when the message is no longer worth delivering (the
	// code in it has expired); it is then dropped unsent.
	ExpiresAt time.Time
}

// Sender delivers one message. An error means it was not delivered and
// should be tried again later; its text is logged and stored, so it must
// not contain the body.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Message states.
const (
	statePending = "pending"
	stateSent    = "sent"
	stateExpired = "expired"
	stateFailed  = "failed" // given up after MaxAttempts
)

// row is the stored form of a message.
type row struct {
	ID            string `gorm:"primaryKey"`
	Channel       string
	Recipient     string
	Subject       string
	Body          string
	State         string
	Attempts      int
	LastError     string
	CreatedAt     time.Time `gorm:"autoCreateTime:false"`
	ExpiresAt     time.Time
	NextAttemptAt time.Time
	FinishedAt    *time.Time
}

func (row) TableName() string { return "outbox" }

func (r row) message() Message {
	return Message{ID: r.ID, Channel: Channel(r.Channel), To: r.Recipient, Subject: r.Subject, Body: r.Body,
		ExpiresAt: r.ExpiresAt.UTC()}
}

// Enqueue writes m inside tx, the transaction of the change that causes
// it, due at once. It returns the message's ID.
func Enqueue(tx *gorm.DB, now time.Time, m Message) (string, error) {
	if m.Channel != SMS && m.Channel != Email {
		return "", errors.New("outbox: unknown channel " + string(m.Channel))
	}
	if m.To == "" || m.Body == "" || !m.ExpiresAt.After(now) {
		return "", errors.New("outbox: a message needs a recipient, a body and a future expiry")
	}
	id, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	now = now.UTC()
	r := row{ID: id.String(), Channel: string(m.Channel), Recipient: m.To, Subject: m.Subject, Body: m.Body,
		State: statePending, CreatedAt: now, ExpiresAt: m.ExpiresAt.UTC(), NextAttemptAt: now}
	if err := tx.Create(&r).Error; err != nil {
		return "", err
	}
	return r.ID, nil
}
