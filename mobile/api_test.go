package mobile

import (
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAPIIsBindable checks the exported API against the types gomobile
// carries, without gobind (.ci/mobile runs gobind itself): every exported
// function, method, struct field and interface method takes and returns
// only string, []byte, int64, bool, float64, error, pointers to this
// package's structs and its interfaces, at most one value and an error;
// no exported variable (gobind turns those into Java setters); and no
// comment with the words .ci/mobile looks for in gobind's output.
func TestAPIIsBindable(t *testing.T) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	var files []*ast.File
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
			f, err := parser.ParseFile(fset, e.Name(), nil, 0)
			require.NoError(t, err)
			files = append(files, f)
		}
	}
	structs, ifaces := map[string]*ast.StructType{}, map[string]*ast.InterfaceType{}
	for _, f := range files {
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
				for _, s := range g.Specs {
					ts := s.(*ast.TypeSpec)
					switch tt := ts.Type.(type) {
					case *ast.StructType:
						structs[ts.Name.Name] = tt
					case *ast.InterfaceType:
						ifaces[ts.Name.Name] = tt
					}
				}
			}
		}
	}
	basic := map[string]bool{"string": true, "int64": true, "bool": true, "float64": true, "error": true}
	ok := func(e ast.Expr) bool {
		switch e := e.(type) {
		case *ast.Ident:
			return basic[e.Name] || (ast.IsExported(e.Name) && ifaces[e.Name] != nil)
		case *ast.ArrayType:
			id, isIdent := e.Elt.(*ast.Ident)
			return e.Len == nil && isIdent && id.Name == "byte"
		case *ast.StarExpr:
			id, isIdent := e.X.(*ast.Ident)
			return isIdent && ast.IsExported(id.Name) && structs[id.Name] != nil
		}
		return false
	}
	checkFunc := func(name string, ft *ast.FuncType) {
		for _, p := range ft.Params.List {
			assert.True(t, ok(p.Type), "%s: parameter of type %s", name, types(fset, p.Type))
		}
		if ft.Results == nil {
			return
		}
		var results []ast.Expr
		for _, r := range ft.Results.List {
			for range max(1, len(r.Names)) {
				results = append(results, r.Type)
			}
		}
		for _, r := range results {
			assert.True(t, ok(r), "%s: result of type %s", name, types(fset, r))
		}
		if len(results) == 2 {
			id, isIdent := results[1].(*ast.Ident)
			assert.True(t, isIdent && id.Name == "error", "%s: a second result must be an error", name)
		}
		assert.LessOrEqual(t, len(results), 2, name)
	}
	exportedType := func(recv *ast.FieldList) bool {
		if recv == nil {
			return true
		}
		e := recv.List[0].Type
		if s, isStar := e.(*ast.StarExpr); isStar {
			e = s.X
		}
		return ast.IsExported(e.(*ast.Ident).Name)
	}
	n := 0
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Name.IsExported() && exportedType(d.Recv) {
					checkFunc(d.Name.Name, d.Type)
					n++
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if vs, isValue := s.(*ast.ValueSpec); isValue && d.Tok == token.VAR {
						for _, id := range vs.Names {
							assert.False(t, id.IsExported(), "exported variable %s", id.Name)
						}
					}
				}
			}
		}
	}
	for name, st := range structs {
		if !ast.IsExported(name) {
			continue
		}
		for _, fl := range st.Fields.List {
			for _, id := range fl.Names {
				if id.IsExported() {
					assert.True(t, ok(fl.Type), "%s.%s: field of type %s", name, id.Name, types(fset, fl.Type))
					n++
				}
			}
		}
	}
	for name, it := range ifaces {
		for _, m := range it.Methods.List {
			checkFunc(name+"."+m.Names[0].Name, m.Type.(*ast.FuncType))
		}
	}
	assert.Greater(t, n, 30, "the check saw the API")

	// gobind copies doc comments into the Java and Objective-C it writes,
	// and .ci/mobile fails on any line there that says "skipped" or
	// "unsupported" (gobind's words for what it leaves out).
	for _, f := range files {
		for _, cg := range f.Comments {
			text := strings.ToLower(cg.Text())
			assert.False(t, strings.Contains(text, "skipped") || strings.Contains(text, "unsupported"),
				"%s: a comment says skipped or unsupported: %q", fset.Position(cg.Pos()), cg.Text())
		}
	}
}

func types(fset *token.FileSet, e ast.Expr) string {
	var b strings.Builder
	_ = format.Node(&b, fset, e)
	return b.String()
}
