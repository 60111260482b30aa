// Package generator turns SQL DDL into a Go REST API. Its subpackages are
// the pipeline's stages: source reads files and migration folders; a front
// end per dialect reads the SQL into a catalog (ddl parses PostgreSQL and
// schema applies it, sqlite runs SQLite's); model decides the code.
package generator

import (
	"errors"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/dialect"
	"github.com/crudgen/crudgen/generator/schema"
	"github.com/crudgen/crudgen/generator/source"
	"github.com/crudgen/crudgen/generator/sqlite"
)

// LoadOptions control how schema inputs are read.
type LoadOptions struct {
	// Dialect is the SQL of the inputs; "" is PostgreSQL.
	Dialect dialect.Dialect
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
	switch opts.Dialect {
	case dialect.SQLite:
		cat, err := sqlite.Load(src.Files)
		if err != nil {
			return nil, err
		}
		return &Loaded{Catalog: cat, SkippedFiles: src.Skipped}, nil
	case dialect.MySQL:
		return nil, errors.New("the mysql dialect is not supported yet: crudgen reads PostgreSQL and SQLite")
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
