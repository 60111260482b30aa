// Package pgtest gives every test package its own throwaway PostgreSQL
// database, and single tests more of them when they need a clean slate.
//
// Every package of crudgen (and of the projects it generates) whose tests need
// PostgreSQL uses it the same way:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
//	func TestAuthors(t *testing.T) {
//		pool := pgtest.Pool(t) // this package's database, closed after the test
//		_, err := pool.Exec(context.Background(), `CREATE TABLE authors (id int PRIMARY KEY)`)
//		require.NoError(t, err)
//	}
//
//	func TestMigrations(t *testing.T) {
//		url := pgtest.Fresh(t) // an empty database of its own, dropped after the test
//		conn, err := pgx.Connect(context.Background(), url)
//		require.NoError(t, err)
//		defer conn.Close(context.Background())
//		// ...
//	}
//
// The server is taken from CRUDGEN_TEST_DATABASE_URL (a postgres:// URL or a
// keyword/value string), by default
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable. Its role needs
// the CREATEDB privilege. Databases are named crudgen_test_<unix time>_<random
// hex>. They are dropped WITH (FORCE) when the test binary ends (the package's
// database) or when the test ends (Fresh), so open connections never keep them
// alive.
//
// The package's database is created on first use, so `go test -list`, a -run
// filter that selects no database test and fuzz workers that never touch the
// database cost nothing.
//
// When no server answers within the connect timeout (5 s, or the
// connect_timeout parameter of the URL), a test that asks for a database is
// skipped with the reason. When the environment has CI=true it fails instead,
// so a CI run without a database cannot pass by skipping everything. Other
// errors (a bad URL, a role without CREATEDB) always fail.
//
// A test binary that is killed (a panic, -timeout, ^C) cannot drop its
// database; a later run drops such leftovers once they are older than six
// hours and nobody is connected to them.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const (
	envURL     = "CRUDGEN_TEST_DATABASE_URL"
	defaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	namePrefix = "crudgen_test_"

	connectTimeout = 5 * time.Second  // per connection attempt, unless the URL sets connect_timeout
	opTimeout      = 60 * time.Second // CREATE/DROP DATABASE on a busy two-core machine
	closeTimeout   = 10 * time.Second // waiting for a pool's acquired connections at Cleanup
	staleAfter     = 6 * time.Hour    // leftovers of killed test binaries
)

// pkg is the state of the package's database; Main sets main before any test
// runs, the first URL call creates the database.
var pkg struct {
	main bool
	once sync.Once
	url  string
	name string
	err  error
}

var (
	// down remembers that the server was unreachable, so later calls skip (or
	// fail) at once instead of waiting for another connect timeout.
	downMu sync.Mutex
	down   error

	sweepOnce sync.Once
)

// Main creates a throwaway database for the test package, runs the tests,
// drops it, and exits. Call from TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// The database is created by the first test that calls URL or Pool.
func Main(m *testing.M) {
	pkg.main = true
	code := m.Run()
	if pkg.name != "" {
		if err := dropDatabase(pkg.name); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		}
	}
	os.Exit(code)
}

// URL returns the connection URL of the package's throwaway database. When no
// database is reachable it skips the test, except when the environment has
// CI=true, where it fails the test.
func URL(tb testing.TB) string {
	tb.Helper()
	if !pkg.main {
		tb.Fatal("pgtest: URL and Pool need `func TestMain(m *testing.M) { pgtest.Main(m) }` in the test package")
	}
	pkg.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		pkg.url, pkg.name, pkg.err = createDatabase(ctx)
	})
	if pkg.err != nil {
		unavailable(tb, pkg.err)
	}
	return pkg.url
}

// Pool returns a pgxpool.Pool connected to the package's throwaway database
// (see URL), closed at tb.Cleanup. Each call returns a new pool.
func Pool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	u := URL(tb)
	cfg, err := pgxpool.ParseConfig(u)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() { closePool(tb, pool) })
	if err := pool.Ping(ctx); err != nil {
		tb.Fatalf("pgtest: connect to database %s: %v", cfg.ConnConfig.Database, err)
	}
	return pool
}

// Fresh creates an additional throwaway database for one test (dropped at
// Cleanup) and returns its URL. When no database is reachable it skips the
// test, except when the environment has CI=true, where it fails the test.
// Fresh does not need Main.
func Fresh(tb testing.TB) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	u, name, err := createDatabase(ctx)
	if err != nil {
		unavailable(tb, err)
	}
	tb.Cleanup(func() {
		if err := dropDatabase(name); err != nil {
			tb.Errorf("pgtest: %v", err)
		}
	})
	return u
}

// unreachableError is the one error that skips rather than fails.
type unreachableError struct {
	server string
	err    error
}

func (e *unreachableError) Error() string {
	return fmt.Sprintf("pgtest: no PostgreSQL reachable at %s (set %s): %v", e.server, envURL, e.err)
}

func (e *unreachableError) Unwrap() error { return e.err }

// unavailable skips or fails tb because of err, which does not return.
func unavailable(tb testing.TB, err error) {
	tb.Helper()
	var ue *unreachableError
	if !errors.As(err, &ue) {
		tb.Fatal(err)
	}
	Missing(tb, "%v", err)
}

// Missing skips tb for a prerequisite the machine lacks (PostgreSQL, a
// browser, Node.js), with the message of format and args, or fails it when
// CI=true, where every prerequisite must be present. It does not return.
func Missing(tb testing.TB, format string, args ...any) {
	tb.Helper()
	msg := fmt.Sprintf(format, args...)
	if inCI() {
		tb.Fatalf("%s\nCI=true: a test whose prerequisite is missing fails instead of skipping", msg)
	}
	tb.Skip(msg)
}

func inCI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}

// ServerURL is the URL tests reach the server with: CRUDGEN_TEST_DATABASE_URL,
// or the default. Its database is the one throwaway databases are created
// from; tests that need a lock across processes can take one there.
func ServerURL() string { return serverURL() }

func serverURL() string {
	if s := os.Getenv(envURL); s != "" {
		return s
	}
	return defaultURL
}

// connectServer opens an administrative connection to the server's own
// database (the one named in the server URL).
func connectServer(ctx context.Context) (*pgx.Conn, error) {
	downMu.Lock()
	err := down
	downMu.Unlock()
	if err != nil {
		return nil, err
	}
	cfg, err := pgx.ParseConfig(serverURL())
	if err != nil {
		return nil, fmt.Errorf("pgtest: %s: %w", envURL, err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = connectTimeout
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		err = &unreachableError{server: fmt.Sprintf("%s:%d/%s", cfg.Host, cfg.Port, cfg.Database), err: err}
		downMu.Lock()
		down = err
		downMu.Unlock()
		return nil, err
	}
	return conn, nil
}

// createDatabase creates a database with a new name and returns its URL and
// name.
func createDatabase(ctx context.Context) (dbURL, name string, err error) {
	conn, err := connectServer(ctx)
	if err != nil {
		return "", "", err
	}
	defer conn.Close(context.Background())
	sweepOnce.Do(func() { sweepStale(ctx, conn, time.Now()) })

	name = newName(time.Now())
	dbURL, err = databaseURL(serverURL(), name)
	if err != nil {
		return "", "", err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", "", fmt.Errorf("pgtest: create database %s: %w", name, err)
	}
	return dbURL, name, nil
}

// dropDatabase drops name, closing the connections still open to it.
func dropDatabase(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	conn, err := connectServer(ctx)
	if err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// sweepStale drops, best effort, the databases of test binaries that were
// killed before they could drop them: older than staleAfter, nobody
// connected. It never uses FORCE.
func sweepStale(ctx context.Context, conn *pgx.Conn, now time.Time) {
	rows, err := conn.Query(ctx, `
		SELECT d.datname FROM pg_database d
		WHERE d.datname LIKE $1
		  AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)`,
		strings.ReplaceAll(namePrefix, "_", `\_`)+"%")
	if err != nil {
		return
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return
	}
	for _, name := range names {
		if created, ok := parseName(name); ok && now.Sub(created) > staleAfter {
			_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize())
		}
	}
}

// newName returns crudgen_test_<unix seconds>_<12 hex digits>: lower case,
// 38 bytes, a valid identifier even unquoted.
func newName(now time.Time) string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24
	return namePrefix + strconv.FormatInt(now.Unix(), 10) + "_" + hex.EncodeToString(b[:])
}

// parseName reports when a database named by newName was created.
func parseName(name string) (time.Time, bool) {
	rest, ok := strings.CutPrefix(name, namePrefix)
	if !ok {
		return time.Time{}, false
	}
	secs, random, ok := strings.Cut(rest, "_")
	if !ok || len(random) != 12 || strings.ToLower(random) != random {
		return time.Time{}, false
	}
	if _, err := hex.DecodeString(random); err != nil {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(secs, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}

// databaseURL returns the server connection string with its database
// replaced by name.
func databaseURL(server, name string) (string, error) {
	if !strings.HasPrefix(server, "postgres://") && !strings.HasPrefix(server, "postgresql://") {
		// keyword/value form: a later keyword wins.
		return server + " dbname=" + name, nil
	}
	u, err := url.Parse(server)
	if err != nil {
		return "", fmt.Errorf("pgtest: %s: %w", envURL, err)
	}
	u.Path, u.RawPath = "/"+name, ""
	if q := u.Query(); q.Has("dbname") {
		q.Del("dbname")
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}

// closePool closes pool, or reports a test that still holds one of its
// connections instead of hanging: the database is dropped WITH (FORCE) later.
func closePool(tb testing.TB, pool *pgxpool.Pool) {
	done := make(chan struct{})
	go func() {
		pool.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(closeTimeout):
		tb.Errorf("pgtest: pool still has an acquired connection %s after the test (rows not closed or a connection not released)", closeTimeout)
	}
}
