package wiring

import (
	"bufio"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestNothingInInternalImportsUpward holds the dependency rule of
// docs/ARCHITECTURE.md: no package under internal/, tests and test helpers
// included, imports api, web, cmd or internal/wiring. Only wiring itself, which
// builds the graph, may import every capability; a capability reaches
// another's service through the small interface it declares and an
// adapter here.
func TestNothingInInternalImportsUpward(t *testing.T) {
	root := filepath.Join("..", "..")
	module, err := modulePath(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	found, err := upwardImports(root, module)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Error(f)
	}
}

// TestUpwardImportsAreFound: the check finds an import of wiring, api or
// cmd in a package under internal/, and lets wiring and imports of the
// lower layers pass.
func TestUpwardImportsAreFound(t *testing.T) {
	found, err := upwardImports(filepath.Join("testdata", "layers"), "example.org/m")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"internal/leaky/leaky.go imports example.org/m/internal/wiring",
		"internal/leaky/leaky_test.go imports example.org/m/api",
		"internal/leaky/leaky_test.go imports example.org/m/cmd/tool",
	}
	if !slices.Equal(found, want) {
		t.Fatalf("found %q, want %q", found, want)
	}
}

// TestWebImportsNeitherAPINorCmd: the web pages sit beside api, not above
// it: they call the API through the http.Handler they are given, so
// neither layer can reach into the other's handlers or wire shapes.
func TestWebImportsNeitherAPINorCmd(t *testing.T) {
	root := filepath.Join("..", "..")
	module, err := modulePath(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	err = filepath.WalkDir(filepath.Join(root, "web"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			ip, _ := strconv.Unquote(imp.Path.Value)
			for _, top := range []string{"api", "cmd", "internal/wiring"} {
				if base := path.Join(module, top); ip == base || strings.HasPrefix(ip, base+"/") {
					t.Errorf("%s imports %s", p, ip)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// upwardImports lists, as "file imports path", every import of api, cmd or
// internal/wiring by a Go file under root/internal outside internal/wiring.
func upwardImports(root, module string) ([]string, error) {
	var found []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if d.Name() == "testdata" || rel == "internal/wiring" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			ip, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			if upward(module, ip) {
				found = append(found, rel+" imports "+ip)
			}
		}
		return nil
	})
	return found, err
}

func upward(module, importPath string) bool {
	for _, top := range []string{"api", "web", "cmd", "internal/wiring"} {
		base := path.Join(module, top)
		if importPath == base || strings.HasPrefix(importPath, base+"/") {
			return true
		}
	}
	return false
}

func modulePath(goMod string) (string, error) {
	f, err := os.Open(goMod)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(m), `"`), nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("%s names no module", goMod)
}
