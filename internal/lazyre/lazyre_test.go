package lazyre

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestMethodsMatchRegexp(t *testing.T) {
	const expr = `(?P<key>[a-z]+)=(\d+)`
	lz, re := New(expr), regexp.MustCompile(expr)
	in := "a=1, bb=22 ccc=x"
	cases := []struct {
		name      string
		got, want any
	}{
		{"String", lz.String(), re.String()},
		{"MatchString", lz.MatchString(in), re.MatchString(in)},
		{"Match", lz.Match([]byte(in)), re.Match([]byte(in))},
		{"FindString", lz.FindString(in), re.FindString(in)},
		{"FindStringSubmatch", strings.Join(lz.FindStringSubmatch(in), "|"), strings.Join(re.FindStringSubmatch(in), "|")},
		{"FindAllString", strings.Join(lz.FindAllString(in, -1), "|"), strings.Join(re.FindAllString(in, -1), "|")},
		{"ReplaceAllString", lz.ReplaceAllString(in, "${key}:$2"), re.ReplaceAllString(in, "${key}:$2")},
		{"ReplaceAllLiteralString", lz.ReplaceAllLiteralString(in, "$1"), re.ReplaceAllLiteralString(in, "$1")},
		{"Split", strings.Join(lz.Split(in, -1), "|"), strings.Join(re.Split(in, -1), "|")},
		{"SubexpIndex", lz.SubexpIndex("key"), re.SubexpIndex("key")},
		{"NumSubexp", lz.NumSubexp(), re.NumSubexp()},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestNewDoesNotCompile(t *testing.T) {
	r := New(`(`) // invalid: must not panic until used
	if r.String() != "(" {
		t.Fatalf("String = %q", r.String())
	}
	if err := Check(New(`a+`), r); err == nil {
		t.Fatal("Check accepted an invalid expression")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("first use of an invalid expression did not panic")
		}
	}()
	r.MatchString("x")
}

func TestCompiledOnceConcurrently(t *testing.T) {
	r := New(`^x+$`)
	var wg sync.WaitGroup
	got := make([]*regexp.Regexp, 8)
	for i := range got {
		wg.Add(1)
		go func() { defer wg.Done(); got[i] = r.Compiled() }()
	}
	wg.Wait()
	for _, g := range got {
		if g != got[0] {
			t.Fatal("compiled more than once")
		}
	}
}

// TestEveryDeclaredExpressionCompiles compiles every literal expression given to lazyre.New in the
// repository's Go files, since an invalid one would otherwise panic only when first used.
func TestEveryDeclaredExpressionCompiles(t *testing.T) {
	root := filepath.Join("..", "..")
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (d.Name() == "testdata" || d.Name() == "third_party" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(node ast.Node) bool {
			call, ok := node.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "New" {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "lazyre" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			expr, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Errorf("%s: %v", path, err)
				return true
			}
			n++
			if _, err := regexp.Compile(expr); err != nil {
				t.Errorf("%s: lazyre.New(%s): %v", path, lit.Value, err)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Errorf("found only %d lazy expressions; is the walk looking in the right place?", n)
	}
}

// TestNoExpressionCompiledAtStartUp fails on a package-level variable of the
// repository's non-test code whose value calls regexp.MustCompile (or
// regexp.Compile): Go initialises every linked package when any ospo command
// starts, so such an expression is compiled by every process whether or not
// it is ever used. Declare it with New instead. Packages that only tests
// import (directories named …test) are not checked.
func TestNoExpressionCompiledAtStartUp(t *testing.T) {
	root := filepath.Join("..", "..")
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (d.Name() == "testdata" || d.Name() == "third_party" ||
			strings.HasPrefix(d.Name(), ".") || strings.HasSuffix(d.Name(), "test")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files++
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.VAR {
				continue
			}
			for _, spec := range gen.Specs {
				for _, v := range spec.(*ast.ValueSpec).Values {
					ast.Inspect(v, func(n ast.Node) bool {
						if _, ok := n.(*ast.FuncLit); ok {
							return false // runs when called, not at initialisation
						}
						call, ok := n.(*ast.CallExpr)
						if !ok {
							return true
						}
						if sel, ok := call.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "MustCompile" || sel.Sel.Name == "Compile") {
							if id, ok := sel.X.(*ast.Ident); ok && id.Name == "regexp" {
								t.Errorf("%s: a package-level regexp.%s is compiled at every start-up: use lazyre.New", fset.Position(call.Pos()), sel.Sel.Name)
							}
						}
						return true
					})
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Errorf("looked at only %d files; is the walk looking in the right place?", files)
	}
}
