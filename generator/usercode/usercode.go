// Package usercode finds what users wrote in the generated package: the
// files without crudgen's header, and in them the hook types and methods
// the generated code calls when they are present.
package usercode

import (
	"bytes"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Code is what the user's files of a package declare.
type Code struct {
	// Methods lists the methods of each type declared in the user's files,
	// by type name, sorted.
	Methods map[string][]string
	// Files are the user's files, by name.
	Files []string
}

// Has reports whether the type exists.
func (c *Code) Has(typ string) bool {
	if c == nil {
		return false
	}
	_, ok := c.Methods[typ]
	return ok
}

// HasMethod reports whether the type has the method.
func (c *Code) HasMethod(typ, method string) bool {
	return c != nil && slices.Contains(c.Methods[typ], method)
}

// Scan reads the Go files of dir that do not start with header; a missing
// dir has no user code.
func Scan(dir, header string) (*Code, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return &Code{Methods: map[string][]string{}}, nil
	}
	if err != nil {
		return nil, err
	}
	code := &Code{Methods: map[string][]string{}}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, name)) // #nosec G304 -- a Go file of the output directory
		if err != nil {
			return nil, err
		}
		if bytes.HasPrefix(src, []byte(header+"\n")) {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), src, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		code.Files = append(code.Files, name)
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok {
						if _, ok := code.Methods[ts.Name.Name]; !ok {
							code.Methods[ts.Name.Name] = nil
						}
					}
				}
			case *ast.FuncDecl:
				if d.Recv == nil || len(d.Recv.List) != 1 {
					continue
				}
				typ := d.Recv.List[0].Type
				if star, ok := typ.(*ast.StarExpr); ok {
					typ = star.X
				}
				if id, ok := typ.(*ast.Ident); ok {
					code.Methods[id.Name] = append(code.Methods[id.Name], d.Name.Name)
				}
			}
		}
	}
	for k := range code.Methods {
		slices.Sort(code.Methods[k])
	}
	return code, nil
}
