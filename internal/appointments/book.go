package appointments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/storage"
)

// IdempotencyTTL is how long an Idempotency-Key is remembered.
const IdempotencyTTL = 24 * time.Hour

// BookRequest asks for a seat for PersonID. By is who asked: the person's
// own account, or a helper's acting for them; the appointment records By.ID
// as the account that booked it.
type BookRequest struct {
	PersonID       string
	Business       string
	CenterID       string
	SlotStart      time.Time
	IdempotencyKey string // optional
	By             audit.Actor
}

func (r BookRequest) hash() string {
	h := sha256.Sum256([]byte(r.Business + "\x00" + r.CenterID + "\x00" + r.SlotStart.UTC().Format(time.RFC3339)))
	return hex.EncodeToString(h[:])
}

// errCodeTaken means the random confirmation code collided; the booking is
// retried with a new one.
var errCodeTaken = errors.New("appointments: confirmation code taken")

// Book books a seat and returns the appointment. replayed is true when an
// earlier request with the same Idempotency-Key already booked it; the first
// result is returned and nothing new is booked.
//
// A person cannot hold two appointments that overlap in time, at any
// centre: such a booking is refused with appointment_overlap naming the
// appointment in the way (see overlap.go). The person is notified of every
// booking.
func (s *Service) Book(ctx context.Context, req BookRequest) (Appointment, bool, error) {
	a, replayed, err := s.book(ctx, req)
	if err != nil || !replayed {
		return a, replayed, err // a new booking was named from its slot's centre
	}
	a, err = s.named(ctx, a, nil)
	return a, replayed, err
}

func (s *Service) book(ctx context.Context, req BookRequest) (a Appointment, replayed bool, err error) {
	req.SlotStart = req.SlotStart.UTC()
	if req.IdempotencyKey != "" {
		// Answer a retry before checking the slot again: by now the slot may
		// be full, or even past, because of the first request itself.
		if a, ok, err := s.replay(s.db.Gorm.WithContext(ctx), req); ok || err != nil {
			return a, ok, err
		}
	}
	// A colliding confirmation code, or a slot configuration changed since
	// the slot was resolved, is worth another try from the start.
	for range 3 {
		var sc CenterSchedule
		if sc, err = s.schedule(ctx, req.CenterID); err != nil {
			return a, false, err
		}
		var t target
		if t, err = s.resolve(ctx, sc, req.Business, req.SlotStart); err != nil {
			return a, false, err
		}
		a, replayed, err = s.bookOnce(ctx, req, t)
		if !errors.Is(err, errCodeTaken) && !errors.Is(err, errConfigChanged) {
			return a, replayed, err
		}
	}
	return a, false, internal("book", err)
}

func (s *Service) bookOnce(ctx context.Context, req BookRequest, t target) (Appointment, bool, error) {
	now := s.clock.Now().UTC()
	var out Appointment
	replayed := false
	err := s.transact(ctx, func(tx *gorm.DB) error {
		if err := lockPerson(tx, req.PersonID, now); err != nil {
			return err
		}
		if err := s.centers.HoldTx(storage.TxOf(tx), t.sched.ID); err != nil {
			return err
		}
		if req.IdempotencyKey != "" {
			a, ok, err := s.replay(tx, req)
			if err != nil || ok {
				out, replayed = a, ok
				return err
			}
		}
		g, err := s.holdGroup(tx, t, req.Business)
		if err != nil {
			return err
		}
		if err := s.stillOpen(tx, t); err != nil {
			return err
		}
		if err := checkPersonRules(tx, req.PersonID, req.Business, "", now); err != nil {
			return err
		}
		if err := checkOverlap(tx, req.PersonID, t.start, t.end, ""); err != nil {
			return err
		}
		if err := takeSeat(tx, seat{t.sched.ID, g.Name, t.start}, g.Capacity); err != nil {
			return err
		}
		row, err := insertAppointment(tx, req, t, now)
		if err != nil {
			return err
		}
		if req.IdempotencyKey != "" {
			key := idempotencyRow{PersonID: req.PersonID, IdemKey: req.IdempotencyKey,
				RequestHash: req.hash(), AppointmentID: row.ID, CreatedAt: now}
			if err := tx.Create(&key).Error; err != nil {
				return internal("store idempotency key", err)
			}
		}
		out = row.appointment()
		if err := audit.Write(tx, now, audit.Entry{Actor: req.By,
			Action: "appointment.book", Entity: "appointment", EntityID: out.ID, After: out}); err != nil {
			return err
		}
		out.CenterName, out.CenterAddress = t.sched.Name, t.sched.Address
		if _, err := notifications.Add(tx, now, bookedNotice(out, req.By)); err != nil {
			return internal("booking notification", err)
		}
		return nil
	})
	if err != nil {
		return Appointment{}, false, internalUnless(s.explainOverlap(ctx, err), errCodeTaken)
	}
	return out, replayed, nil
}

func insertAppointment(tx *gorm.DB, req BookRequest, t target, now time.Time) (appointmentRow, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return appointmentRow{}, internal("appointment id", err)
	}
	code, err := randomCode()
	if err != nil {
		return appointmentRow{}, internal("confirmation code", err)
	}
	row := appointmentRow{ID: id.String(), PersonID: req.PersonID, CenterID: t.sched.ID,
		Business: req.Business, BusinessGroup: t.group.Name, SlotStart: t.start, SlotEnd: t.end,
		Status: string(Booked), ConfirmationCode: code, BookedBy: req.By.ID,
		CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return row, errCodeTaken
		}
		return row, internal("insert appointment", err)
	}
	return row, nil
}

// replay returns the appointment an earlier request with the same key
// booked. A key reused for a different request is refused; an expired key
// is forgotten and the request books afresh.
func (s *Service) replay(db *gorm.DB, req BookRequest) (Appointment, bool, error) {
	var key idempotencyRow
	err := db.Where("person_id = ? AND idem_key = ?", req.PersonID, req.IdempotencyKey).Take(&key).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Appointment{}, false, nil
	}
	if err != nil {
		return Appointment{}, false, internal("idempotency key", err)
	}
	if s.clock.Now().Sub(key.CreatedAt) > IdempotencyTTL {
		err := db.Where("person_id = ? AND idem_key = ?", req.PersonID, req.IdempotencyKey).Delete(&idempotencyRow{}).Error
		return Appointment{}, false, internalUnless(err, nil)
	}
	if key.RequestHash != req.hash() {
		return Appointment{}, false, errIdempotencyReused
	}
	var row appointmentRow
	if err := db.Where("id = ?", key.AppointmentID).Take(&row).Error; err != nil {
		return Appointment{}, false, internal("replayed appointment", err)
	}
	return row.appointment(), true, nil
}

// internalUnless passes typed errors and the given sentinel through and
// wraps anything else as internal.
func internalUnless(err, sentinel error) error {
	if err == nil || (sentinel != nil && errors.Is(err, sentinel)) {
		return err
	}
	return internal("transaction", err)
}

// stillOpen checks, inside the booking's transaction and after HoldTx, that
// the centre is open for the whole slot as the database says now: the
// slot was resolved against a cached schedule, which a closure, holiday or
// change of hours may have overtaken.
func (s *Service) stillOpen(tx *gorm.DB, t target) error {
	d := calendar.LocalDate(t.start)
	periods, err := s.centers.PeriodsTx(storage.TxOf(tx), t.sched.ID, d)
	if err != nil {
		return internal("opening periods", err)
	}
	if !within(periods, d, t.start, t.end) {
		return errCenterClosed
	}
	return nil
}
