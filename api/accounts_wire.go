package api

import (
	"time"

	"github.com/fprlink/fprlink/internal/accounts"
)

// accountJSON is an account as its owner and admins see it.
type accountJSON struct {
	ID                     string     `json:"id"`
	Username               string     `json:"username"`
	Role                   string     `json:"role"`
	PersonID               string     `json:"person_id,omitempty"`
	CreatedAt              time.Time  `json:"created_at"`
	DisabledAt             *time.Time `json:"disabled_at,omitempty"`
	PasswordChangeRequired bool       `json:"password_change_required,omitempty"`
}

func toAccountJSON(a accounts.Account) accountJSON {
	return accountJSON{ID: a.ID, Username: a.Username, Role: a.Role, PersonID: a.PersonID, CreatedAt: a.CreatedAt,
		DisabledAt: a.DisabledAt, PasswordChangeRequired: a.PasswordChangeRequired}
}

// loginResponse is a new session.
type loginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	Role      string    `json:"role"`
}

// resetJSON is a staff reset: the temporary password is shown once.
type resetJSON struct {
	Account           accountJSON `json:"account"`
	TemporaryPassword string      `json:"temporary_password"`
	ExpiresAt         time.Time   `json:"expires_at"`
}

// codeSentJSON is the one answer to a code request.
type codeSentJSON struct {
	Message         string `json:"message"`
	ValidForSeconds int    `json:"valid_for_seconds"`
}

// counterCodeJSON is an enrolment code an officer hands over at the
// counter.
type counterCodeJSON struct {
	PersonID  string    `json:"person_id"`
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
}
