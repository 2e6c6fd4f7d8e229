package applications

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
)

// Registration is what the counter records when it takes an application.
type Registration struct {
	PersonID      string
	BusinessType  string
	CentreID      string
	AppointmentID string    // empty for a walk-in
	SubmittedAt   time.Time // zero means now
}

// Limits on registration.
const (
	maxIDLen = 64
	// A counter may enter an application after the fact (a busy day, a
	// network outage) but not backdate it indefinitely, which would move
	// its deadline into the past.
	maxBackdate = 30 * 24 * time.Hour
	// Counter PCs' clocks may run a little ahead of ours.
	maxClockSkew = 5 * time.Minute
	// numberAttempts bounds retries on the (1 in 10⁸ per day) chance
	// that a fresh number is taken.
	numberAttempts = 4
)

// Validate checks the shape of r, naming every bad field.
func (r Registration) Validate() error {
	var fs []apperr.FieldError
	fs = appendID(fs, "person_id", r.PersonID, true)
	fs = appendID(fs, "business_type", r.BusinessType, true)
	fs = appendID(fs, "center_id", r.CentreID, true)
	fs = appendID(fs, "appointment_id", r.AppointmentID, false)
	return invalidFields(fs)
}

func appendID(fs []apperr.FieldError, field, v string, required bool) []apperr.FieldError {
	switch {
	case v == "" && required:
		return append(fs, apperr.FieldError{Field: field, Code: "required",
			Message: i18n.T(field+" is required.", "此项为必填项。")})
	case utf8.RuneCountInString(v) > maxIDLen:
		return append(fs, apperr.FieldError{Field: field, Code: "too_long",
			Message: i18n.T(fmt.Sprintf("%s must be at most %d characters.", field, maxIDLen),
				fmt.Sprintf("此项最多 %d 个字符。", maxIDLen))})
	}
	return fs
}

// invalidFields is nil for no field errors, else one 422 error that names
// the first field and lists them all.
func invalidFields(fs []apperr.FieldError) error {
	if len(fs) == 0 {
		return nil
	}
	return &apperr.Error{Kind: apperr.KindInvalid, Code: fs[0].Code, Field: fs[0].Field,
		Message: fs[0].Message, Fields: fs}
}

// Register records a new application as submitted, with its number and
// legal deadline, the first timeline event, a notification to the
// applicant and an audit row.
func (s *Service) Register(ctx context.Context, by audit.Actor, r Registration) (Record, error) {
	if err := r.Validate(); err != nil {
		return Record{}, err
	}
	now := s.clock.Now()
	if r.SubmittedAt.IsZero() {
		r.SubmittedAt = now
	}
	if err := checkSubmittedAt(r.SubmittedAt, now); err != nil {
		return Record{}, err
	}
	days, cal, err := s.checkReferences(ctx, r)
	if err != nil {
		return Record{}, err
	}
	row := applicationRow{PersonID: r.PersonID, BusinessType: r.BusinessType, CentreID: r.CentreID,
		Status: string(Submitted), SubmittedAt: r.SubmittedAt.UTC(), ProcessingDays: days,
		Deadline: Deadline(cal, r.SubmittedAt, days).String(), RegisteredBy: by.ID,
		CreatedAt: now, UpdatedAt: now}
	if r.AppointmentID != "" {
		row.AppointmentID = &r.AppointmentID
	}
	for attempt := 1; ; attempt++ {
		err = s.insert(ctx, by, &row, now)
		if !errors.Is(err, gorm.ErrDuplicatedKey) || attempt == numberAttempts {
			break
		}
	}
	if errors.Is(err, ErrCentreGone) {
		return Record{}, errUnknownCentre
	}
	if err != nil {
		return Record{}, apperr.Internal("applications: register: %w", err)
	}
	return s.record(ctx, row)
}

// ErrCentreGone is what a Directory's HoldTx returns for a centre that
// does not exist (any more).
var ErrCentreGone = errors.New("applications: centre gone")

var errUnknownCentre = apperr.Invalid("unknown_centre", "center_id", i18n.T(
	"No service centre has this ID.", "没有此编号的服务中心。"))

// RefuseIfOpenTx answers a conflict while an application registered at
// centreID is not yet collected: the centre holds its case and the
// applicant's documents. It runs inside the transaction that removes the
// centre (a directory.DeleteHook).
func (s *Service) RefuseIfOpenTx(tx storage.Tx, centreID string) error {
	var n int64
	err := tx.Gorm().Model(&applicationRow{}).Where("centre_id = ? AND status <> ?", centreID, string(Collected)).Count(&n).Error
	if err != nil {
		return apperr.Internal("applications: centre applications: %w", err)
	}
	if n > 0 {
		return apperr.Conflict("service_center_has_applications", i18n.T(
			fmt.Sprintf("%d applications registered at this centre are still open (their documents are held there). Remove the centre once they are collected.", n),
			fmt.Sprintf("该服务中心仍有 %d 件未结申请（材料留存于此）。请在申请人领取后再删除。", n)))
	}
	return nil
}

func checkSubmittedAt(at, now time.Time) error {
	switch {
	case at.After(now.Add(maxClockSkew)):
		return apperr.Invalid("submitted_in_future", "submitted_at", i18n.T(
			"submitted_at cannot be in the future.", "提交时间不能晚于当前时间。"))
	case at.Before(now.Add(-maxBackdate)):
		return apperr.Invalid("submitted_too_long_ago", "submitted_at", i18n.T(
			"submitted_at can be at most 30 days ago.", "提交时间最多只能早于当前 30 天。"))
	}
	return nil
}

// checkReferences resolves the business type's processing time and checks
// that the person exists.
func (s *Service) checkReferences(ctx context.Context, r Registration) (int, *calendar.Calendar, error) {
	days, ok, err := s.processing.WorkingDays(ctx, r.BusinessType)
	if err != nil {
		return 0, nil, apperr.Internal("applications: processing time: %w", err)
	}
	if !ok {
		return 0, nil, apperr.Invalid("unknown_business_type", "business_type", i18n.T(
			"This business type is not one the service centres handle.", "服务中心不办理此业务类型。"))
	}
	if ok, err := s.applicants.Exists(ctx, r.PersonID); err != nil {
		return 0, nil, apperr.Internal("applications: applicant: %w", err)
	} else if !ok {
		return 0, nil, apperr.Invalid("unknown_person", "person_id", i18n.T(
			"No person with this ID is in the registry.", "登记系统中没有此人员编号。"))
	}
	if err := s.checkVisit(ctx, r); err != nil {
		return 0, nil, err
	}
	// The centre is checked where it is held, in insert's transaction.
	cal, err := s.directory.Calendar(ctx)
	if err != nil {
		return 0, nil, apperr.Internal("applications: calendar: %w", err)
	}
	return days, cal, nil
}

var (
	errUnknownAppointment = apperr.Invalid("unknown_appointment", "appointment_id", i18n.T(
		"The applicant has no appointment with this ID.", "申请人没有此编号的预约。"))
	errAppointmentMismatch = apperr.Invalid("appointment_mismatch", "appointment_id", i18n.T(
		"This appointment was for another service centre or business type.", "该预约对应的服务中心或业务类型与本申请不符。"))
	errAppointmentNotKept = apperr.Invalid("appointment_not_kept", "appointment_id", i18n.T(
		"This appointment was cancelled or missed.", "该预约已取消或未到场。"))
	errAppointmentAhead = apperr.Invalid("appointment_not_yet_kept", "appointment_id", i18n.T(
		"This appointment has not been kept yet. Record the applicant's attendance at it first, then register the application.",
		"该预约尚未记录到场。请先登记申请人到场，再受理申请。"))
)

// checkVisit checks the appointment a registration names: the applicant's
// own, at the same centre for the same business, and kept. An application
// is handed in at a visit that took place, so one still to come (or whose
// attendance the counter has not recorded) is refused like a missed one,
// with its own code.
func (s *Service) checkVisit(ctx context.Context, r Registration) error {
	if r.AppointmentID == "" {
		return nil
	}
	if s.visits == nil {
		return errUnknownAppointment
	}
	v, found, err := s.visits.Visit(ctx, r.PersonID, r.AppointmentID)
	switch {
	case err != nil:
		return apperr.Internal("applications: appointment: %w", err)
	case !found:
		return errUnknownAppointment
	case v.CentreID != r.CentreID || v.BusinessType != r.BusinessType:
		return errAppointmentMismatch
	case v.State == VisitMissed:
		return errAppointmentNotKept
	case v.State != VisitKept:
		return errAppointmentAhead
	}
	return nil
}

// insert writes row under a fresh number with its first event, the
// notification and the audit row, all or nothing.
func (s *Service) insert(ctx context.Context, by audit.Actor, row *applicationRow, now time.Time) error {
	id, err := uuid.NewV7()
	if err != nil {
		return err
	}
	num, err := newNumber(calendar.LocalDate(row.SubmittedAt), s.random)
	if err != nil {
		return err
	}
	row.ID, row.Number = id.String(), string(num)
	return s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.directory.HoldTx(storage.TxOf(tx), row.CentreID); err != nil {
			return err
		}
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		ev, err := addEvent(tx, row, "", Submitted, Step{}, by.ID, now)
		if err != nil {
			return err
		}
		return audit.Write(tx, now, audit.Entry{
			Actor: by, Action: "application.register",
			Entity: "application", EntityID: row.ID,
			After: map[string]any{"number": row.Number, "person_id": row.PersonID,
				"business_type": row.BusinessType, "centre_id": row.CentreID,
				"status": row.Status, "deadline": row.Deadline, "event_id": ev.ID},
		})
	})
}
