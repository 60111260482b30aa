package generator

import (
	"github.com/crudgen/crudgen/generator/model"
	"github.com/crudgen/crudgen/generator/render"
)

// GenerateOptions control code generation.
type GenerateOptions struct {
	Package string // Go package name
	Title   string // the API's title
	// Relations renames relations: "table.relation" to the new name.
	Relations map[string]string
}

// Generated is the outcome of Generate.
type Generated struct {
	Files   []render.File
	Package *model.Package
}

// Generate decides and renders the API of a loaded schema, in memory.
func Generate(loaded *Loaded, opts GenerateOptions) (*Generated, error) {
	pkg, err := model.Build(loaded.Catalog, model.Options{Package: opts.Package, Title: opts.Title, Relations: opts.Relations})
	if err != nil {
		return nil, err
	}
	files, err := render.Render(pkg, render.Options{})
	if err != nil {
		return nil, err
	}
	return &Generated{Files: files, Package: pkg}, nil
}
