package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"runtime/debug"
	"strings"

	"golang.org/x/mod/module"

	"github.com/crudgen/crudgen/generator/dialect"
)

// sampleSchemas are what init writes when no schema is given, by dialect.
var sampleSchemas = map[dialect.Dialect]string{dialect.Postgres: samplePostgres, dialect.SQLite: sampleSQLite}

const samplePostgres = `-- The database schema crudgen turns into internal/api. Edit it (or point
-- crudgen.yaml at your migrations), then run go generate ./...

CREATE TABLE notes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title      varchar(200) NOT NULL,
    body       text NOT NULL DEFAULT '',
    done       boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tags (
    note_id bigint NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    name    varchar(50) NOT NULL,
    PRIMARY KEY (note_id, name)
);
`

const sampleSQLite = `-- The database schema crudgen turns into internal/api. Edit it (or point
-- crudgen.yaml at your migrations), then run go generate ./...
-- The server creates the database file from it when the file does not
-- exist yet.

CREATE TABLE notes (
    id         INTEGER PRIMARY KEY,
    title      VARCHAR(200) NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    done       BOOLEAN NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE tags (
    note_id INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    name    VARCHAR(50) NOT NULL,
    PRIMARY KEY (note_id, name)
);
`

// databaseURLs are the example DATABASE_URL of each dialect.
var databaseURLs = map[dialect.Dialect]string{dialect.Postgres: "postgres://user@localhost:5432/db", dialect.SQLite: "sqlite:app.db"}

func runInit(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.SetOutput(stderr)
	modulePath := fs.String("module", "", "module path of the new project (default: the directory's name)")
	schema := fs.String("schema", "", "schema file or migration folder to start from (default: a small sample)")
	force := fs.Bool("force", false, "overwrite files that already exist")
	dialectName := fs.String("dialect", "postgres", "SQL dialect of the project's database: postgres or sqlite")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: crudgen init [DIR] [--module PATH] [--schema FILE|DIR] [--dialect postgres|sqlite] [--force]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Creates a project in DIR (default: the current directory): go.mod, crudgen.yaml,")
		fmt.Fprintln(stderr, "the schema under db/, generate.go with the go:generate line, cmd/server, a")
		fmt.Fprintln(stderr, "Makefile and a README; then generates the API and resolves the dependencies.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return flagError(err)
	}
	if len(rest) > 1 {
		fmt.Fprintf(stderr, "crudgen init: unexpected argument %q\n", rest[1])
		return exitUsage
	}
	dir := "."
	if len(rest) == 1 {
		dir = rest[0]
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fail(stderr, err)
	}
	if *modulePath == "" {
		*modulePath = filepath.Base(abs)
	}
	if err := module.CheckPath(*modulePath); err != nil {
		if err := module.CheckImportPath(*modulePath); err != nil {
			fmt.Fprintf(stderr, "crudgen init: %q is not a module path; choose one with --module: %v\n", *modulePath, err)
			return exitUsage
		}
	}
	d, err := dialect.Parse(*dialectName)
	if err == nil && sampleSchemas[d] == "" {
		err = fmt.Errorf("crudgen serves %s databases, not %s ones yet", "PostgreSQL and SQLite", d.Name())
	}
	if err != nil {
		fmt.Fprintf(stderr, "crudgen init: --dialect: %v\n", err)
		return exitUsage
	}
	files, err := projectFiles(*modulePath, *schema, d)
	if err != nil {
		return fail(stderr, err)
	}
	if !*force {
		var exist []string
		for _, f := range files {
			if _, err := os.Stat(filepath.Join(abs, f.path)); err == nil { // #nosec G703 -- in the directory the user named
				exist = append(exist, f.path)
			}
		}
		if len(exist) > 0 {
			fmt.Fprintf(stderr, "crudgen init: %s already has %s; nothing written (--force overwrites)\n", dir, strings.Join(exist, ", "))
			return exitFail
		}
	}
	for _, f := range files {
		if err := writeProjectFile(filepath.Join(abs, f.path), f.content); err != nil {
			return fail(stderr, err)
		}
	}
	if *schema != "" {
		if err := copySchema(*schema, abs); err != nil {
			return fail(stderr, err)
		}
	}
	if code := runGenerate([]string{"-c", filepath.Join(abs, "crudgen.yaml")}, stdout, stderr); code != exitOK {
		return code
	}
	tidy := exec.Command("go", "mod", "tidy")
	tidy.Dir = abs
	if out, err := tidy.CombinedOutput(); err != nil {
		fmt.Fprintf(stderr, "crudgen init: go mod tidy failed, run it once the module proxy is reachable:\n%s", out)
		return exitFail
	}
	fmt.Fprintf(stdout, "crudgen: created %s\n  next: cd %s && DATABASE_URL=%s go run ./cmd/server\n", dir, dir, databaseURLs[d])
	return exitOK
}

type projectFile struct {
	path    string
	content []byte
}

// projectFiles are the files of a new project.
func projectFiles(modulePath, schema string, d dialect.Dialect) ([]projectFile, error) {
	schemaPath := "db/schema.sql"
	var files []projectFile
	switch info, err := os.Stat(schema); {
	case schema == "":
		files = append(files, projectFile{schemaPath, []byte(sampleSchemas[d])})
	case err != nil:
		return nil, err
	case info.IsDir():
		schemaPath = "db/migrations"
	}
	gomod, err := goMod(modulePath)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(modulePath)
	dialectLine, serve := "", "`DATABASE_URL="+databaseURLs[d]+" go run ./cmd/server`"
	if d != dialect.Postgres {
		dialectLine = "dialect: " + string(d) + "\n"
	}
	if d == dialect.SQLite {
		serve += " (the server creates app.db from the schema when it does not exist)"
	}
	files = append(files,
		projectFile{"go.mod", gomod},
		projectFile{"crudgen.yaml", []byte(fmt.Sprintf(`# crudgen's configuration: see https://github.com/crudgen/crudgen#generating-an-api-crudgen-generate
version: 1
%sschema: %s
out: internal/api
package: api
title: %s API
`, dialectLine, schemaPath, name))},
		projectFile{"generate.go", []byte(`// Package ` + packageName(name) + ` holds the project's go:generate line: go generate ./...
// regenerates internal/api from the schema with the crudgen of go.mod.
package ` + packageName(name) + `

//go:generate go tool crudgen generate
`)},
		projectFile{"cmd/server/main.go", []byte(`// Command server serves the API: DATABASE_URL (required), ADDR (default
// :8080), SHUTDOWN_TIMEOUT and LOG_LEVEL come from the environment.
package main

import (
	"` + modulePath + `/internal/api"

	"github.com/crudgen/crudgen/runtime/server"
)

func main() { server.Main(api.Handler) }
`)},
		projectFile{"Makefile", []byte(`.PHONY: generate check build run test

# Regenerate internal/api after a schema change.
generate:
	go generate ./...

# Fail when internal/api is not what the schema gives (for CI).
check:
	go tool crudgen check

build:
	go build ./...

# Serve the API; DATABASE_URL must point at a database with the schema.
run:
	go run ./cmd/server

test:
	go vet ./... && go test ./...
`)},
		projectFile{"README.md", []byte(`# ` + name + `

A REST API generated by [crudgen](https://github.com/crudgen/crudgen) from ` + "`" + schemaPath + "`" + `.

- Change the schema, then ` + "`go generate ./...`" + ` (or ` + "`make generate`" + `) to regenerate ` + "`internal/api`" + `.
- ` + "`make check`" + ` fails when the generated code is stale or was edited by hand: run it in CI.
- Serve it: ` + serve + `, then open
  http://localhost:8080/openapi.json.
- Files in ` + "`internal/api`" + ` without the "Code generated" header are yours: crudgen never touches them.
`)},
	)
	return files, nil
}

// goMod is the new project's go.mod: the crudgen tool and its runtime, from
// the local checkout when this crudgen runs from one, so that everything
// builds offline.
func goMod(modulePath string) ([]byte, error) {
	var b bytes.Buffer
	goVersion := strings.TrimPrefix(goruntime.Version(), "go")
	if parts := strings.SplitN(goVersion, ".", 3); len(parts) == 3 {
		goVersion = parts[0] + "." + parts[1] + ".0"
	}
	fmt.Fprintf(&b, "module %s\n\ngo %s\n\ntool github.com/crudgen/crudgen/cmd/crudgen\n", modulePath, goVersion)
	version := "v0.0.0"
	root := checkout()
	if info, ok := debug.ReadBuildInfo(); ok && root == "" && strings.HasPrefix(info.Main.Version, "v") {
		version = strings.TrimSuffix(info.Main.Version, "+dirty")
	}
	fmt.Fprintf(&b, "\nrequire (\n\tgithub.com/crudgen/crudgen %s\n\tgithub.com/crudgen/crudgen/runtime %s\n)\n", version, version)
	if root != "" {
		fmt.Fprintf(&b, "\nreplace (\n\tgithub.com/crudgen/crudgen => %s\n\tgithub.com/crudgen/crudgen/runtime => %s\n)\n",
			root, filepath.Join(root, "runtime"))
	}
	return b.Bytes(), nil
}

// checkout returns the root of the crudgen source tree this binary was
// built from, or "" when it was installed from a module version (its
// source then sits in the module cache) or the tree is gone.
func checkout() string {
	if dir := os.Getenv("CRUDGEN_CHECKOUT"); dir != "" {
		return dir
	}
	_, file, _, ok := goruntime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return "" // built with -trimpath
	}
	root := filepath.Dir(filepath.Dir(filepath.Dir(file))) // cmd/crudgen/init.go
	if cache, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if c := strings.TrimSpace(string(cache)); c != "" && strings.HasPrefix(root, c+string(filepath.Separator)) {
			return ""
		}
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod")) // #nosec G304 -- the checkout this source file is in
	if err != nil || !bytes.HasPrefix(gomod, []byte("module github.com/crudgen/crudgen\n")) {
		return ""
	}
	if _, err := os.Stat(filepath.Join(root, "runtime", "go.mod")); err != nil {
		return ""
	}
	return root
}

// copySchema copies the given schema file to db/schema.sql, or a migration
// folder to db/migrations.
func copySchema(src, project string) error {
	info, err := os.Stat(src)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		data, err := os.ReadFile(src) // #nosec G304 G703 -- the schema the user named
		if err != nil {
			return err
		}
		return writeProjectFile(filepath.Join(project, "db", "schema.sql"), data)
	}
	dst := filepath.Join(project, "db", "migrations")
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755) // #nosec G301 G703 -- a project folder, see writeProjectFile
		}
		data, err := os.ReadFile(path) // #nosec G122 G304 -- the user's own folder, copied at the user's request
		if err != nil {
			return err
		}
		return writeProjectFile(target, data)
	})
}

// writeProjectFile writes a file of the project init or templates export
// writes, in a directory the user named, making its folders. The files
// are source code: readable by all, as the rest of a project is (the
// umask applies).
func writeProjectFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil { // #nosec G301 G703 -- project folders, where the user asked
		return err
	}
	return os.WriteFile(path, data, 0o644) // #nosec G306 G703 -- a source file, where the user asked
}

// packageName makes a Go package name of a directory name.
func packageName(dir string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(dir) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' && b.Len() > 0 {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 || token.IsKeyword(b.String()) {
		return "project"
	}
	return b.String()
}
