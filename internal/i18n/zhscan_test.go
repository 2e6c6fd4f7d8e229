package i18n_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strconv"
	"testing"
)

// goScan finds the Chinese texts of one Go file.
type goScan struct {
	fset  *token.FileSet
	rel   string
	i18n  string // the name the file imports i18n under; "" when it does not
	seen  map[token.Pos]bool
	found []finding
}

func scanGo(t *testing.T, path, rel string) []finding {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	s := &goScan{fset: fset, rel: rel, seen: map[token.Pos]bool{}}
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == i18nPath {
			s.i18n = "i18n"
			if imp.Name != nil {
				s.i18n = imp.Name.Name
			}
		}
	}
	ast.Inspect(f, s.visit)
	return s.found
}

func (s *goScan) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.CallExpr:
		if s.isI18n(n.Fun, "T") && len(n.Args) == 2 {
			s.text(n.Args[0], n.Args[1])
		} else if isSprintf(n) {
			s.maybeZh(n)
		}
	case *ast.CompositeLit:
		switch typ := n.Type.(type) {
		case *ast.MapType:
			if s.isI18n(typ.Value, "Text") {
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						s.elidedText(kv.Value)
					}
				}
			}
		case *ast.ArrayType:
			if s.isI18n(typ.Elt, "Text") {
				for _, e := range n.Elts {
					s.elidedText(e)
				}
			}
		default:
			if s.isI18n(n.Type, "Text") {
				s.textLit(n)
			}
		}
	case *ast.BinaryExpr:
		if n.Op == token.ADD {
			s.maybeZh(n)
		}
	case *ast.BasicLit:
		s.maybeZh(n)
	}
	return true
}

func (s *goScan) isI18n(e ast.Expr, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || s.i18n == "" {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == s.i18n && sel.Sel.Name == name
}

func (s *goScan) elidedText(e ast.Expr) {
	if lit, ok := e.(*ast.CompositeLit); ok && lit.Type == nil {
		s.textLit(lit)
	}
}

// textLit reads an i18n.Text literal, keyed or positional.
func (s *goScan) textLit(lit *ast.CompositeLit) {
	var en, zh ast.Expr
	for i, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			switch k, _ := kv.Key.(*ast.Ident); {
			case k == nil:
			case k.Name == "En":
				en = kv.Value
			case k.Name == "Zh":
				zh = kv.Value
			}
			continue
		}
		if i == 0 {
			en = e
		} else {
			zh = e
		}
	}
	s.text(en, zh)
}

// text checks the Chinese side of one text and that it is not left empty
// beside an English one.
func (s *goScan) text(en, zh ast.Expr) {
	if zh == nil || isEmptyLit(zh) {
		if en != nil && !isEmptyLit(en) {
			s.add(en.Pos(), "no Chinese text beside", litText(en))
		}
		return
	}
	s.zh(zh, true)
}

// maybeZh checks an expression as Chinese text when it contains a literal
// with Chinese in it: that covers the helpers taking (en, zh string).
func (s *goScan) maybeZh(e ast.Expr) {
	if s.seen[e.Pos()] {
		return
	}
	lits, _ := parts(e)
	for _, l := range lits {
		if v, err := strconv.Unquote(l.Value); err == nil && hasHan(v) {
			s.zh(e, false)
			return
		}
	}
}

// zh checks a Chinese text. slot says the expression is the Chinese side
// of a text; otherwise it is a string found by its Chinese, which may be a
// message laid out in both languages (an SMS to someone whose language is
// not known), and only its Chinese lines and " / " halves are checked.
func (s *goScan) zh(e ast.Expr, slot bool) {
	s.seen[e.Pos()] = true
	lits, holes := parts(e)
	for _, l := range lits {
		s.seen[l.Pos()] = true
		v, err := strconv.Unquote(l.Value)
		if err != nil {
			continue
		}
		pieces := []string{v}
		if !slot {
			pieces = bilingualSplit.Split(v, -1)
		}
		for _, p := range pieces {
			if !slot && !hasHan(p) {
				continue
			}
			for _, f := range checkZh("", p) {
				s.add(l.Pos(), f.what, v)
			}
		}
	}
	for _, h := range holes {
		s.seen[h.Pos()] = true
		if what := rawCode(h); what != "" {
			s.add(h.Pos(), what, litText(e))
		}
	}
}

func (s *goScan) add(pos token.Pos, what, text string) {
	p := s.fset.Position(pos)
	s.found = append(s.found, finding{fmt.Sprintf("%s:%d", s.rel, p.Line), what, text})
}

var bilingualSplit = regexp.MustCompile(`\n| / `)

// parts splits a text expression into its literals and the values spliced
// into it by + or fmt.Sprintf.
func parts(e ast.Expr) (lits []*ast.BasicLit, holes []ast.Expr) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			return []*ast.BasicLit{e}, nil
		}
		return nil, nil
	case *ast.ParenExpr:
		return parts(e.X)
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			l1, h1 := parts(e.X)
			l2, h2 := parts(e.Y)
			return append(l1, l2...), append(h1, h2...)
		}
	case *ast.CallExpr:
		if isSprintf(e) && len(e.Args) > 0 {
			lits, holes = parts(e.Args[0])
			return lits, append(holes, e.Args[1:]...)
		}
	}
	return nil, []ast.Expr{e}
}

func isSprintf(c *ast.CallExpr) bool {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == "fmt" && sel.Sel.Name == "Sprintf"
}

// rawCode says why a value spliced into a Chinese sentence is a code or
// English rather than Chinese: a conversion of a typed code to string, a
// variable named for a field, status, role …, or the English side of a
// text.
func rawCode(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.CallExpr:
		if id, ok := e.Fun.(*ast.Ident); ok && id.Name == "string" {
			return "a raw code spliced in"
		}
	case *ast.Ident:
		if codeNames.MatchString(e.Name) {
			return fmt.Sprintf("a raw %s spliced in", e.Name)
		}
	case *ast.SelectorExpr:
		if codeNames.MatchString(e.Sel.Name) {
			return fmt.Sprintf("a raw %s spliced in", e.Sel.Name)
		}
	}
	return ""
}

func isEmptyLit(e ast.Expr) bool {
	l, ok := e.(*ast.BasicLit)
	return ok && (l.Value == `""` || l.Value == "``")
}

func litText(e ast.Expr) string {
	lits, _ := parts(e)
	var out string
	for _, l := range lits {
		v, _ := strconv.Unquote(l.Value)
		out += v
	}
	return out
}

// scanJSON checks the zh-CN members of a data file, wherever they sit.
func scanJSON(t *testing.T, path, rel string) []finding {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	var out []finding
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if zh, ok := v["zh-CN"].(string); ok {
				out = append(out, checkZh(rel+" "+at, zh)...)
				if en, _ := v["en"].(string); zh == "" && en != "" {
					out = append(out, finding{rel + " " + at, "no Chinese text beside", en})
				}
			}
			for k, c := range v {
				walk(at+"/"+k, c)
			}
		case []any:
			for i, c := range v {
				walk(fmt.Sprintf("%s/%d", at, i), c)
			}
		}
	}
	walk("", doc)
	return out
}
