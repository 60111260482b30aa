package postgres

import (
	"context"
	"errors"
	"fmt"
	"github.com/crudgen/crudgen/runtime"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/crudgen/crudgen/runtime/pgtest"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/puddle/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests of this file break the connection of a write at known points
// (while its statement waits for a lock, while its COMMIT waits in a
// deferred trigger) and check that the answer tells what is known of the
// outcome, against what the database holds afterwards.

const outcomeSchema = `
DROP TABLE IF EXISTS outcome_rows, outcome_audit;
DROP FUNCTION IF EXISTS outcome_hold();
CREATE TABLE outcome_rows (id int PRIMARY KEY, hold boolean NOT NULL DEFAULT false);
CREATE TABLE outcome_audit (id int NOT NULL);
-- A row inserted with hold waits at COMMIT for the advisory lock the test
-- holds.
CREATE FUNCTION outcome_hold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(7470);
	RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER outcome_hold AFTER INSERT ON outcome_rows
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.hold) EXECUTE FUNCTION outcome_hold();
`

// outcomeHandler serves POST /rows/{id} (?hold: wait at COMMIT; ?tx: in
// InTx, with a second statement on outcome_audit) and GET /rows/{id}.
func outcomeHandler(api *runtime.API, pool *pgxpool.Pool) http.Handler {
	r := chi.NewRouter()
	r.Use(api.Recover)
	r.Post("/rows/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.Atoi(chi.URLParam(r, "id"))
		hold := r.URL.Query().Has("hold")
		var err error
		if r.URL.Query().Has("tx") {
			err = InTx(r.Context(), pool, func(tx pgx.Tx) error {
				if _, err := tx.Exec(r.Context(), `INSERT INTO outcome_rows VALUES ($1, $2)`, id, hold); err != nil {
					return err
				}
				_, err := tx.Exec(r.Context(), `INSERT INTO outcome_audit VALUES ($1)`, id)
				return err
			})
		} else {
			_, err = pool.Exec(r.Context(), `INSERT INTO outcome_rows VALUES ($1, $2)`, id, hold)
		}
		if err != nil {
			api.Error(w, r, err, nil)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})
	r.Get("/rows/{id}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		if err := pool.QueryRow(r.Context(), `SELECT count(*) FROM outcome_rows WHERE id = $1`, chi.URLParam(r, "id")).Scan(&n); err != nil {
			api.Error(w, r, err, nil)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	return r
}

// outcomeEnv is the database of the tests, reached directly (to block and
// check) and through a proxy (by the handler).
type outcomeEnv struct {
	direct *pgxpool.Pool
	proxy  *pgtest.TCPProxy
	h      http.Handler
	next   int // the id of the next row written
}

// TestOutcomeOfWrites: a write whose connection is lost after it was sent
// is a 503 of type runtime.TypeOutcomeUnknown, and one known not to have been
// applied a plain 503; the database holds what the answers imply.
func TestOutcomeOfWrites(t *testing.T) {
	u := pgtest.URL(t)
	direct, err := pgxpool.New(context.Background(), u)
	require.NoError(t, err)
	t.Cleanup(direct.Close)
	_, err = direct.Exec(context.Background(), outcomeSchema)
	require.NoError(t, err)
	env := &outcomeEnv{direct: direct}
	// The default mode, and the simple protocol (PgBouncer), where pgx
	// reports a connection lost while reading an answer as "conn closed".
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeSimpleProtocol} {
		t.Run(mode.String(), func(t *testing.T) { testOutcomeOfWrites(t, u, env, mode) })
	}
}

func testOutcomeOfWrites(t *testing.T, u string, env *outcomeEnv, mode pgx.QueryExecMode) {
	// One connection, which the write before each case leaves with its
	// statements prepared: the statement of the case is executing, not
	// being prepared, when the fault comes.
	pool, proxy := proxiedPool(t, u, 1, func(c *pgxpool.Config) { c.ConnConfig.DefaultQueryExecMode = mode })
	api, logs := testAPI()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("API log:\n%s", logs)
		}
	})
	env.proxy, env.h = proxy, outcomeHandler(api, pool)

	for _, tc := range []struct {
		name    string
		query   string // of the POST
		block   func(t *testing.T, env *outcomeEnv) (release func())
		fault   func(t *testing.T, env *outcomeEnv, pid int)
		unknown bool // the answer says the outcome is unknown
		applied bool // the row is in the database afterwards
	}{
		// A statement outside a transaction block commits as it ends:
		// once sent, it may complete after the connection is gone.
		{name: "statement waiting for a lock, connection cut", block: lockTable("outcome_rows"), fault: cut, unknown: true, applied: true},
		{name: "statement waiting for a lock, backend terminated", block: lockTable("outcome_rows"), fault: terminate, unknown: true, applied: false},
		{name: "statement waiting at commit, connection cut", query: "?hold", block: holdCommit, fault: cut, unknown: true, applied: true},
		{name: "statement waiting at commit, backend terminated", query: "?hold", block: holdCommit, fault: terminate, unknown: true, applied: false},
		// runtime.In a transaction, a failure before COMMIT is a rollback.
		{name: "transaction waiting before commit, connection cut", query: "?tx", block: lockTable("outcome_audit"), fault: cut, applied: false},
		{name: "transaction waiting before commit, backend terminated", query: "?tx", block: lockTable("outcome_audit"), fault: terminate, applied: false},
		{name: "transaction waiting at commit, connection cut", query: "?tx&hold", block: holdCommit, fault: cut, unknown: true, applied: true},
		{name: "transaction waiting at commit, backend terminated", query: "?tx&hold", block: holdCommit, fault: terminate, unknown: true, applied: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env.next++
			warm := serve(env.h, http.MethodPost, fmt.Sprintf("/rows/%d?tx", -env.next))
			require.Equal(t, http.StatusCreated, warm.Code, warm.Body.String())
			id := env.next
			release := tc.block(t, env)
			answer := make(chan *httptest.ResponseRecorder, 1)
			go func() { answer <- serve(env.h, http.MethodPost, fmt.Sprintf("/rows/%d%s", id, tc.query)) }()
			pid := waiter(t, env.direct)
			tc.fault(t, env, pid)
			rec := <-answer
			// pgx sends a cancel request when the connection breaks: the
			// database stays out of reach until the statement is over, as
			// the cancel request of a real outage would.
			release()
			env.proxy.Restore()

			requireOutage(t, rec, tc.unknown)
			assert.Equal(t, tc.applied, exists(t, env.direct, id), "applied")
			// The pool recovers by itself.
			require.Equal(t, http.StatusOK, serve(env.h, http.MethodGet, fmt.Sprintf("/rows/%d", id)).Code)
		})
	}

	if mode != pgx.QueryExecModeCacheStatement {
		return
	}
	t.Run("read, connection cut", func(t *testing.T) {
		release := lockTable("outcome_rows")(t, env)
		answer := make(chan *httptest.ResponseRecorder, 1)
		go func() { answer <- serve(env.h, http.MethodGet, "/rows/1") }()
		waiter(t, env.direct)
		env.proxy.Cut()
		rec := <-answer
		release()
		env.proxy.Restore()
		requireOutage(t, rec, false) // a read has no outcome to doubt
	})
	t.Run("no connection to send the write on", func(t *testing.T) {
		env.next++
		env.proxy.Cut()
		rec := serve(env.h, http.MethodPost, fmt.Sprintf("/rows/%d", env.next))
		env.proxy.Restore()
		requireOutage(t, rec, false)
		assert.False(t, exists(t, env.direct, env.next))
	})
	t.Run("statement timeout", func(t *testing.T) {
		env.next++
		release := lockTable("outcome_rows")(t, env)
		defer release()
		timeout := serverTimeout(t, u)
		requireOutage(t, serve(timeout, http.MethodPost, fmt.Sprintf("/rows/%d", env.next)), false)
		release()
		assert.False(t, exists(t, env.direct, env.next))
	})
}

// serverTimeout is the handler over a pool whose sessions have a
// statement_timeout of 100 ms.
func serverTimeout(t *testing.T, u string) http.Handler {
	cfg, err := pgxpool.ParseConfig(u)
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = "100"
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	api, _ := testAPI()
	return outcomeHandler(api, pool)
}

// requireOutage checks the answer of a request the database could not serve:
// a 503 with Retry-After, of type runtime.TypeOutcomeUnknown for a write that may
// have been applied.
func requireOutage(t *testing.T, rec *httptest.ResponseRecorder, unknown bool) {
	t.Helper()
	require.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
	require.Equal(t, "1", rec.Header().Get("Retry-After"))
	body := problemBody(t, rec)
	if unknown {
		assert.Equal(t, runtime.TypeOutcomeUnknown, body["type"])
		assert.Equal(t, "Outcome Unknown", body["title"])
		assert.Contains(t, body["detail"], "may or may not have been applied")
	} else {
		assert.Equal(t, "about:blank", body["type"])
		assert.Equal(t, "The service is temporarily unavailable; retry later.", body["detail"])
	}
}

// lockTable returns a block that holds an ACCESS EXCLUSIVE lock on table.
// Its release ends the lock, then waits until the statements that waited
// for it are over (they hold a lock on the table until then).
func lockTable(table string) func(t *testing.T, env *outcomeEnv) func() {
	return func(t *testing.T, env *outcomeEnv) func() {
		ctx := context.Background()
		lock := `LOCK TABLE ` + table + ` IN ACCESS EXCLUSIVE MODE`
		tx, err := env.direct.Begin(ctx)
		require.NoError(t, err)
		_, err = tx.Exec(ctx, lock)
		require.NoError(t, err)
		var done bool
		return func() {
			if done {
				return
			}
			done = true
			require.NoError(t, tx.Rollback(ctx))
			require.NoError(t, pgx.BeginFunc(ctx, env.direct, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, lock)
				return err
			}))
		}
	}
}

// holdCommit is a block that holds the advisory lock rows inserted with
// hold wait for at COMMIT. Its release lets them go, then waits until
// their transaction is over.
func holdCommit(t *testing.T, env *outcomeEnv) func() {
	ctx := context.Background()
	conn, err := env.direct.Acquire(ctx)
	require.NoError(t, err)
	_, err = conn.Exec(ctx, `SELECT pg_advisory_lock(7470)`)
	require.NoError(t, err)
	return func() {
		defer conn.Release()
		_, err := conn.Exec(ctx, `SELECT pg_advisory_unlock(7470)`)
		require.NoError(t, err)
		_, err = conn.Exec(ctx, `SELECT pg_advisory_lock(7470)`) // granted once the write's transaction ended
		require.NoError(t, err)
		_, err = conn.Exec(ctx, `SELECT pg_advisory_unlock(7470)`)
		require.NoError(t, err)
	}
}

// waiter returns the process ID of the backend waiting for a lock in the
// database, once there is one.
func waiter(t *testing.T, direct *pgxpool.Pool) int {
	t.Helper()
	var pid int
	require.Eventually(t, func() bool {
		err := direct.QueryRow(context.Background(), `
			SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a USING (pid)
			WHERE NOT l.granted AND a.datname = current_database() LIMIT 1`).Scan(&pid)
		if errors.Is(err, pgx.ErrNoRows) {
			return false
		}
		require.NoError(t, err)
		return true
	}, 10*time.Second, 5*time.Millisecond, "no statement waits for the lock")
	return pid
}

func cut(_ *testing.T, env *outcomeEnv, _ int) { env.proxy.Cut() }

func terminate(t *testing.T, env *outcomeEnv, pid int) {
	var ok bool
	require.NoError(t, env.direct.QueryRow(context.Background(), `SELECT pg_terminate_backend($1)`, pid).Scan(&ok))
	require.True(t, ok)
}

func exists(t *testing.T, direct *pgxpool.Pool, id int) bool {
	t.Helper()
	var ok bool
	require.NoError(t, direct.QueryRow(context.Background(), `SELECT EXISTS (SELECT FROM outcome_rows WHERE id = $1)`, id).Scan(&ok))
	return ok
}

// TestOutcomeUnknownErrors: which errors leave a write's outcome unknown.
func TestOutcomeUnknownErrors(t *testing.T) {
	fatal := &pgconn.PgError{Severity: "FATAL", SeverityUnlocalized: "FATAL", Code: "57P01"}
	for _, tc := range []struct {
		name    string
		err     error
		unknown bool
	}{
		{"nil", nil, false},
		{"end of file after sending", fmt.Errorf("create: %w", io.ErrUnexpectedEOF), true},
		{"session ended by the server", fmt.Errorf("create: %w", fatal), true},
		{"session ended, localized severity", &pgconn.PgError{Severity: "FATAL", Code: "57P02"}, true},
		{"statement failed", &pgconn.PgError{Severity: "ERROR", SeverityUnlocalized: "ERROR", Code: "57014"}, false},
		{"no connection", &pgconn.ConnectError{}, false},
		{"pool closed", puddle.ErrClosedPool, false},
		{"no connection in time", context.DeadlineExceeded, false},
		{"before commit, in InTx", runtime.NotCommitted(io.ErrUnexpectedEOF), false},
		{"before commit, in InTx, session ended", fmt.Errorf("hook: %w", runtime.NotCommitted(fatal)), false},
		{"connection closed while reading the answer", fmt.Errorf("commit: %w", pgconn.ErrConnClosed), true},
		{"not about the connection", errors.New("bug"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.unknown, runtime.OutcomeUnknown(tc.err))
		})
	}
}
