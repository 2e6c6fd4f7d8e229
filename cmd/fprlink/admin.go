package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/registry"
)

// cmdAdmin runs operator account tasks. "admin create" bootstraps the
// first admin; later officers are created by admins through the API.
func cmdAdmin(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("admin", "admin [flags] create --username NAME (password on stdin or in FPRLINK_ADMIN_PASSWORD)", stderr)
	cfg, err := bindConfig(fs, getenv)
	if err != nil {
		return err
	}
	username := fs.String("username", "", "the new admin's username")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "create" {
		return fmt.Errorf("%w: fprlink admin create --username NAME (password on stdin or in FPRLINK_ADMIN_PASSWORD)", errUsage)
	}
	if *username == "" {
		return fmt.Errorf("%w: fprlink admin create --username NAME", errUsage)
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	password, err := readAdminPassword(stdin, getenv)
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogLevel)
	clk := clock.Real{}
	db, _, err := openMigratedDB(ctx, cfg, clk, log)
	if err != nil {
		return err
	}
	defer db.Close()
	// Creating a staff account changes nothing in the registry, so it needs
	// none of the hooks the registry runs for e-documents.
	acc, err := accounts.New(db, clk, registry.New(db, clk, registry.Hooks{}), accounts.Options{})
	if err != nil {
		return err
	}
	a, err := acc.CreateStaff(ctx, audit.System, *username, password, accounts.RoleAdmin)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created admin %s (%s)\n", a.Username, a.ID)
	return nil
}

// readAdminPassword takes FPRLINK_ADMIN_PASSWORD, else the first line of
// stdin, so the password never appears in a process listing.
func readAdminPassword(stdin io.Reader, getenv func(string) string) (string, error) {
	if pw := getenv("FPRLINK_ADMIN_PASSWORD"); pw != "" {
		return pw, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", fmt.Errorf("%w: give the password on stdin or in FPRLINK_ADMIN_PASSWORD", errUsage)
	}
	return pw, nil
}
