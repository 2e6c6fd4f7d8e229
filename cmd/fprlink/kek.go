package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/fprlink/fprlink/internal/installation"
	"github.com/fprlink/fprlink/keys"
)

// implicitKEK reports whether the KEK of a configured database would come
// from the default <data dir>/kek, which is the embedded database's: it
// must then prove it belongs to this database.
func implicitKEK(cfg *config) bool {
	return cfg.DatabaseURL != "" && cfg.EDoc.KEK == "" && cfg.EDoc.KEKFile == ""
}

// bindKEK ties the KEK to the database before anything is sealed with it.
// A database remembers the fingerprint of its KEK and refuses any other.
// A configured database that has none yet (a fresh one) does not take the
// default <data dir>/kek, which was made for the embedded database, unless
// it already opens this database's signing key; it takes a KEK named in
// FPRLINK_KEK or -kek-file, then remembers it.
func bindKEK(ctx context.Context, cfg *config, inst *installation.Store, km *keys.Manager, k kek) error {
	fp, err := installation.FingerprintKEK(km.DataKey)
	if err != nil {
		return err
	}
	bound, err := inst.BoundKEK(ctx)
	if err != nil {
		return err
	}
	if bound != "" && bound != fp {
		return fmt.Errorf("the key-encryption key from %s is not the one this database was set up with; "+
			"give that one in FPRLINK_KEK or -kek-file (FPRLINK_KEK_FILE)", k.from)
	}
	if err := checkKEK(ctx, km, k); err != nil {
		return err
	}
	if bound == "" && implicitKEK(cfg) {
		if _, err := km.ActiveSigner(ctx); errors.Is(err, keys.ErrNoActiveKey) {
			return fmt.Errorf("%s was made for the embedded database, not for %s: make this database a KEK of its own "+
				"with \"fprlink kek\" and give it in FPRLINK_KEK or -kek-file (FPRLINK_KEK_FILE)", k.from, dialectOf(cfg))
		}
	}
	return inst.BindKEK(ctx, fp)
}

// dialectOf names the configured database for messages.
func dialectOf(cfg *config) string {
	if cfg.DatabaseURL == "" {
		return "the embedded SQLite database"
	}
	return "the database of -database-url (FPRLINK_DATABASE_URL)"
}

// cmdKEK makes a new key-encryption key: written to -kek-file
// (FPRLINK_KEK_FILE) with mode 0600 when one is named, never over an
// existing file, or else printed for a secret store and FPRLINK_KEK.
func cmdKEK(args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	flags := newFlagSet("kek", "kek [-kek-file FILE]", stderr)
	cfg, err := bindConfig(flags, getenv)
	if err != nil {
		return err
	}
	pos, err := parseArgs(flags, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: fprlink kek takes flags only, not %q", errUsage, pos[0])
	}
	k := make([]byte, keys.KEKSize)
	if _, err := rand.Read(k); err != nil {
		return err
	}
	text := base64.StdEncoding.EncodeToString(k)
	if cfg.EDoc.KEKFile == "" {
		_, err := fmt.Fprintln(stdout, text)
		return err
	}
	return writeKEKFile(cfg.EDoc.KEKFile, text, stdout)
}

func writeKEKFile(path, text string, stdout io.Writer) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("KEK file %s: %w", path, pathless(err))
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("KEK file %s exists already; it may seal signing keys, so it is never replaced", path)
	}
	if err != nil {
		return fmt.Errorf("KEK file %s: %w", path, pathless(err))
	}
	_, werr := f.WriteString(text + "\n")
	if err := errors.Join(werr, f.Close()); err != nil {
		return fmt.Errorf("KEK file %s: %w", path, pathless(err))
	}
	_, err = fmt.Fprintf(stdout, "wrote a new key-encryption key to %s (mode 0600); keep a copy in your secret store\n", path)
	return err
}
