package demo

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// FileName is the demo logins file inside the data directory.
const FileName = "demo.json"

// Account is one demo login.
type Account struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Role     string `json:"role"`
	PersonID string `json:"person_id,omitempty"`
}

// Person is a seeded registry person worth knowing by role in the story,
// such as the child and the elderly person of the helper flows.
type Person struct {
	Label    string `json:"label"`
	PersonID string `json:"person_id"`
	Name     string `json:"name"`
}

// Result is what demo seeding produced, written to demo.json. Other
// capabilities add their own sections: either a field here or an entry in
// Extra under its own key (e.g. "relying_parties"); Extra also keeps the
// sections of a previous file that this package does not know, so
// rewriting the file never loses them.
type Result struct {
	// DatabaseID is the id of the database the logins were seeded in
	// (installation.Store.DatabaseID), so the file is never taken for
	// another database's.
	DatabaseID string                     `json:"database_id,omitempty"`
	Accounts   []Account                  `json:"accounts"`
	Persons    []Person                   `json:"persons,omitempty"`
	Extra      map[string]json.RawMessage `json:"-"`
}

type resultFields Result // without the methods, to avoid recursion

// MarshalJSON writes the known fields and every Extra section.
func (r Result) MarshalJSON() ([]byte, error) {
	known, err := json.Marshal(resultFields(r))
	if err != nil {
		return nil, err
	}
	all := map[string]json.RawMessage{}
	for k, v := range r.Extra {
		all[k] = v
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(known, &fields); err != nil {
		return nil, err
	}
	for k, v := range fields {
		all[k] = v
	}
	return json.MarshalIndent(all, "", "  ")
}

// UnmarshalJSON reads the known fields and keeps the rest in Extra.
func (r *Result) UnmarshalJSON(b []byte) error {
	var f resultFields
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	delete(all, "database_id")
	delete(all, "accounts")
	delete(all, "persons")
	*r = Result(f)
	if len(all) > 0 {
		r.Extra = all
	}
	return nil
}

// Password returns the recorded password of username, if any.
func (r *Result) Password(username string) string {
	if r == nil {
		return ""
	}
	for _, a := range r.Accounts {
		if a.Username == username {
			return a.Password
		}
	}
	return ""
}

// ReadFile reads <dir>/demo.json; a missing file is an empty result.
func ReadFile(dir string) (*Result, error) { return read(filepath.Join(dir, FileName)) }

func read(path string) (*Result, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Result{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("demo: read: %w", err)
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("demo: %s: %w", filepath.Base(path), err)
	}
	return &r, nil
}

// WriteFile writes the result to <dir>/demo.json, readable by the owner
// only: it holds passwords.
func WriteFile(dir string, r *Result) error { return WriteAs(dir, FileName, r) }

// WriteAs writes the result to <dir>/<name>, readable by the owner only.
func WriteAs(dir, name string, r *Result) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("demo: marshal: %w", err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	tmp := filepath.Join(dir, name+".tmp")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("demo: write: %w", err)
	}
	return os.Rename(tmp, filepath.Join(dir, name))
}

// PersonID is the ID of the demo person labelled label, or "".
func (r *Result) PersonID(label string) string {
	for _, p := range r.Persons {
		if p.Label == label {
			return p.PersonID
		}
	}
	return ""
}
