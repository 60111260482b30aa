package hooks_test

// The hooks' transactions under faults: a write whose connection is cut,
// or whose backend is terminated, before its COMMIT was rolled back, and
// the answer is a plain 503 that says so; one that breaks during its
// COMMIT may have been committed, and the answer says the outcome is
// unknown. The tables are read back directly after each case.

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/internal/e2e/hooks/api"
	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

func TestFaultHookTransactions(t *testing.T) {
	ctx := context.Background()
	pool := setup(t)
	// A project named hold… waits at COMMIT for an advisory lock the test
	// holds.
	_, err := pool.Exec(ctx, `
		CREATE FUNCTION fault_hold() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN PERFORM pg_advisory_xact_lock(7471); RETURN NULL; END $$;
		CREATE CONSTRAINT TRIGGER fault_hold AFTER INSERT ON projects DEFERRABLE INITIALLY DEFERRED
			FOR EACH ROW WHEN (NEW.name LIKE 'hold%') EXECUTE FUNCTION fault_hold()`)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, err := pool.Exec(ctx, `DROP TRIGGER fault_hold ON projects; DROP FUNCTION fault_hold()`)
		require.NoError(t, err)
	})

	const app = "hooks-fault-api"
	dbURL := pgtest.URL(t)
	cfg, err := pgx.ParseConfig(dbURL)
	require.NoError(t, err)
	proxy := pgtest.Proxy(t, net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))))
	viaProxy := apitest.Pool(t, proxy.URL(dbURL), func(c *pgxpool.Config) {
		c.MaxConns = 2
		c.ConnConfig.RuntimeParams["application_name"] = app
	})
	router := api.NewRouter(viaProxy, api.Options{Logger: slog.New(slog.DiscardHandler)})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		router.ServeHTTP(w, r.WithContext(api.WithCaller(r.Context(), "a", "")))
	}))
	t.Cleanup(srv.Close)
	rec := apitest.NewRecorder(srv.URL)

	count := func(sql string, args ...any) int {
		var n int
		require.NoError(t, pool.QueryRow(ctx, sql, args...).Scan(&n))
		return n
	}
	project := func(name string) string {
		var id int64
		require.NoError(t, pool.QueryRow(ctx, `INSERT INTO projects (tenant_id, name) VALUES ('a', $1) RETURNING id`, name).Scan(&id))
		return fmt.Sprint(id)
	}
	n := 0
	for _, fault := range []string{"cut", "terminate"} {
		for _, tc := range []struct {
			name string
			// request returns the request to send, on a fresh row
			request func(n int) (method, path string, body any)
			// block holds the request up: in its AfterCreate/AfterUpdate/
			// AfterDelete hook (audit locked) or at COMMIT (hold).
			block func(t *testing.T) (release func())
			// unknown: the answer says the outcome is unknown; applied:
			// the write is in the database afterwards.
			unknown, applied bool
			written          func(n int) bool
		}{
			{
				name: "create, in its hook",
				request: func(n int) (string, string, any) {
					return http.MethodPost, "/projects", obj{"tenant_id": "a", "name": fmt.Sprintf("p%d", n)}
				},
				block: func(t *testing.T) func() { return apitest.LockTable(t, pool, "audit") },
				written: func(n int) bool {
					return count(`SELECT count(*) FROM projects WHERE name = $1`, fmt.Sprintf("p%d", n)) > 0
				},
			},
			{
				name: "patch, in its hook",
				request: func(n int) (string, string, any) {
					return http.MethodPatch, "/projects/" + project(fmt.Sprintf("q%d", n)), obj{"name": fmt.Sprintf("patched%d", n)}
				},
				block: func(t *testing.T) func() { return apitest.LockTable(t, pool, "audit") },
				written: func(n int) bool {
					return count(`SELECT count(*) FROM projects WHERE name = $1`, fmt.Sprintf("patched%d", n)) > 0
				},
			},
			{
				name: "delete, in its hook",
				request: func(n int) (string, string, any) {
					return http.MethodDelete, "/projects/" + project(fmt.Sprintf("d%d", n)), nil
				},
				block: func(t *testing.T) func() { return apitest.LockTable(t, pool, "audit") },
				written: func(n int) bool {
					return count(`SELECT count(*) FROM projects WHERE name = $1`, fmt.Sprintf("d%d", n)) == 0
				},
			},
			{
				name: "create, at commit",
				request: func(n int) (string, string, any) {
					return http.MethodPost, "/projects", obj{"tenant_id": "a", "name": fmt.Sprintf("hold%d", n)}
				},
				block:   holdCommit(pool),
				unknown: true, applied: fault == "cut",
				written: func(n int) bool {
					return count(`SELECT count(*) FROM projects WHERE name = $1`, fmt.Sprintf("hold%d", n)) > 0
				},
			},
		} {
			t.Run(fault+" "+tc.name, func(t *testing.T) {
				n++
				method, path, body := tc.request(n)
				audited := count(`SELECT count(*) FROM audit`)
				release := tc.block(t)
				answer := make(chan apitest.Exchange, 1)
				go func() { answer <- rec.Send(method, path, body, "", 0) }()
				pid := apitest.Waiter(t, pool, app)
				if fault == "cut" {
					proxy.Cut()
				} else {
					apitest.Terminate(t, pool, pid)
				}
				x := <-answer
				release()
				proxy.Restore()

				apitest.CheckAnswers(t, []apitest.Exchange{x}, false)
				require.Equal(t, http.StatusServiceUnavailable, x.Status, "%s", &x)
				if tc.unknown {
					assert.Equal(t, runtime.TypeOutcomeUnknown, x.Type, "broken during COMMIT")
				} else {
					assert.Equal(t, "about:blank", x.Type, "broken before COMMIT: rolled back")
					assert.Equal(t, "The service is temporarily unavailable; retry later.", x.Detail)
				}
				assert.Equal(t, tc.applied, tc.written(n), "applied")
				if tc.applied {
					audited++
				}
				assert.Equal(t, audited, count(`SELECT count(*) FROM audit`), "the hook's audit row goes with the write")
				// The API recovers.
				again := rec.Send(http.MethodGet, "/projects", nil, "", 0)
				assert.Equal(t, http.StatusOK, again.Status, "%s", &again)
			})
		}
	}
}

// holdCommit returns a block that holds the advisory lock the COMMIT of a
// project named hold… waits for; its release lets the COMMIT go, then
// waits until its transaction is over.
func holdCommit(pool *pgxpool.Pool) func(t *testing.T) func() {
	return func(t *testing.T) func() {
		ctx := context.Background()
		conn, err := pool.Acquire(ctx)
		require.NoError(t, err)
		_, err = conn.Exec(ctx, `SELECT pg_advisory_lock(7471)`)
		require.NoError(t, err)
		var once sync.Once
		t.Cleanup(func() { once.Do(func() { conn.Conn().Close(ctx); conn.Release() }) })
		return func() {
			once.Do(func() {
				defer conn.Release()
				for _, sql := range []string{
					`SELECT pg_advisory_unlock(7471)`,
					`SELECT pg_advisory_lock(7471)`, // granted once the write's transaction ended
					`SELECT pg_advisory_unlock(7471)`,
				} {
					_, err := conn.Exec(ctx, sql)
					require.NoError(t, err)
				}
			})
		}
	}
}
