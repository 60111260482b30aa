package sweep

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator/render"
)

// The sweep builds every generated package as part of one throwaway module,
// so one go build, go vet and staticcheck call checks them all, and one
// binary serves every API for the round trips.

// writeModule writes the module: go.mod pointing at this repository's
// runtime, one package per schema and a server main that mounts each API
// under /<package>, on a database of engine e.
func writeModule(t *testing.T, dir string, e *engine, packages map[string][]render.File) {
	t.Helper()
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	// The runtime's requirements, chi and pgx among them, which generated
	// code imports directly; its go.sum covers them.
	runtimeMod, err := os.ReadFile(filepath.Join(repo, "runtime", "go.mod"))
	require.NoError(t, err)
	var requires strings.Builder
	for _, line := range strings.Split(string(runtimeMod), "\n") {
		f := strings.Fields(strings.TrimSuffix(line, "// indirect"))
		if len(f) == 2 && strings.Contains(f[0], ".") && strings.HasPrefix(line, "\t") {
			fmt.Fprintf(&requires, "\t%s %s\n", f[0], f[1])
		}
	}
	gomod := fmt.Sprintf(`module crudgen.sweep

go 1.26

require (
	github.com/crudgen/crudgen/runtime v0.0.0
%s)

replace github.com/crudgen/crudgen/runtime => %s
`, requires.String(), filepath.Join(repo, "runtime"))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644))
	sum, err := os.ReadFile(filepath.Join(repo, "runtime", "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644))

	var names []string
	for name, files := range packages {
		names = append(names, name)
		pkgDir := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(pkgDir, 0o755))
		for _, f := range files {
			require.NoError(t, os.WriteFile(filepath.Join(pkgDir, f.Path), f.Content, 0o644))
		}
	}
	sort.Strings(names)
	var imports, apis, embeds strings.Builder
	for _, n := range names {
		fmt.Fprintf(&imports, "\t%q\n", "crudgen.sweep/"+n)
		fmt.Fprintf(&apis, e.api, n)
		if e.embed != "" {
			fmt.Fprintf(&embeds, e.embed, n)
		}
	}
	main := strings.NewReplacer("IMPORTS", imports.String(), "APIS", apis.String(), "EMBEDS", embeds.String()).Replace(e.main)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(main), 0o644))
	// The runtime's other packages (server, metrics) need modules the
	// generated code does not: tidy keeps what it does (all cached here).
	goCmd(t, dir, "mod", "tidy")
}

// postgresMain serves every API: SWEEP_DSNS maps package names to
// database URLs; the address it listens on goes to stdout.
const postgresMain = `package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/crudgen/crudgen/runtime/postgres"
IMPORTS)

var routers = map[string]func(*pgxpool.Pool) http.Handler{
APIS}

func main() {
	var dsns map[string]string
	if err := json.Unmarshal([]byte(os.Getenv("SWEEP_DSNS")), &dsns); err != nil {
		panic(err)
	}
	r := chi.NewRouter()
	for name, dsn := range dsns {
		cfg, err := pgxpool.ParseConfig(dsn)
		if err != nil {
			panic(err)
		}
		cfg.MaxConns = 4
		cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
			postgres.RegisterTypes(c.TypeMap())
			return nil
		}
		pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
		if err != nil {
			panic(err)
		}
		r.Mount("/"+name, routers[name](pool))
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Println(l.Addr().String())
	panic(http.Serve(l, r))
}
`

// sqliteMain serves every API as postgresMain does, each on the SQLite
// file SWEEP_DSNS names, which sqlite.OpenWith creates from the package's
// schema: with several packages in one program, each opens its database
// with its own schema (their init's CreateWith would make Open fail).
const sqliteMain = `package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"

	"github.com/go-chi/chi/v5"

	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/sqlite"
IMPORTS)

EMBEDSvar apis = map[string]struct {
	schema string
	router func(*sqlite.DB) http.Handler
}{
APIS}

func main() {
	var dsns map[string]string
	if err := json.Unmarshal([]byte(os.Getenv("SWEEP_DSNS")), &dsns); err != nil {
		panic(err)
	}
	r := chi.NewRouter()
	for name, dsn := range dsns {
		db, err := sqlite.OpenWith(context.Background(), dsn, runtime.Settings{}, apis[name].schema)
		if err != nil {
			panic(err)
		}
		r.Mount("/"+name, apis[name].router(db))
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Println(l.Addr().String())
	panic(http.Serve(l, r))
}
`

// goCmd runs the go command in dir and fails the test with its output.
// It builds with -trimpath (staticcheck's go list too, through GOFLAGS):
// without it the build cache keys packages by their directory, a new
// temporary one each run, and the generated module compiled from scratch
// every time (about 95 s of a sweep on two cores, 3 s from the cache).
func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -trimpath"))
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go %s:\n%s", strings.Join(args, " "), out)
	return string(out)
}
