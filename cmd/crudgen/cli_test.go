package main

// The workflow on the real binary, as a user meets it: init a project,
// build and serve it, change the schema and regenerate, then let check
// catch a hand edit and a breaking change.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/runtime/pgtest"
)

// TestMain runs the tests, or, with CRUDGEN_RUN_AS_MAIN set to a command
// line, runs that as crudgen itself would (for measuring a whole process).
func TestMain(m *testing.M) {
	if args := os.Getenv("CRUDGEN_RUN_AS_MAIN"); args != "" {
		os.Exit(run(strings.Split(args, "\x1f"), os.Stdout, os.Stderr))
	}
	pgtest.Main(m)
}

// sh runs a command in dir and returns its output; it must succeed unless
// wantCode says otherwise.
func sh(t *testing.T, dir string, wantCode int, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err, "%s %v", name, args)
	}
	require.Equal(t, wantCode, code, "%s %s:\n%s", name, strings.Join(args, " "), out.String())
	return out.String()
}

// serve builds and starts the project's server on a free port and returns
// its base URL; the server stops when the test ends.
func serve(t *testing.T, project, dbURL string) string {
	t.Helper()
	goCmd := "go" // go test puts its own go first on PATH
	bin := filepath.Join(t.TempDir(), "server")
	sh(t, project, 0, goCmd, "build", "-o", bin, "./cmd/server")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "ADDR="+addr)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	base := "http://" + addr
	require.Eventually(t, func() bool {
		res, err := http.Get(base + "/openapi.json")
		if err == nil {
			res.Body.Close()
		}
		return err == nil && res.StatusCode == 200
	}, 20*time.Second, 50*time.Millisecond, "the server did not start: %s", &logs)
	return base
}

func request(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, string(b)
}

func TestWorkflow(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a project and its server")
	}
	goCmd := "go"
	bin := filepath.Join(t.TempDir(), "crudgen")
	sh(t, ".", 0, goCmd, "build", "-o", bin, ".")
	work := t.TempDir()

	// init, then the project builds and vets as it is.
	out := sh(t, work, 0, bin, "init", "notes", "--module", "example.com/notes")
	assert.Contains(t, out, "crudgen: created notes")
	project := filepath.Join(work, "notes")
	for _, f := range []string{"go.mod", "go.sum", "crudgen.yaml", "db/schema.sql", "generate.go", "Makefile", "README.md", "cmd/server/main.go", "internal/api/router.go", "internal/api/notes.go"} {
		assert.FileExists(t, filepath.Join(project, f))
	}
	main, err := os.ReadFile(filepath.Join(project, "cmd", "server", "main.go"))
	require.NoError(t, err)
	assert.LessOrEqual(t, strings.Count(string(main), "\n"), 12, "cmd/server/main.go stays a few lines")
	sh(t, project, 0, goCmd, "build", "./...")
	sh(t, project, 0, goCmd, "vet", "./...")
	out = sh(t, work, 1, bin, "init", "notes")
	assert.Contains(t, out, "already has")

	// A hand-written file in the generated package: hooks with a rule and
	// a custom route. go generate wires them in.
	mine := []byte(`package api

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/crudgen/crudgen/runtime"
)

// NoteHooks is the user's own code, which crudgen never touches.
type NoteHooks struct{}

// ValidateCreate refuses shouting.
func (NoteHooks) ValidateCreate(_ context.Context, req *CreateNoteRequest) error {
	var errs runtime.FieldErrors
	if req.Title == "SHOUT" {
		errs.Add(runtime.CodeCheck, "no shouting", "body", "title")
	}
	return errs.Err()
}

// Routes adds GET /notes/-/hello.
func (NoteHooks) Routes(r chi.Router) {
	r.Get("/-/hello", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("hello")) })
}
`)
	require.NoError(t, os.WriteFile(filepath.Join(project, "internal", "api", "mine.go"), mine, 0o644))
	out = sh(t, project, 1, goCmd, "tool", "crudgen", "check")
	assert.Contains(t, out, "h.hooks.ValidateCreate", "check sees the hooks are not wired yet")
	sh(t, project, 0, goCmd, "generate", "./...")

	// Serve it on a fresh database loaded with its schema.
	dbURL := pgtest.Fresh(t)
	schema, err := os.ReadFile(filepath.Join(project, "db", "schema.sql"))
	require.NoError(t, err)
	exec1 := func(sql string) {
		conn, err := pgx.Connect(context.Background(), dbURL)
		require.NoError(t, err)
		defer conn.Close(context.Background())
		_, err = conn.Exec(context.Background(), sql)
		require.NoError(t, err)
	}
	exec1(string(schema))
	base := serve(t, project, dbURL)
	code, body := request(t, http.MethodPost, base+"/notes", `{"title": "first"}`)
	require.Equal(t, http.StatusCreated, code, body)
	code, body = request(t, http.MethodGet, base+"/notes/1", "")
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, `"title":"first"`)
	hooksWork := func() {
		t.Helper()
		code, body := request(t, http.MethodPost, base+"/notes", `{"title": "SHOUT"}`)
		assert.Equal(t, http.StatusUnprocessableEntity, code, body)
		code, body = request(t, http.MethodGet, base+"/notes/-/hello", "")
		assert.Equal(t, http.StatusOK, code, body)
		assert.Equal(t, "hello", body)
	}
	hooksWork()

	// The schema grows a column and a table: go generate, and the new
	// field and routes are served; the user's file is untouched.
	change := "ALTER TABLE notes ADD COLUMN priority integer NOT NULL DEFAULT 0;\n" +
		"CREATE TABLE authors (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);\n"
	require.NoError(t, os.WriteFile(filepath.Join(project, "db", "schema.sql"), append(schema, change...), 0o644))
	out = sh(t, project, 0, goCmd, "generate", "./...")
	assert.Contains(t, out, "3 tables")
	exec1(change)
	base = serve(t, project, dbURL)
	code, body = request(t, http.MethodPost, base+"/notes", `{"title": "second", "priority": 2}`)
	require.Equal(t, http.StatusCreated, code, body)
	assert.Contains(t, body, `"priority":2`)
	code, body = request(t, http.MethodPost, base+"/authors", `{"name": "Ada"}`)
	require.Equal(t, http.StatusCreated, code, body)
	code, body = request(t, http.MethodGet, base+"/notes?priority[gt]=1", "")
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, `"second"`)
	assert.NotContains(t, body, `"first"`)
	got, err := os.ReadFile(filepath.Join(project, "internal", "api", "mine.go"))
	require.NoError(t, err)
	assert.Equal(t, mine, got)
	hooksWork()
	sh(t, project, 0, goCmd, "vet", "./...")

	// check: clean, then a hand edit is caught with its diff.
	out = sh(t, project, 0, goCmd, "tool", "crudgen", "check")
	assert.Contains(t, out, "up to date")
	router := filepath.Join(project, "internal", "api", "router.go")
	orig, err := os.ReadFile(router)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(router, bytes.Replace(orig, []byte("func NewRouter("), []byte("// tweaked\nfunc NewRouter("), 1), 0o644))
	out = sh(t, project, 1, goCmd, "tool", "crudgen", "check")
	assert.Contains(t, out, "+++ b/router.go")
	assert.Contains(t, out, "-// tweaked")
	require.NoError(t, os.WriteFile(router, orig, 0o644))

	// check --api: dropping a column breaks clients of the previous document.
	previous := filepath.Join(work, "openapi-v1.json")
	doc, err := os.ReadFile(filepath.Join(project, "internal", "api", "openapi.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(previous, doc, 0o644))
	dropped := strings.Replace(string(schema)+change, "    done       boolean NOT NULL DEFAULT false,\n", "", 1)
	require.NotEqual(t, string(schema)+change, dropped, "the sample schema has a done column")
	require.NoError(t, os.WriteFile(filepath.Join(project, "db", "schema.sql"), []byte(dropped), 0o644))
	sh(t, project, 0, goCmd, "generate", "./...")
	out = sh(t, project, 1, goCmd, "tool", "crudgen", "check", "--api", previous)
	assert.Contains(t, out, "breaking: GET /notes 200 response.items[]: field done removed")
	fmt.Fprintln(io.Discard, out)
}
