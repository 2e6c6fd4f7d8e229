package applications

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
)

// Step is an officer's move of an application to a new status.
type Step struct {
	Status Status
	// PublicNote is shown to the applicant; when given it must be given in
	// both languages, as every text the applicant sees is.
	PublicNote i18n.Text
	// InternalNote is for officers only and never leaves officer routes.
	InternalNote string
}

// Note limits, in characters.
const (
	maxPublicNote   = 2000
	maxInternalNote = 4000
)

// Validate checks the shape of st, naming every bad field.
func (st Step) Validate() error {
	var fs []apperr.FieldError
	if !st.Status.Known() {
		_, err := ParseStatus(string(st.Status), "status")
		e, _ := apperr.As(err)
		fs = append(fs, apperr.FieldError{Field: "status", Code: e.Code, Message: e.Message})
	}
	en, zh := strings.TrimSpace(st.PublicNote.En), strings.TrimSpace(st.PublicNote.Zh)
	if (en == "") != (zh == "") {
		field := "public_note.en"
		if zh == "" {
			field = "public_note.zh-CN"
		}
		fs = append(fs, apperr.FieldError{Field: field, Code: "note_language_missing", Message: i18n.T(
			"A public note is shown to the applicant and must be written in both English and Chinese.",
			"公开备注会向申请人展示，须同时提供英文和中文。")})
	}
	if utf8.RuneCountInString(st.PublicNote.En) > maxPublicNote || utf8.RuneCountInString(st.PublicNote.Zh) > maxPublicNote {
		fs = append(fs, apperr.FieldError{Field: "public_note", Code: "too_long", Message: i18n.T(
			fmt.Sprintf("Each public note may be at most %d characters.", maxPublicNote),
			fmt.Sprintf("公开备注每种语言最多 %d 个字符。", maxPublicNote))})
	}
	if utf8.RuneCountInString(st.InternalNote) > maxInternalNote {
		fs = append(fs, apperr.FieldError{Field: "internal_note", Code: "too_long", Message: i18n.T(
			fmt.Sprintf("The internal note may be at most %d characters.", maxInternalNote),
			fmt.Sprintf("内部备注最多 %d 个字符。", maxInternalNote))})
	}
	return invalidFields(fs)
}

// errStatusChanged is returned when another officer moved the application
// between our read and our write.
var errStatusChanged = apperr.Conflict("status_changed", i18n.T(
	"Someone else changed this application's status just now. Reload it and try again.",
	"此申请的状态刚被他人更改，请刷新后重试。"))

func invalidTransition(from, to Status) error {
	return apperr.Conflict("invalid_transition", i18n.T(
		fmt.Sprintf("An application that is %q cannot become %q.", from.Label().En, to.Label().En),
		fmt.Sprintf("处于“%s”状态的申请不能变更为“%s”。", from.Label().Zh, to.Label().Zh)))
}

// AddEvent moves the application numbered n to st.Status. The status
// update is conditional on the status read, so of two officers acting at
// once exactly one wins; the event, the applicant's notification and the
// audit row commit with it or not at all.
func (s *Service) AddEvent(ctx context.Context, by audit.Actor, n Number, st Step) (Record, error) {
	if err := st.Validate(); err != nil {
		return Record{}, err
	}
	var cal *calendar.Calendar
	if st.Status == UnderReview { // may resume a paused deadline
		var err error
		if cal, err = s.directory.Calendar(ctx); err != nil {
			return Record{}, apperr.Internal("applications: calendar: %w", err)
		}
	}
	now := s.clock.Now()
	var row applicationRow
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if row, err = rowByNumber(tx, n); err != nil {
			return err
		}
		return s.move(tx, by, &row, st, cal, now)
	})
	if err != nil {
		if _, typed := apperr.As(err); typed {
			return Record{}, err
		}
		return Record{}, apperr.Internal("applications: add event to %s: %w", n, err)
	}
	return s.record(ctx, row)
}

// move applies st to row inside tx.
func (s *Service) move(tx *gorm.DB, by audit.Actor, row *applicationRow, st Step, cal *calendar.Calendar, now time.Time) error {
	from := Status(row.Status)
	if !CanMove(from, st.Status) {
		return invalidTransition(from, st.Status)
	}
	before := map[string]any{"status": row.Status, "deadline": row.Deadline}
	if from == SupplementRequested {
		paused, err := pausedSince(tx, row.ID)
		if err != nil {
			return err
		}
		d, err := calendar.ParseDate(row.Deadline)
		if err != nil {
			return err
		}
		row.Deadline = extendForPause(cal, d, calendar.LocalDate(paused), calendar.LocalDate(now)).String()
	}
	res := tx.Model(&applicationRow{}).Where("id = ? AND status = ?", row.ID, string(from)).
		Updates(map[string]any{"status": string(st.Status), "deadline": row.Deadline, "updated_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return errStatusChanged
	}
	row.Status, row.UpdatedAt = string(st.Status), now
	ev, err := addEvent(tx, row, from, st.Status, st, by.ID, now)
	if err != nil {
		return err
	}
	return audit.Write(tx, now, audit.Entry{
		Actor: by, Action: "application.transition",
		Entity: "application", EntityID: row.ID, Before: before,
		After: map[string]any{"status": row.Status, "deadline": row.Deadline, "event_id": ev.ID},
	})
}

// pausedSince is when the open supplement request was made.
func pausedSince(tx *gorm.DB, applicationID string) (time.Time, error) {
	var ev eventRow
	err := tx.Where("application_id = ? AND status = ?", applicationID, string(SupplementRequested)).
		Order("occurred_at DESC, id DESC").Take(&ev).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return time.Time{}, fmt.Errorf("applications: %s is waiting for a supplement with no request event", applicationID)
	}
	return ev.OccurredAt, err
}

// addEvent writes the timeline event of a move to `to` and tells the
// applicant about it.
func addEvent(tx *gorm.DB, row *applicationRow, from, to Status, st Step, officerID string, now time.Time) (eventRow, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return eventRow{}, err
	}
	ev := eventRow{ID: id.String(), ApplicationID: row.ID, FromStatus: string(from), Status: string(to),
		OccurredAt: now, OfficerID: officerID, PublicNoteEn: strings.TrimSpace(st.PublicNote.En),
		PublicNoteZh: strings.TrimSpace(st.PublicNote.Zh), InternalNote: strings.TrimSpace(st.InternalNote)}
	if err := tx.Create(&ev).Error; err != nil {
		return ev, err
	}
	_, err = notifications.Add(tx, now, notifications.Notification{
		PersonID: row.PersonID, Kind: "application.status", Ref: row.Number,
		Subject: i18n.T(fmt.Sprintf("Application %s: %s", row.Number, to.Label().En),
			fmt.Sprintf("申请 %s：%s", row.Number, to.Label().Zh)),
		Body: notificationBody(to, i18n.T(ev.PublicNoteEn, ev.PublicNoteZh)),
	})
	return ev, err
}

// notificationBody is the status's standard text followed by the
// officer's public note; the internal note is never part of it.
func notificationBody(to Status, note i18n.Text) i18n.Text {
	body := to.explain()
	if note.En != "" {
		body.En += "\n\n" + note.En
		body.Zh += "\n\n" + note.Zh
	}
	return body
}
