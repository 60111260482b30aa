package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errs bytes.Buffer
	code = run(args, &out, &errs)
	return code, out.String(), errs.String()
}

func TestHelpAndUsage(t *testing.T) {
	code, out, _ := runCLI("help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "inspect")

	code, _, errs := runCLI()
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "Usage: crudgen")

	code, _, errs = runCLI("frobnicate")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, `unknown command "frobnicate"`)

	code, _, errs = runCLI("inspect", "-h")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, errs, "Usage: crudgen inspect")
}

func TestInspectBlog(t *testing.T) {
	schema := filepath.Join("..", "..", "examples", "blog", "schema.sql")
	code, out, errs := runCLI("inspect", schema)
	require.Equal(t, exitOK, code, errs)
	var cat struct {
		Tables []struct {
			Name       string
			Kind       string
			PrimaryKey []string `json:"primary_key"`
		}
		Enums []struct{ Name string }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &cat))
	require.Len(t, cat.Tables, 7)
	assert.Equal(t, "authors", cat.Tables[0].Name)
	assert.Equal(t, []string{"post_id", "tag"}, cat.Tables[4].PrimaryKey)
	assert.Empty(t, cat.Tables[5].PrimaryKey)
	assert.Equal(t, "view", cat.Tables[6].Kind)
	assert.Equal(t, "post_status", cat.Enums[0].Name)

	// Flags may follow the paths.
	code, out, _ = runCLI("inspect", schema, "--format", "text")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "table public.authors  -- People who write posts.")
}

func TestInspectErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.sql")
	require.NoError(t, os.WriteFile(bad, []byte("CREATE TABLE a (id int);\nCREATE TABL b (id int);\n"), 0o644))

	code, _, errs := runCLI("inspect", bad)
	assert.Equal(t, exitFail, code)
	assert.Contains(t, errs, "bad.sql:2:8: syntax error at or near \"TABL\"")

	code, _, errs = runCLI("inspect", filepath.Join(dir, "missing.sql"))
	assert.Equal(t, exitFail, code)
	assert.Contains(t, errs, "missing.sql")

	code, _, errs = runCLI("inspect")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "no schema file or folder given")

	code, _, errs = runCLI("inspect", "--format", "yaml", bad)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, `unknown format "yaml"`)

	code, _, errs = runCLI("inspect", "--migrations", "rails", bad)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "unknown migration format")
}

func TestInspectVerboseAndVars(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "s.sql")
	require.NoError(t, os.WriteFile(f, []byte("CREATE SCHEMA :\"app\";\nCREATE TABLE :\"app\".t (id int);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n"), 0o644))

	code, _, errs := runCLI("inspect", f)
	assert.Equal(t, exitFail, code)
	assert.Contains(t, errs, `psql variable :"app" is not set`)

	code, out, errs := runCLI("inspect", "--set", "app=shop", "-v", "--format", "text", f)
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "table shop.t")
	assert.Contains(t, errs, "s.sql:3:1: skipped CREATE FUNCTION")
}

func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	schema := filepath.Join(dir, "schema.sql")
	require.NoError(t, os.WriteFile(schema, []byte("CREATE TABLE notes (id int PRIMARY KEY, body text);\n"), 0o644))
	cfg := filepath.Join(dir, "crudgen.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("version: 1\nschema: schema.sql\nout: gen/notes\n"), 0o644))

	code, out, errs := runCLI("generate", "-c", cfg)
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "1 tables, 6 endpoints, 3 files written, 0 unchanged, 0 removed")
	src, err := os.ReadFile(filepath.Join(dir, "gen", "notes", "notes.go"))
	require.NoError(t, err)
	assert.Contains(t, string(src), "package notes")

	// A second run changes nothing; a hand-written file survives.
	hand := filepath.Join(dir, "gen", "notes", "hooks.go")
	require.NoError(t, os.WriteFile(hand, []byte("package notes\n"), 0o644))
	code, out, _ = runCLI("generate", "-c", cfg)
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "0 files written, 3 unchanged, 0 removed")

	// Flags override the file; a dropped table's file goes away.
	require.NoError(t, os.WriteFile(schema, []byte("CREATE TABLE tasks (id int PRIMARY KEY);\n"), 0o644))
	code, out, errs = runCLI("generate", "-c", cfg, "--package", "notes")
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "1 removed")
	assert.NoFileExists(t, filepath.Join(dir, "gen", "notes", "notes.go"))
	assert.FileExists(t, hand)
}

func TestGenerateErrors(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := runCLI("generate", "-c", filepath.Join(dir, "missing.yaml"))
	assert.Equal(t, exitFail, code)
	assert.Contains(t, errs, "missing.yaml")

	t.Chdir(dir)
	code, _, errs = runCLI("generate")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "no schema")

	require.NoError(t, os.WriteFile("s.sql", []byte("CREATE TABLE docs (id int PRIMARY KEY);"), 0o644))
	code, _, errs = runCLI("generate", "--schema", "s.sql", "--out", "api")
	assert.Equal(t, exitFail, code)
	assert.Contains(t, errs, "/docs, which crudgen serves itself")
}
