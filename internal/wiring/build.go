package wiring

import (
	"context"
	"fmt"

	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/applications"
	"github.com/fprlink/fprlink/internal/appointments"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/directory"
	"github.com/fprlink/fprlink/internal/guidelines"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/registry"
	"github.com/fprlink/fprlink/internal/storage"
)

// Services is every domain service of the binary, built over one database.
type Services struct {
	Clock         clock.Clock
	Registry      *registry.Service
	Accounts      *accounts.Service
	Directory     *directory.Service
	Guidelines    *guidelines.Service
	Appointments  *appointments.Service
	Applications  *applications.Service
	Notifications *notifications.Store
	Audit         *audit.Trail
}

// Options tunes the services; the zero value is the production default.
type Options struct {
	Accounts     accounts.Options
	Appointments appointments.Options
}

// Build constructs the domain services and connects them through the
// adapters of this package. It seeds the shipped reference data (each file
// version once), so the directory and guidelines are never empty.
func Build(ctx context.Context, db *storage.DB, clk clock.Clock, opts Options) (*Services, error) {
	s := &Services{
		Clock:         clk,
		Registry:      registry.New(db, clk),
		Directory:     directory.NewService(db.Gorm, clk, directory.DefaultTTL),
		Guidelines:    guidelines.NewService(db.Gorm, clk, guidelines.DefaultTTL),
		Notifications: notifications.NewStore(db.Gorm),
		Audit:         audit.NewTrail(db.Gorm),
	}
	if err := s.Directory.Seed(ctx); err != nil {
		return nil, fmt.Errorf("seeding the service-centre directory: %w", err)
	}
	if err := s.Guidelines.Seed(ctx); err != nil {
		return nil, fmt.Errorf("seeding the guidelines: %w", err)
	}
	var err error
	if s.Accounts, err = accounts.New(db, clk, s.Registry, opts.Accounts); err != nil {
		return nil, err
	}
	if s.Appointments, err = appointments.New(db, Centers{Dir: s.Directory}, clk, opts.Appointments); err != nil {
		return nil, err
	}
	if err := CloseDays(s.Directory, s.Appointments); err != nil {
		return nil, err
	}
	s.Applications, err = applications.New(applications.Config{
		DB: db, Clock: clk, Applicants: Applicants{Reg: s.Registry},
		Directory: Directory{Dir: s.Directory}, Processing: applications.StandardProcessingTimes{},
		Appointments: Visits{Appts: s.Appointments},
	})
	if err != nil {
		return nil, err
	}
	// A centre holding open cases and applicants' documents stays.
	s.Directory.OnDelete(s.Applications.RefuseIfOpenTx)
	return s, nil
}
