package corpus

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/crudgen/crudgen/generator/source"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

// NeedPsql skips the test when psql is missing, or fails it when CI=true.
func NeedPsql(tb testing.TB) {
	tb.Helper()
	needCommand(tb, "psql")
}

// Psql runs sql (from stdin) in a new psql session on the database at url
// and returns its unaligned, tuples-only output and its messages.
func Psql(url, sql string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command("psql", append([]string{"-X", "-q", "-At", "-d", url, "-f", "-"}, args...)...) // #nosec G204 -- psql on a test database, reading SQL from stdin
	cmd.Stdin = strings.NewReader(sql)
	var out, msgs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &msgs
	err = cmd.Run()
	return out.String(), msgs.String(), err
}

// Load applies the entry to the database at url; see LoadSQL.
func (e *Entry) Load(tb testing.TB, url string, stop bool) ([]string, error) {
	tb.Helper()
	files, err := e.Sources()
	if err != nil {
		return nil, err
	}
	for _, ext := range e.Extensions {
		out, stderr, err := Psql(url, "SELECT count(*) FROM pg_available_extensions WHERE name = '"+ext+"'")
		if err != nil {
			return nil, fmt.Errorf("psql: %v\n%s", err, stderr)
		}
		if strings.TrimSpace(out) == "0" {
			if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
				tb.Fatalf("CI=true and %s needs extension %s, which the server lacks (.ci/run installs it)", e.Name, ext)
			}
			tb.Skipf("%s needs extension %s, which the server lacks", e.Name, ext)
		}
	}
	return LoadSQL(tb, url, files, e.Vars, e.Roles, stop)
}

// LoadSQL applies files to the database at url as the corpus README does:
// one psql session per file, with the psql variables vars (DBNAME and
// PGUSER, when present, name the session's database and role). roles are
// cluster-wide roles the SQL creates: they are dropped before loading and
// when the test ends. With stop, the first failing file ends the load with
// an error; without, the ERROR lines of every file are returned.
func LoadSQL(tb testing.TB, url string, files []source.File, vars map[string]string, roles []string, stop bool) ([]string, error) {
	tb.Helper()
	session, stderr, err := Psql(url, "SELECT current_database(), current_user", "-F", " ")
	if err != nil {
		return nil, fmt.Errorf("psql: %v\n%s", err, stderr)
	}
	dbname, user, _ := strings.Cut(strings.TrimSpace(session), " ")
	args := []string{}
	if stop {
		args = append(args, "-v", "ON_ERROR_STOP=1")
	}
	for k, v := range vars {
		switch k {
		case "DBNAME":
			v = dbname
		case "PGUSER":
			v = user
		}
		args = append(args, "-v", k+"="+v)
	}
	if len(roles) > 0 {
		if err := lockRoles(tb); err != nil {
			return nil, err
		}
		if _, stderr, err := Psql(url, dropRoles(roles), "-v", "ON_ERROR_STOP=1"); err != nil {
			return nil, fmt.Errorf("dropping roles left over from an earlier run: %v\n%s", err, stderr)
		}
		// Registered after the database's own cleanup, so it runs first.
		tb.Cleanup(func() {
			if _, stderr, err := Psql(url, dropRoles(roles), "-v", "ON_ERROR_STOP=1"); err != nil {
				tb.Errorf("dropping roles: %v\n%s", err, stderr)
			}
		})
	}
	var errs []string
	for _, f := range files {
		_, stderr, err := Psql(url, f.Text, args...)
		if err != nil {
			return nil, fmt.Errorf("psql %s: %v\n%s", f.Name, err, stderr)
		}
		for _, line := range strings.Split(stderr, "\n") {
			if strings.Contains(line, "ERROR:") {
				// psql:<stdin>:LINE: ERROR:  ...
				errs = append(errs, filepath.Base(f.Name)+":"+strings.TrimPrefix(line, "psql:<stdin>:"))
			}
		}
	}
	return errs, nil
}

// rolesLock is the advisory lock that gives one test at a time, across
// test processes, the cluster-wide roles corpus entries create and drop
// (two PostgREST schemas drop and recreate postgrest_test_anonymous).
const rolesLock = 0x63727564_67656e // "crudgen"

// lockRoles waits for the roles lock and holds it until tb ends, after the
// roles are dropped (cleanups run last registered first).
func lockRoles(tb testing.TB) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.ServerURL())
	if err != nil {
		return fmt.Errorf("locking the corpus roles: %w", err)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(rolesLock)); err != nil {
		_ = conn.Close(ctx)
		return fmt.Errorf("locking the corpus roles: %w", err)
	}
	tb.Cleanup(func() { _ = conn.Close(ctx) }) // closing the session releases the lock
	return nil
}

// dropRoles drops the roles that exist, with what they own and their
// privileges in the current database.
func dropRoles(roles []string) string {
	quoted := make([]string, len(roles))
	for i, r := range roles {
		quoted[i] = "'" + r + "'"
	}
	return `DO $$
DECLARE r text;
BEGIN
  FOR r IN SELECT rolname FROM pg_roles WHERE rolname IN (` + strings.Join(quoted, ", ") + `) LOOP
    EXECUTE format('DROP OWNED BY %I', r);
    EXECUTE format('DROP ROLE %I', r);
  END LOOP;
END $$;`
}
