// Package generator turns PostgreSQL DDL into a Go REST API. Its
// subpackages are the pipeline's stages: source reads files and migration
// folders, ddl parses SQL, schema builds the catalog the SQL describes.
package generator

import (
	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/schema"
	"github.com/crudgen/crudgen/generator/source"
)

// LoadOptions control how schema inputs are read.
type LoadOptions struct {
	// Migrations forces the layout of migration folders; Auto detects it.
	Migrations source.Format
	// Vars are psql variables (psql -v NAME=VALUE).
	Vars map[string]string
}

// Loaded is a catalog with what was left out on the way.
type Loaded struct {
	Catalog *schema.Catalog
	// SkippedFiles are files of migration folders that were not read.
	SkippedFiles []source.Skipped
}

// LoadCatalog reads SQL files and migration folders in order and builds the
// catalog of the database they describe.
func LoadCatalog(paths []string, opts LoadOptions) (*Loaded, error) {
	src, err := source.Load(paths, source.Options{Format: opts.Migrations})
	if err != nil {
		return nil, err
	}
	res, err := ddl.Parse(src.Files, ddl.Options{Vars: opts.Vars})
	if err != nil {
		return nil, err
	}
	cat, err := schema.Build(res)
	if err != nil {
		return nil, err
	}
	return &Loaded{Catalog: cat, SkippedFiles: src.Skipped}, nil
}
