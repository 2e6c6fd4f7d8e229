package wiring

import (
	"context"
	"fmt"
	"time"

	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/applications"
	"github.com/fprlink/fprlink/internal/appointments"
	"github.com/fprlink/fprlink/internal/assistance"
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
	Assistance    *assistance.Service
}

// Options tunes the services; the zero value is the production default.
type Options struct {
	Accounts     accounts.Options
	Appointments appointments.Options
	// SnapshotTTL bounds how long a change on another node takes to show
	// in this node's directory and guidelines (their defaults when 0).
	SnapshotTTL time.Duration
}

// Build constructs the domain services and connects them through the
// adapters of this package. It seeds the shipped reference data (each file
// version once), so the directory and guidelines are never empty.
func Build(ctx context.Context, db *storage.DB, clk clock.Clock, opts Options) (*Services, error) {
	s := &Services{
		Clock:         clk,
		Registry:      registry.New(db, clk, registryHooks()),
		Guidelines:    guidelines.New(db, clk, opts.SnapshotTTL),
		Notifications: notifications.NewStore(db),
		Audit:         audit.NewTrail(db),
	}
	var err error
	if s.Accounts, err = accounts.New(db, clk, s.Registry, opts.Accounts); err != nil {
		return nil, err
	}
	s.Assistance = assistance.New(db, clk, Persons{Reg: s.Registry}, Helpers{Acc: s.Accounts})
	// The directory and the two capabilities built on its centres need
	// each other: appointments and applications read centres through the
	// adapters, and the directory runs their hooks inside its changes. So
	// these two come first, over adapters that learn the directory as soon
	// as it is built with the hooks, before Build returns and any of them
	// is used.
	centers, dir := &Centers{}, &Directory{}
	if s.Appointments, err = appointments.New(db, clk, centers, opts.Appointments); err != nil {
		return nil, err
	}
	s.Applications, err = applications.New(db, clk, Applicants{Reg: s.Registry}, dir,
		applications.StandardProcessingTimes{}, applications.Options{Appointments: Visits{Appts: s.Appointments}})
	if err != nil {
		return nil, err
	}
	s.Directory = directory.New(db, clk, centreHooks(centers, s.Appointments, s.Applications), opts.SnapshotTTL)
	centers.Dir, dir.Dir = s.Directory, s.Directory
	if err := s.Directory.Seed(ctx); err != nil {
		return nil, fmt.Errorf("seeding the service-centre directory: %w", err)
	}
	if err := s.Guidelines.Seed(ctx); err != nil {
		return nil, fmt.Errorf("seeding the guidelines: %w", err)
	}
	return s, nil
}
