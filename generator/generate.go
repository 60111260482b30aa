package generator

import (
	"github.com/crudgen/crudgen/generator/config"
	"github.com/crudgen/crudgen/generator/model"
	"github.com/crudgen/crudgen/generator/render"
	"github.com/crudgen/crudgen/generator/usercode"
	"io/fs"
	"os"
)

// GenerateOptions control code generation: the package's name and title
// and the configuration's choices (see config.Config).
type GenerateOptions = model.Options

// OptionsOf returns the generation options a configuration asks for.
func OptionsOf(cfg *config.Config) GenerateOptions {
	return GenerateOptions{
		Package: cfg.Package, Title: cfg.Title, BasePath: cfg.BasePath, CamelCase: cfg.JSONNames == "camel",
		Include: cfg.Tables.Include, Exclude: cfg.Tables.Exclude, ReadOnlyTables: cfg.Tables.ReadOnly,
		Routes: cfg.Routes, GoNames: cfg.GoNames, Fields: cfg.Fields, Columns: cfg.Columns, Relations: cfg.Relations,
		Templates: templateDir(cfg), Types: typesOf(cfg.Types), Auth: authOf(cfg.Auth),
	}
}

func typesOf(m map[string]config.TypeOverride) map[string]model.TypeOverride {
	if m == nil {
		return nil
	}
	out := make(map[string]model.TypeOverride, len(m))
	for k, v := range m {
		out[k] = model.TypeOverride{Go: v.Go, OpenAPI: v.OpenAPI}
	}
	return out
}

// templateDir is the configuration's template folder, or nil.
func templateDir(cfg *config.Config) fs.FS {
	if cfg.Templates == "" {
		return nil
	}
	return os.DirFS(cfg.Resolve(cfg.Templates))
}

// ScanUserCode reads the user's files in the output directory, whose hook
// types the generated code calls.
func ScanUserCode(dir string) (*usercode.Code, error) {
	return usercode.Scan(dir, render.Header)
}

// Generated is the outcome of Generate.
type Generated struct {
	Files   []render.File
	Package *model.Package
}

// Generate decides and renders the API of a loaded schema, in memory.
func Generate(loaded *Loaded, opts GenerateOptions) (*Generated, error) {
	pkg, err := model.Build(loaded.Catalog, opts)
	if err != nil {
		return nil, err
	}
	files, err := render.Render(pkg, render.Options{Templates: opts.Templates})
	if err != nil {
		return nil, err
	}
	return &Generated{Files: files, Package: pkg}, nil
}

func authOf(s string) string {
	if s == "none" {
		return ""
	}
	return s
}
