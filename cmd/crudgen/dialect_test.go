package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// inspect --dialect sqlite keeps the catalog JSON contract: the schema is
// main, types are declared types, a rowid alias is not null.
func TestInspectSQLite(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "app.sql")
	require.NoError(t, os.WriteFile(f, []byte(`CREATE TABLE authors (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL UNIQUE, bio);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published'))
);
`), 0o644))
	code, out, errs := runCLI("inspect", "--dialect", "sqlite", f)
	require.Equal(t, exitOK, code, errs)
	var cat struct {
		Schemas []struct{ Name string }
		Tables  []struct {
			Schema, Name, Kind string
			Columns            []struct {
				Name, Type string
				NotNull    bool `json:"not_null"`
			}
			PrimaryKey  []string   `json:"primary_key"`
			Unique      [][]string `json:"unique"`
			ForeignKeys []struct {
				Columns    []string
				RefSchema  string   `json:"ref_schema"`
				RefTable   string   `json:"ref_table"`
				RefColumns []string `json:"ref_columns"`
				OnDelete   string   `json:"on_delete"`
			} `json:"foreign_keys"`
			Checks []struct{ Expr string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &cat))
	assert.Equal(t, "main", cat.Schemas[0].Name)
	require.Len(t, cat.Tables, 2)
	authors, posts := cat.Tables[0], cat.Tables[1]
	assert.Equal(t, "main", authors.Schema)
	assert.Equal(t, []string{"id"}, authors.PrimaryKey)
	assert.Equal(t, "INTEGER", authors.Columns[0].Type)
	assert.True(t, authors.Columns[0].NotNull, "a rowid alias")
	assert.Equal(t, "VARCHAR(80)", authors.Columns[1].Type)
	assert.Equal(t, "", authors.Columns[2].Type, "no declared type")
	assert.False(t, authors.Columns[2].NotNull)
	assert.Equal(t, [][]string{{"name"}}, authors.Unique)
	require.Len(t, posts.ForeignKeys, 1)
	assert.Equal(t, "main", posts.ForeignKeys[0].RefSchema)
	assert.Equal(t, "authors", posts.ForeignKeys[0].RefTable)
	assert.Equal(t, "cascade", posts.ForeignKeys[0].OnDelete)
	assert.Equal(t, "status IN ('draft', 'published')", posts.Checks[0].Expr)

	code, _, errs = runCLI("inspect", "--dialect", "oracle", f)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, `"oracle" is not a dialect`)

	// The PostgreSQL front end says what it is reading.
	code, _, errs = runCLI("inspect", f)
	assert.Equal(t, exitFail, code)
	assert.Contains(t, errs, `app.sql:3:26: syntax error at or near "AUTOINCREMENT" (this looks like SQLite (AUTOINCREMENT)`)

	// generate serves it.
	apiDir := filepath.Join(dir, "api")
	code, _, errs = runCLI("generate", "--dialect", "sqlite", "--schema", f, "--out", apiDir)
	require.Equal(t, exitOK, code, errs)
	router, err := os.ReadFile(filepath.Join(apiDir, "router.go"))
	require.NoError(t, err)
	assert.Contains(t, string(router), `"github.com/crudgen/crudgen/runtime/sqlite"`)
	assert.FileExists(t, filepath.Join(apiDir, "schema.sql"))

	// crudgen.yaml's dialect is the flag's default.
	cfg := filepath.Join(dir, "crudgen.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("version: 1\ndialect: sqlite\nschema: app.sql\nout: api\n"), 0o644))
	code, _, errs = runCLI("check", "-c", cfg)
	assert.Equal(t, exitOK, code, errs)
	code, _, errs = runCLI("check", "-c", cfg, "--dialect", "postgres")
	assert.Equal(t, exitFail, code)
	assert.Contains(t, errs, "this looks like SQLite")
}
