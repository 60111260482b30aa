package pgtest

import (
	"context"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) { Main(m) }

var nameRE = regexp.MustCompile(`^crudgen_test_[0-9]+_[0-9a-f]{12}$`)

func TestURLIsThePackageDatabase(t *testing.T) {
	u := URL(t)
	require.Equal(t, u, URL(t), "one database per test package")
	name := dbName(t, u)
	require.Regexp(t, nameRE, name)

	conn := connect(t, u)
	defer conn.Close(context.Background())
	var current string
	require.NoError(t, conn.QueryRow(context.Background(), `SELECT current_database()`).Scan(&current))
	require.Equal(t, name, current)
}

func TestPoolSharesThePackageDatabase(t *testing.T) {
	ctx := context.Background()
	pool := Pool(t)
	_, err := pool.Exec(ctx, `CREATE TABLE pool_test (id int PRIMARY KEY); INSERT INTO pool_test VALUES (1), (2)`)
	require.NoError(t, err)

	var n int
	require.NoError(t, Pool(t).QueryRow(ctx, `SELECT count(*) FROM pool_test`).Scan(&n))
	require.Equal(t, 2, n)

	var current string
	require.NoError(t, pool.QueryRow(ctx, `SELECT current_database()`).Scan(&current))
	require.Equal(t, dbName(t, URL(t)), current)
}

func TestFreshIsEmptyAndDroppedAfterTheTest(t *testing.T) {
	ctx := context.Background()
	var name string
	var open *pgx.Conn
	t.Run("test", func(t *testing.T) {
		u := Fresh(t)
		name = dbName(t, u)
		require.Regexp(t, nameRE, name)
		require.NotEqual(t, dbName(t, URL(t)), name)
		require.True(t, exists(t, name))

		// Left open on purpose: the drop must not wait for it.
		open = connect(t, u)
		_, err := open.Exec(ctx, `CREATE TABLE fresh_test (id int)`)
		require.NoError(t, err)

		other := Fresh(t)
		require.NotEqual(t, u, other)
		conn := connect(t, other)
		defer conn.Close(ctx)
		var tables int
		require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE tablename = 'fresh_test'`).Scan(&tables))
		require.Zero(t, tables, "each Fresh database starts empty")
	})
	if name == "" {
		return // skipped
	}
	defer open.Close(ctx)
	require.False(t, exists(t, name), "Fresh database %s still exists after its test", name)
	require.Error(t, open.Ping(ctx), "connection to the dropped database was terminated")
}

func TestNames(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	seen := map[string]bool{}
	for range 1000 {
		name := newName(now)
		require.Regexp(t, nameRE, name)
		require.LessOrEqual(t, len(name), 63, "PostgreSQL truncates identifiers at 63 bytes")
		require.Equal(t, `"`+name+`"`, pgx.Identifier{name}.Sanitize())
		require.False(t, seen[name], "duplicate name %s", name)
		seen[name] = true

		created, ok := parseName(name)
		require.True(t, ok)
		require.True(t, now.Equal(created))
	}
	for _, name := range []string{
		"postgres", "crudgen_test_", "crudgen_test_abc", "crudgen_test_1_zzzzzzzzzzzz",
		"crudgen_test_1_0123456789AB", "crudgen_test_1_0123456789", "crudgen_test_-1_0123456789ab",
		"crudgen_testing_1_0123456789ab",
	} {
		_, ok := parseName(name)
		require.False(t, ok, name)
	}
}

func TestDatabaseURL(t *testing.T) {
	for _, tc := range []struct{ server, want string }{
		{defaultURL, "postgres://postgres@127.0.0.1:5432/db_1?sslmode=disable"},
		{"postgresql://u:p%40ss@h:6543?dbname=other&sslmode=require", "postgresql://u:p%40ss@h:6543/db_1?sslmode=require"},
		{"postgres://h/some%2Fdb", "postgres://h/db_1"},
		{"host=h user=u dbname=other", "host=h user=u dbname=other dbname=db_1"},
	} {
		got, err := databaseURL(tc.server, "db_1")
		require.NoError(t, err)
		require.Equal(t, tc.want, got, tc.server)
		cfg, err := pgx.ParseConfig(got)
		require.NoError(t, err)
		require.Equal(t, "db_1", cfg.Database)
	}
}

func TestSweepDropsOnlyOldUnusedLeftovers(t *testing.T) {
	ctx := context.Background()
	URL(t) // skips without a server
	conn := connect(t, serverURL())
	defer conn.Close(ctx)

	old := newName(time.Now().Add(-staleAfter - time.Hour))
	young := newName(time.Now().Add(-time.Hour))
	busy := newName(time.Now().Add(-staleAfter - time.Hour))
	for _, name := range []string{old, young, busy} {
		_, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
		require.NoError(t, err)
		t.Cleanup(func() { _ = dropDatabase(name) })
	}
	u, err := databaseURL(serverURL(), busy)
	require.NoError(t, err)
	user := connect(t, u)
	defer user.Close(ctx)

	sweepStale(ctx, conn, time.Now())
	require.False(t, exists(t, old))
	require.True(t, exists(t, young))
	require.True(t, exists(t, busy))
}

// TestUnreachableServer runs this test binary against servers that do not
// answer: tests that need a database skip, or fail under CI=true, quickly.
func TestUnreachableServer(t *testing.T) {
	refused, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	refusedAddr := refused.Addr().String()
	require.NoError(t, refused.Close())

	silent, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer silent.Close()
	go func() {
		var held []net.Conn // accepted and never answered
		defer func() {
			for _, c := range held {
				_ = c.Close()
			}
		}()
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()

	servers := map[string]string{
		"refused": "postgres://postgres@" + refusedAddr + "/postgres?sslmode=disable",
		"silent":  "postgres://postgres@" + silent.Addr().String() + "/postgres?sslmode=disable&connect_timeout=1",
	}
	for server, u := range servers {
		for _, ci := range []string{"", "true"} {
			t.Run(server+"/CI="+ci, func(t *testing.T) {
				cmd := exec.Command(os.Args[0], "-test.run=^TestChild", "-test.v", "-test.count=1")
				cmd.Env = append(withoutEnv("CI", envURL, "PGTEST_CHILD"), "PGTEST_CHILD=1", envURL+"="+u, "CI="+ci)
				start := time.Now()
				out, err := cmd.CombinedOutput()
				elapsed := time.Since(start)
				require.Contains(t, string(out), "no PostgreSQL reachable at 127.0.0.1:", "%s", out)
				if ci == "true" {
					require.Error(t, err, "%s", out)
					require.Contains(t, string(out), "--- FAIL: TestChildURL")
					require.Contains(t, string(out), "--- FAIL: TestChildFresh")
					require.Contains(t, string(out), "CI=true")
				} else {
					require.NoError(t, err, "%s", out)
					require.Contains(t, string(out), "--- SKIP: TestChildURL")
					require.Contains(t, string(out), "--- SKIP: TestChildFresh")
				}
				require.Less(t, elapsed, 10*time.Second, "unreachable server detected once, quickly")
			})
		}
	}
}

func TestChildURL(t *testing.T) {
	if os.Getenv("PGTEST_CHILD") == "" {
		t.Skip("helper of TestUnreachableServer")
	}
	Pool(t)
	t.Error("Pool returned without a reachable server")
}

func TestChildFresh(t *testing.T) {
	if os.Getenv("PGTEST_CHILD") == "" {
		t.Skip("helper of TestUnreachableServer")
	}
	Fresh(t)
	t.Error("Fresh returned without a reachable server")
}

func withoutEnv(names ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		keep := true
		for _, n := range names {
			keep = keep && k != n
		}
		if keep {
			env = append(env, kv)
		}
	}
	return env
}

func connect(t *testing.T, u string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	require.NoError(t, err)
	return conn
}

func dbName(t *testing.T, u string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(u)
	require.NoError(t, err)
	return cfg.Database
}

func exists(t *testing.T, name string) bool {
	t.Helper()
	var ok bool
	require.NoError(t, Pool(t).QueryRow(context.Background(),
		`SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&ok))
	return ok
}
