package applications

import (
	"context"
	"strconv"
	"unicode/utf8"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

// Get is the full record of the application numbered n, for officers.
func (s *Service) Get(ctx context.Context, n Number) (Record, error) {
	row, err := rowByNumber(s.db.Gorm.WithContext(ctx), n)
	if err != nil {
		return Record{}, wrapRead(err)
	}
	rec, err := s.record(ctx, row)
	return rec, wrapRead(err)
}

// Own is the applicant's view of their application numbered n. Someone
// else's application is not found, exactly like a missing one.
func (s *Service) Own(ctx context.Context, personID string, n Number) (Public, error) {
	row, err := rowByNumber(s.db.Gorm.WithContext(ctx), n)
	if err != nil {
		return Public{}, wrapRead(err)
	}
	if personID == "" || row.PersonID != personID {
		return Public{}, errNotFound
	}
	rec, err := s.record(ctx, row)
	if err != nil {
		return Public{}, wrapRead(err)
	}
	return rec.public(), nil
}

// ListOwn pages through personID's applications, newest first.
func (s *Service) ListOwn(ctx context.Context, personID string, p paging.Request) (paging.Page[Application], error) {
	if personID == "" {
		return paging.Page[Application]{Items: []Application{}}, nil
	}
	q := s.db.Gorm.WithContext(ctx).Where("person_id = ?", personID)
	page, err := s.page(ctx, q, p)
	return page, wrapRead(err)
}

// Filter narrows the officers' list; zero fields do not filter.
type Filter struct {
	CentreID string
	Status   Status
	Overdue  *bool
}

// ParseFilter validates the officers' list filters from a query string.
func ParseFilter(centreID, status, overdue string) (Filter, error) {
	var f Filter
	var fs []apperr.FieldError
	if utf8.RuneCountInString(centreID) > maxIDLen {
		fs = appendID(fs, "center_id", centreID, false)
	}
	f.CentreID = centreID
	if status != "" {
		st, err := ParseStatus(status, "status")
		if e, bad := apperr.As(err); bad {
			fs = append(fs, apperr.FieldError{Field: "status", Code: e.Code, Message: e.Message})
		}
		f.Status = st
	}
	if overdue != "" {
		b, err := strconv.ParseBool(overdue)
		if err != nil {
			fs = append(fs, apperr.FieldError{Field: "overdue", Code: "invalid_boolean",
				Message: i18n.T("overdue must be true or false.", "是否逾期须为 true 或 false。")})
		}
		f.Overdue = &b
	}
	if err := invalidFields(fs); err != nil {
		return Filter{}, err
	}
	return f, nil
}

// Search pages through all applications matching f, newest first.
func (s *Service) Search(ctx context.Context, f Filter, p paging.Request) (paging.Page[Application], error) {
	q := s.db.Gorm.WithContext(ctx).Model(&applicationRow{})
	if f.CentreID != "" {
		q = q.Where("centre_id = ?", f.CentreID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.Overdue != nil {
		// The same rule as overdue(): pending and the deadline passed. The
		// deadline is YYYY-MM-DD text, so text order is date order.
		today := s.today().String()
		if *f.Overdue {
			q = q.Where("status IN ? AND deadline < ?", pendingStatuses(), today)
		} else {
			q = q.Where("(status NOT IN ? OR deadline >= ?)", pendingStatuses(), today)
		}
	}
	page, err := s.page(ctx, q, p)
	return page, wrapRead(err)
}

// wrapRead keeps typed errors and hides anything else as internal.
func wrapRead(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	return apperr.Internal("applications: %w", err)
}
