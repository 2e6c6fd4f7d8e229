package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
)

const usage = `fprlink — signed passport/FPR card attestations and services for foreign nationals

Usage:
  fprlink serve [flags]          run the HTTP service (SQLite under ./data by default)
  fprlink migrate [flags] up|status
                                 apply or list database migrations
  fprlink admin [flags] create --username NAME
                                 create an admin (password on stdin or FPRLINK_ADMIN_PASSWORD)
  fprlink keys [flags] generate|rotate|list|jwks|revoke KID
                                 manage document signing keys
  fprlink kek [-kek-file FILE]   make a new key-encryption key: into FILE (0600), or printed for FPRLINK_KEK
  fprlink bundle [flags] [-o FILE]
                                 write the signed trust bundle (JWKS and every status list) for verifiers with no network
  fprlink verify [--issuer ISS] [--jwks FILE|URL | --bundle FILE] [--loopback-http] (TEXT | - | --qr-image FILE.png)
                                 check an e-document as a relying party would; exit 1 unless valid
  fprlink version                print the version
  fprlink help                   show this help

Run "fprlink serve -h" for the flags, which serve, migrate, admin, keys and bundle share,
before or after the command's words; most have an FPRLINK_* variable, named in -h.
`

// errUsage marks a command-line mistake: exit code 2.
var errUsage = errors.New("usage")

// run is the whole program behind main, testable without a process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	err := dispatch(ctx, args, stdin, stdout, stderr, getenv)
	var shown flagError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &shown):
		return 2 // the flag package printed the mistake and the usage
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, err)
		return 2
	default:
		fmt.Fprintln(stderr, "fprlink:", err)
		return 1
	}
}

func dispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: a command is required", errUsage)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr, getenv)
	case "migrate":
		return cmdMigrate(ctx, rest, stdout, stderr, getenv)
	case "admin":
		return cmdAdmin(ctx, rest, stdin, stdout, stderr, getenv)

	case "keys":
		return cmdKeys(ctx, rest, stdout, stderr, getenv)
	case "kek":
		return cmdKEK(rest, stdout, stderr, getenv)
	case "bundle":
		return cmdBundle(ctx, rest, stdout, stderr, getenv)
	case "verify":
		return cmdVerify(ctx, rest, stdin, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "fprlink", version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
}

// version reports the module version or the VCS revision it was built from.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "dev-" + s.Value[:12]
		}
	}
	return "dev"
}
