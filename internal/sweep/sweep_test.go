// Package sweep generates the API of every schema of the corpus (and of a
// schema written to trip generators), checks the code with go build, go vet
// and staticcheck in one module per engine, and runs the CRUD round trip of
// every keyed table against the schema loaded into PostgreSQL, or in a
// SQLite file the server creates.
package sweep

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator"
	"github.com/crudgen/crudgen/generator/model"
	"github.com/crudgen/crudgen/generator/render"
	"github.com/crudgen/crudgen/generator/schema"
	"github.com/crudgen/crudgen/generator/source"
	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/internal/corpus"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// subject is one schema of the sweep.
type subject struct {
	name   string // Go package name
	engine *engine
	entry  *corpus.Entry
	// load is the entry whose SQL builds the database (on SQLite, the
	// server creates it from the package's schema); nil when it does not
	// load here.
	load    *corpus.Entry
	sql     string // SQL of a schema that is not in the corpus
	pkg     *model.Package
	cat     *schema.Catalog
	files   []render.File
	genTime time.Duration
}

// databaseSettings are the session settings an application sets and a
// schema's triggers read: PostgREST's schemas read the user it names in
// request.jwt.claim.username or request.jwt.claims.
var databaseSettings = map[string]string{
	"postgrest_big_schema": `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET request.jwt.claim.username = %L', current_database(), 'sweep'); END $$;`,
	"postgrest_fixtures":   `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET request.jwt.claims = %L', current_database(), '{"id": "sweep"}'); END $$;`,
}

// loadFrom names the entry whose SQL builds another entry's database:
// replaying crates.io's 285 migrations takes a minute, and cratesio_pgdump
// is pg_dump's output of that database.
var loadFrom = map[string]string{"cratesio": "cratesio_pgdump"}

func TestSweep(t *testing.T) {
	t.Parallel() // the sweeps overlap one's builds with another's round trips
	entries := corpus.Entries(t)
	byName := map[string]*corpus.Entry{}
	for _, e := range entries {
		byName[e.Name] = e
	}
	var subjects []*subject
	for _, e := range entries {
		files, err := e.Sources()
		require.NoError(t, err)
		s := &subject{name: e.Name, engine: postgresEngine, entry: e}
		if e.Loads {
			s.load = e
			if other, ok := loadFrom[e.Name]; ok {
				s.load = byName[other]
			}
		}
		if !generate(t, s, files, e.Vars) {
			continue
		}
		subjects = append(subjects, s)
	}

	check(t, postgresEngine, subjects)
}

// check builds, vets and staticchecks the subjects' packages in one
// module, then runs their round trips.
func check(t *testing.T, e *engine, subjects []*subject) {
	dir := t.TempDir()
	packages := map[string][]render.File{}
	for _, s := range subjects {
		packages[s.name] = s.files
	}
	writeModule(t, dir, e, packages)
	start := time.Now()
	goCmd(t, dir, "build", "-o", "server", ".")
	t.Logf("go build: %s", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	goCmd(t, dir, "vet", "./...")
	t.Logf("go vet: %s", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	goCmd(t, dir, "tool", "-modfile="+toolsModfile(t), "staticcheck", "./...")
	t.Logf("staticcheck: %s", time.Since(start).Round(time.Millisecond))

	roundTrips(t, dir, subjects)
}

// generate builds the subject's package twice and checks the bytes are the
// same. A corpus entry that does not parse must fail with a positioned
// error naming the cause.
func generate(t *testing.T, s *subject, files []source.File, vars map[string]string) bool {
	t.Helper()
	run := func() (*generator.Generated, error) {
		cat, err := s.engine.catalog(files, vars)
		if err != nil {
			return nil, err
		}
		if s.cat == nil {
			s.cat = cat // the catalog s.pkg is built from
		}
		return generator.Generate(&generator.Loaded{Catalog: cat}, generator.GenerateOptions{Package: s.name})
	}
	start := time.Now()
	gen, err := run()
	s.genTime = time.Since(start)
	if s.engine == postgresEngine && s.name == "pagila" {
		require.ErrorContains(t, err, "pagila-schema.sql:453:77: syntax error at or near \"VIRTUAL\" (VIRTUAL generated columns are PostgreSQL 18 syntax")
		return false
	}
	require.NoError(t, err, s.name)
	again, err := run()
	require.NoError(t, err)
	require.Equal(t, len(gen.Files), len(again.Files), "%s: generated file count differs between runs", s.name)
	for i := range gen.Files {
		require.Equal(t, gen.Files[i].Path, again.Files[i].Path, s.name)
		require.True(t, bytes.Equal(gen.Files[i].Content, again.Files[i].Content), "%s: %s differs between runs", s.name, gen.Files[i].Path)
	}
	s.pkg, s.files = gen.Package, gen.Files
	return true
}

func toolsModfile(t *testing.T) string {
	p, err := filepath.Abs(filepath.Join("..", "..", "tools", "go.mod"))
	require.NoError(t, err)
	return p
}

// roundTrips exercises each subject that loads here in a subtest of its
// own: a fresh database with the schema (loaded, or created by the
// server), the server serving that API, then the round trip of each keyed
// table. One subject at a time, so the cluster-wide roles some schemas
// create and drop never meet.
func roundTrips(t *testing.T, dir string, subjects []*subject) {
	var report []string
	row := func(s *subject, exercised, skipped string) {
		report = append(report, fmt.Sprintf("%-22s %5d %6d %5d %9s %7s %8s", s.name, len(s.pkg.Resources),
			endpoints(s.pkg), keyed(s.pkg), exercised, skipped, s.genTime.Round(time.Millisecond)))
	}
	for _, s := range subjects {
		if s.load == nil && s.sql == "" {
			row(s, "-", "-")
			continue
		}
		t.Run(s.name, func(t *testing.T) {
			url := s.engine.database(t, s)
			server := startServer(t, dir, map[string]string{s.name: url})
			x := newExerciser(server, s.name, s.engine.connect(t, url), s.pkg, s.cat)
			want := s.engine.skips[s.name]
			exercised, skipped := 0, 0
			for _, r := range s.pkg.Resources {
				if len(r.Key) == 0 {
					continue
				}
				table := r.Table.QualifiedName()
				err := x.roundTrip(r)
				reason, expected := want[table]
				switch {
				case err == nil && expected:
					t.Errorf("%s now passes the round trip; remove it from the skips (%s)", table, reason)
				case err == nil:
					exercised++
				case expected:
					skipped++
					t.Logf("skipped %s: %s (%v)", table, reason, err)
				default:
					t.Errorf("%s: %v", table, err)
				}
			}
			n := keyed(s.pkg)
			if n > 0 && float64(exercised) < 0.95*float64(n) {
				t.Errorf("%d of %d keyed tables exercised, under the 95%% floor", exercised, n)
			}
			row(s, strconv.Itoa(exercised), strconv.Itoa(skipped))
		})
	}
	sort.Strings(report)
	t.Logf("\n%-22s %5s %6s %5s %9s %7s %8s\n%s", "schema", "tables", "routes", "keyed", "exercised", "skipped", "generate", strings.Join(report, "\n"))
}

// load creates the subject's PostgreSQL database, dropped when t ends,
// and returns its URL.
func load(t *testing.T, s *subject) string {
	url := pgtest.Fresh(t)
	if s.load != nil {
		corpus.NeedPsql(t)
		_, err := s.load.Load(t, url, true)
		require.NoError(t, err, s.name)
		if settings := databaseSettings[s.name]; settings != "" {
			_, stderr, err := corpus.Psql(url, settings, "-v", "ON_ERROR_STOP=1")
			require.NoError(t, err, stderr)
		}
		return url
	}
	conn, err := pgx.Connect(context.Background(), url)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	_, err = conn.Exec(context.Background(), s.sql)
	require.NoError(t, err, s.name)
	return url
}

func endpoints(p *model.Package) int {
	n := 0
	for _, r := range p.Resources {
		n += len(r.Ops)
	}
	return n
}

func keyed(p *model.Package) int {
	n := 0
	for _, r := range p.Resources {
		if len(r.Key) > 0 {
			n++
		}
	}
	return n
}

// startServer runs the sweep's server binary and returns its base URL.
func startServer(t *testing.T, dir string, dsns map[string]string) string {
	t.Helper()
	env, err := json.Marshal(dsns)
	require.NoError(t, err)
	cmd := exec.Command(filepath.Join(dir, "server"))
	cmd.Env = append(os.Environ(), "SWEEP_DSNS="+string(env))
	stderr := &apitest.SyncBuffer{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() && stderr.Len() > 0 {
			t.Logf("server log:\n%s", stderr.String())
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		_ = cmd.Wait()
		t.Fatalf("server did not start: %v\n%s", err, stderr.String())
	}
	return "http://" + strings.TrimSpace(line)
}
