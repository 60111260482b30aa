package generator

import (
	"fmt"
	"os"

	"github.com/crudgen/crudgen/generator/config"
	"github.com/crudgen/crudgen/generator/model"
	"github.com/crudgen/crudgen/generator/render"
	"github.com/crudgen/crudgen/generator/usercode"
)

// GenerateOptions control code generation: the package's name and title
// and the configuration's choices (see config.Config).
type GenerateOptions = model.Options

// OptionsOf returns the generation options a configuration asks for,
// with what they name read from disk: the template folder, the OpenAPI
// fragment of custom routes and the user's code in the output package.
func OptionsOf(cfg *config.Config) (GenerateOptions, error) {
	opts := GenerateOptions{
		Package: cfg.Package, Title: cfg.Title, BasePath: cfg.BasePath, CamelCase: cfg.JSONNames == "camel",
		Include: cfg.Tables.Include, Exclude: cfg.Tables.Exclude, ReadOnlyTables: cfg.Tables.ReadOnly, RequireIfMatch: cfg.Tables.RequireIfMatch,
		Routes: cfg.Routes, GoNames: cfg.GoNames, Fields: cfg.Fields, Columns: cfg.Columns, Relations: cfg.Relations,
		Types: typesOf(cfg.Types), Auth: authOf(cfg.Auth),
	}
	if cfg.Templates != "" {
		dir := cfg.Resolve(cfg.Templates)
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			return opts, fmt.Errorf("templates: %s is not a folder", dir)
		}
		opts.Templates = os.DirFS(dir)
	}
	if cfg.OpenAPI != "" {
		raw, err := os.ReadFile(cfg.Resolve(cfg.OpenAPI))
		if err != nil {
			return opts, fmt.Errorf("openapi: %w", err)
		}
		opts.OpenAPI = raw
	}
	code, err := usercode.Scan(cfg.Resolve(cfg.Out), render.Header)
	if err != nil {
		return opts, err
	}
	opts.UserCode = code
	return opts, nil
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
