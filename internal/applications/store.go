package applications

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

// applicationRow is the stored form of an Application.
type applicationRow struct {
	ID             string `gorm:"primaryKey"`
	Number         string
	PersonID       string
	BusinessType   string
	CentreID       string
	AppointmentID  *string
	Status         string
	SubmittedAt    time.Time
	ProcessingDays int
	Deadline       string // YYYY-MM-DD, compared as text
	RegisteredBy   string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (applicationRow) TableName() string { return "applications" }

// eventRow is the stored form of an Event.
type eventRow struct {
	ID            string `gorm:"primaryKey"`
	ApplicationID string
	FromStatus    string
	Status        string
	OccurredAt    time.Time
	OfficerID     string
	PublicNoteEn  string
	PublicNoteZh  string
	InternalNote  string
}

func (eventRow) TableName() string { return "application_events" }

// errNotFound is the one answer for every application a caller may not
// see, whether it does not exist, is someone else's or the inquiry's
// passport details do not match, so the answer reveals nothing.
var errNotFound = apperr.NotFound("application_not_found", i18n.T(
	"No application matches these details. Check the application number on your receipt, your passport number and birth date.",
	"未找到与所填信息相符的申请。请核对受理回执上的受理编号、护照号码和出生日期。"))

func (r applicationRow) application(today calendar.Date) (Application, error) {
	d, err := calendar.ParseDate(r.Deadline)
	if err != nil {
		return Application{}, fmt.Errorf("applications: stored deadline of %s: %w", r.ID, err)
	}
	a := Application{ID: r.ID, Number: Number(r.Number), PersonID: r.PersonID,
		BusinessType: r.BusinessType, CentreID: r.CentreID, Status: Status(r.Status),
		SubmittedAt: r.SubmittedAt.UTC(), ProcessingDays: r.ProcessingDays, Deadline: d,
		RegisteredBy: r.RegisteredBy, UpdatedAt: r.UpdatedAt.UTC()}
	if r.AppointmentID != nil {
		a.AppointmentID = *r.AppointmentID
	}
	a.Overdue = overdue(a, today)
	return a, nil
}

func (r eventRow) event() Event {
	return Event{ID: r.ID, FromStatus: Status(r.FromStatus), Status: Status(r.Status),
		At: r.OccurredAt.UTC(), OfficerID: r.OfficerID,
		PublicNote: i18n.T(r.PublicNoteEn, r.PublicNoteZh), InternalNote: r.InternalNote}
}

// rowByNumber reads one application; a missing one is errNotFound.
func rowByNumber(db *gorm.DB, n Number) (applicationRow, error) {
	var r applicationRow
	err := db.Where("number = ?", string(n)).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, errNotFound
	}
	if err != nil {
		return r, fmt.Errorf("applications: read %s: %w", n, err)
	}
	return r, nil
}

// record reads an application and its timeline, oldest event first.
func (s *Service) record(ctx context.Context, r applicationRow) (Record, error) {
	a, err := r.application(s.today())
	if err != nil {
		return Record{}, err
	}
	if err := s.nameCentres(ctx, &a); err != nil {
		return Record{}, err
	}
	var rows []eventRow
	err = s.db.Gorm.WithContext(ctx).Where("application_id = ?", r.ID).
		Order("occurred_at, id").Find(&rows).Error
	if err != nil {
		return Record{}, fmt.Errorf("applications: timeline of %s: %w", r.Number, err)
	}
	rec := Record{Application: a, Events: make([]Event, len(rows))}
	for i, e := range rows {
		rec.Events[i] = e.event()
	}
	return rec, nil
}

// page reads a keyset page of q, newest first: UUIDv7 IDs sort by creation.
func (s *Service) page(ctx context.Context, q *gorm.DB, p paging.Request) (paging.Page[Application], error) {
	if p.After != "" {
		q = q.Where("id < ?", p.After)
	}
	var rows []applicationRow
	if err := q.Order("id DESC").Limit(p.Limit + 1).Find(&rows).Error; err != nil {
		return paging.Page[Application]{}, fmt.Errorf("applications: list: %w", err)
	}
	today := s.today()
	out := make([]Application, 0, len(rows))
	for _, r := range rows {
		a, err := r.application(today)
		if err != nil {
			return paging.Page[Application]{}, err
		}
		out = append(out, a)
	}
	ptrs := make([]*Application, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := s.nameCentres(ctx, ptrs...); err != nil {
		return paging.Page[Application]{}, err
	}
	return paging.Build(out, p.Limit, func(a Application) string { return a.ID }), nil
}
