package blog_test

// Faults under load: the database cut off for seconds and its backends
// terminated while many clients read and write, statements cut or
// terminated while they run, statements past the statement timeout and a
// burst of ten times the pool's connections. Every request gets a
// complete answer, never a 500; what cannot be served is a 503 with
// Retry-After; the API recovers by itself; and the database holds every
// acknowledged write and none of those answered as failed, which is
// checked by reading the tables back directly. Writes whose connection
// broke after they were sent are answered as of unknown outcome: they are
// counted, and the test logs the figures.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/examples/blog/api"
	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/pgtest"
	"github.com/crudgen/crudgen/runtime/postgres"
	"github.com/crudgen/crudgen/runtime/server"
)

// faultApp names the API's connections, so that tests find their backends.
const faultApp = "blog-fault-api"

// faulty is the blog API over a pool that reaches the database through a
// proxy the test can cut, and a pool that reaches it directly to check
// what was written.
type faulty struct {
	*blog                   // direct: fixtures and checks
	rec   *apitest.Recorder // requests to the API over the proxy
	proxy *pgtest.TCPProxy
}

func newFaulty(t *testing.T, maxConns int32) *faulty {
	t.Helper()
	b := newBlog(t) // loads the schema, empties the tables
	dbURL := pgtest.URL(t)
	cfg, err := pgx.ParseConfig(dbURL)
	require.NoError(t, err)
	proxy := pgtest.Proxy(t, net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))))
	viaProxy := serve(t, apitest.Pool(t, proxy.URL(dbURL), func(c *pgxpool.Config) {
		c.MaxConns = maxConns
		c.ConnConfig.RuntimeParams["application_name"] = faultApp
	}))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("API log:\n%s", viaProxy.logs)
		}
	})
	return &faulty{blog: b, rec: apitest.NewRecorder(viaProxy.Base), proxy: proxy}
}

// terminate ends the API's backends; it returns how many it ended.
func (f *faulty) terminate(t *testing.T) int {
	t.Helper()
	var n int
	require.NoError(t, f.pool.QueryRow(context.Background(),
		`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`, faultApp).Scan(&n))
	return n
}

// load is clients reading and writing authors until stopped: each of
// workers creates authors with unique emails and reads one author and a
// page of them, in turn.
type load struct {
	// phase is what requests record as the phase they were sent in; a
	// request holds sending for reading while it is sent and answered.
	phase    atomic.Int32
	sending  sync.RWMutex
	answered chan apitest.Exchange
	stop     chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup
}

func startLoad(f *faulty, workers int, seedID string) *load {
	l := &load{answered: make(chan apitest.Exchange, 256), stop: make(chan struct{})}
	for w := range workers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-l.stop:
					return
				default:
				}
				l.sending.RLock()
				phase := int(l.phase.Load())
				var x apitest.Exchange
				switch i % 3 {
				case 0:
					email := fmt.Sprintf("w%d-%d-p%d@load.example", w, i, phase)
					x = f.rec.Send(http.MethodPost, "/authors", obj{"email": email, "name": "Load"}, email, phase)
				case 1:
					x = f.rec.Send(http.MethodGet, "/authors/"+seedID, nil, "", phase)
				default:
					x = f.rec.Send(http.MethodGet, "/authors?limit=5", nil, "", phase)
				}
				l.sending.RUnlock()
				select {
				case l.answered <- x:
				case <-l.stop:
					return
				}
			}
		}()
	}
	return l
}

// await reads answers until until says enough, or fails the test after
// timeout.
func (l *load) await(t *testing.T, timeout time.Duration, what string, until func(x *apitest.Exchange) bool) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case x := <-l.answered:
			if until(&x) {
				return
			}
		case <-deadline:
			t.Fatalf("%s: not within %s", what, timeout)
		}
	}
}

// next starts phase once the requests of the previous one are answered,
// after change (which stops or restores the fault).
func (l *load) next(phase int, change func()) {
	l.sending.Lock()
	defer l.sending.Unlock()
	change()
	l.phase.Store(int32(phase))
}

// end stops the clients and waits for them.
func (l *load) end() {
	l.stopOnce.Do(func() { close(l.stop) })
	l.wg.Wait()
}

// writesIn counts acknowledged writes sent in phase.
func writesIn(phase, n int) func(x *apitest.Exchange) bool {
	seen := 0
	return func(x *apitest.Exchange) bool {
		if x.Phase == phase && x.Key != "" && x.Outcome() == apitest.Applied {
			seen++
		}
		return seen >= n
	}
}

// TestFaultOutageUnderLoad: the database is out of reach for more than a
// second while eight clients read and write.
func TestFaultOutageUnderLoad(t *testing.T) {
	f := newFaulty(t, 4)
	seed := idOf(t, f.author(t, "seed@load.example"))
	l := startLoad(f, 8, seed)
	defer l.end()

	l.await(t, 10*time.Second, "writes before the outage", writesIn(0, 20))
	f.proxy.Cut() // requests in flight are cut too
	l.phase.Store(1)
	outage := time.After(1500 * time.Millisecond)
	during := 0
	for over := false; !over || during < 50; {
		select {
		case x := <-l.answered:
			if x.Phase == 1 {
				during++
			}
		case <-outage:
			over = true
		}
	}
	// Every request marked as sent during the outage is answered before
	// the database is back.
	l.next(2, f.proxy.Restore)
	l.await(t, 10*time.Second, "recovery", writesIn(2, 20))
	l.end()

	xs := f.rec.Exchanges()
	apitest.CheckAnswers(t, xs, false)
	for i := range xs {
		if x := &xs[i]; x.Phase == 1 && x.Key != "" {
			assert.NotEqual(t, apitest.Applied, x.Outcome(), "%s: a write sent while the database was out of reach", x)
		}
	}
	assert.Positive(t, apitest.Count(xs, func(x *apitest.Exchange) bool { return x.Phase == 1 && x.Status == http.StatusServiceUnavailable }))
	tally := apitest.VerifyWrites(t, xs, apitest.Keys(t, f.pool, `SELECT email::text FROM authors`))
	t.Logf("outage of 1.5 s under load: %s; %d requests sent during the outage; by status %v",
		tally, apitest.Count(xs, func(x *apitest.Exchange) bool { return x.Phase == 1 }), apitest.Statuses(xs))
}

// TestFaultTerminatedUnderLoad: pg_terminate_backend ends every
// connection of the API, four times, while eight clients read and write.
func TestFaultTerminatedUnderLoad(t *testing.T) {
	f := newFaulty(t, 4)
	seed := idOf(t, f.author(t, "seed@load.example"))
	l := startLoad(f, 8, seed)
	defer l.end()

	terminated := 0
	for round := range 4 {
		l.await(t, 10*time.Second, "writes between terminations", writesIn(round, 10))
		terminated += f.terminate(t)
		l.phase.Store(int32(round + 1))
	}
	l.await(t, 10*time.Second, "recovery", writesIn(4, 20))
	l.end()

	xs := f.rec.Exchanges()
	apitest.CheckAnswers(t, xs, false)
	tally := apitest.VerifyWrites(t, xs, apitest.Keys(t, f.pool, `SELECT email::text FROM authors`))
	t.Logf("%d backends terminated in 4 rounds under load: %s; by status %v", terminated, tally, apitest.Statuses(xs))
}

// TestFaultMidStatement: each route's statement waits for a lock when its
// connection is cut or its backend terminated. Reads are plain 503s.
// Writes are 503s of unknown outcome, and rightly so: a terminated
// backend rolls the statement back, but a statement whose connection was
// cut runs once the lock is free, and commits (the server notices the cut
// only when it answers). The pool has one connection, and the same request
// on another row before each case leaves its statement prepared on it:
// the statement is executing, not being prepared, when the fault comes.
func TestFaultMidStatement(t *testing.T) {
	f := newFaulty(t, 1)
	ada := f.author(t, "ada@example.com")
	n, applied, unknown := 0, 0, 0
	for _, fault := range []string{"cut", "terminate"} {
		for _, tc := range []struct {
			name, method string
			path         func(id string) string
			body         func(slug string) any
			// state reads what the request would change: "before" or
			// "after" it (anything else fails the test).
			state func(t *testing.T, id, slug string) string
		}{
			{name: "get", method: http.MethodGet, path: func(id string) string { return "/posts/" + id }},
			{name: "list", method: http.MethodGet, path: func(string) string { return "/posts?limit=5&sort=-id" }},
			{
				name: "create", method: http.MethodPost, path: func(string) string { return "/posts" },
				body: func(slug string) any {
					return obj{"author_id": ada["id"], "title": "New", "slug": slug + "-new"}
				},
				state: func(t *testing.T, _, slug string) string {
					return map[int]string{0: "before", 1: "after"}[f.countPosts(t, slug+"-new")]
				},
			},
			{
				name: "bulk create", method: http.MethodPost, path: func(string) string { return "/posts" },
				body: func(slug string) any {
					var rows []any
					for i := range 3 {
						rows = append(rows, obj{"author_id": ada["id"], "title": "New", "slug": fmt.Sprintf("%s-bulk-%d", slug, i)})
					}
					return rows
				},
				state: func(t *testing.T, _, slug string) string {
					return map[int]string{0: "before", 3: "after"}[f.countPosts(t, slug+"-bulk-%")]
				},
			},
			{
				name: "replace", method: http.MethodPut, path: func(id string) string { return "/posts/" + id },
				body: func(slug string) any {
					return obj{"author_id": ada["id"], "title": "Replaced", "slug": slug}
				},
				state: func(t *testing.T, id, _ string) string { return states(f.titleOf(t, id), "Replaced") },
			},
			{
				name: "patch", method: http.MethodPatch, path: func(id string) string { return "/posts/" + id },
				body:  func(string) any { return obj{"title": "Patched"} },
				state: func(t *testing.T, id, _ string) string { return states(f.titleOf(t, id), "Patched") },
			},
			{
				name: "delete", method: http.MethodDelete, path: func(id string) string { return "/posts/" + id },
				state: func(t *testing.T, id, _ string) string { return states(f.titleOf(t, id), "") },
			},
		} {
			t.Run(fault+" "+tc.name, func(t *testing.T) {
				n++
				request := func(slug string) (string, any) {
					post := f.create(t, "/posts", obj{"author_id": ada["id"], "title": "Title", "slug": slug})
					var body any
					if tc.body != nil {
						body = tc.body(slug)
					}
					return tc.path(idOf(t, post)), body
				}
				warmPath, warmBody := request(fmt.Sprintf("warm-%s-%d", fault, n))
				warm := f.rec.Send(tc.method, warmPath, warmBody, "", 0)
				require.Less(t, warm.Status, 300, "%s", &warm)
				slug := fmt.Sprintf("mid-%s-%d", fault, n)
				path, body := request(slug)

				release := apitest.LockTable(t, f.pool, "posts")
				answer := make(chan apitest.Exchange, 1)
				go func() { answer <- f.rec.Send(tc.method, path, body, "", 0) }()
				pid := apitest.Waiter(t, f.pool, faultApp)
				if fault == "cut" {
					f.proxy.Cut()
				} else {
					apitest.Terminate(t, f.pool, pid)
				}
				x := <-answer
				// The statement goes on, or ended with its backend. The
				// database stays out of reach meanwhile, as pgx's cancel
				// request would in a real outage.
				release()
				f.proxy.Restore()

				apitest.CheckAnswers(t, []apitest.Exchange{x}, false)
				require.Equal(t, http.StatusServiceUnavailable, x.Status, "%s", &x)
				if tc.state == nil {
					assert.Equal(t, "about:blank", x.Type, "a read")
					return
				}
				assert.Equal(t, runtime.TypeOutcomeUnknown, x.Type, "a write once sent")
				unknown++
				state := tc.state(t, strings.TrimPrefix(path, "/posts/"), slug)
				if fault == "cut" {
					applied++
					assert.Equal(t, "after", state, "a statement whose connection was cut runs once the lock is free")
				} else {
					assert.Equal(t, "before", state, "a terminated backend rolls its statement back")
				}
				// The API recovers: the request is answered again.
				again := f.rec.Send(tc.method, path, body, "", 0)
				assert.Less(t, again.Status, 500, "%s", &again)
			})
		}
	}
	t.Logf("writes cut or terminated while their statement ran: %d, all answered as of unknown outcome; %d of them applied (cut), %d not (terminated)", unknown, applied, unknown-applied)
}

// countPosts counts the posts whose slug is like pattern.
func (f *faulty) countPosts(t *testing.T, pattern string) int {
	t.Helper()
	var n int
	require.NoError(t, f.pool.QueryRow(context.Background(), `SELECT count(*) FROM posts WHERE slug LIKE $1`, pattern).Scan(&n))
	return n
}

// titleOf returns the title of post id, "" when the row is gone.
func (f *faulty) titleOf(t *testing.T, id string) string {
	t.Helper()
	var title string
	err := f.pool.QueryRow(context.Background(), `SELECT title FROM posts WHERE id = $1`, id).Scan(&title)
	if errors.Is(err, pgx.ErrNoRows) {
		return ""
	}
	require.NoError(t, err)
	return title
}

// states says "before" for the fixtures' title, "after" for written ("":
// the row is gone).
func states(title, written string) string {
	switch title {
	case "Title":
		return "before"
	case written:
		return "after"
	}
	return "title " + title
}

// serveAsServer serves the blog API as runtime/server runs it (its pool,
// its middleware), with a pool of two connections named app and the
// settings of cfg.
func serveAsServer(t *testing.T, app string, cfg server.Config) *apitest.Recorder {
	t.Helper()
	u, err := url.Parse(pgtest.URL(t))
	require.NoError(t, err)
	q := u.Query()
	q.Set("pool_max_conns", "2")
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	cfg.Logger = slog.New(slog.DiscardHandler)
	pool, err := postgres.Pool(context.Background(), u.String(), cfg.Settings())
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	h, err := server.Wrap(api.Handler(pool, nil, cfg.Logger), pool, cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return apitest.NewRecorder(srv.URL)
}

// sleepOnSlowTags makes inserts of tags named slow-… sleep ten seconds.
func sleepOnSlowTags(t *testing.T, b *blog) {
	b.exec(t, `CREATE FUNCTION fault_sleep() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN PERFORM pg_sleep(10); RETURN NEW; END $$`)
	b.exec(t, `CREATE TRIGGER fault_sleep BEFORE INSERT ON tags FOR EACH ROW WHEN (NEW.name LIKE 'slow-%') EXECUTE FUNCTION fault_sleep()`)
	t.Cleanup(func() { b.exec(t, `DROP TRIGGER fault_sleep ON tags; DROP FUNCTION fault_sleep()`) })
}

// TestFaultPoolAndStatementTimeout: the API as runtime/server runs it,
// with a pool of two connections and a statement timeout of 500 ms, gets
// a burst of twenty requests at once, four of which run into a trigger
// that sleeps. Those four are 503s and write nothing; the others wait
// for a connection and are served.
func TestFaultPoolAndStatementTimeout(t *testing.T) {
	b := newBlog(t)
	sleepOnSlowTags(t, b)
	rec := serveAsServer(t, "blog-burst", server.Config{StatementTimeout: 500 * time.Millisecond, AcquireTimeout: 5 * time.Second})

	const burst = 20 // ten times the pool
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			switch {
			case i%5 == 0:
				name := fmt.Sprintf("slow-%d", i)
				rec.Send(http.MethodPost, "/tags", obj{"name": name}, name, 0)
			case i%5 == 1:
				rec.Send(http.MethodGet, "/tags?limit=100", nil, "", 0)
			default:
				name := fmt.Sprintf("tag-%d", i)
				rec.Send(http.MethodPost, "/tags", obj{"name": name}, name, 0)
			}
		}()
	}
	began := time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(began)

	xs := rec.Exchanges()
	apitest.CheckAnswers(t, xs, false)
	for i := range xs {
		x := &xs[i]
		switch {
		case x.Method == http.MethodGet:
			assert.Equal(t, http.StatusOK, x.Status, "%s", x)
		case strings.HasPrefix(x.Key, "slow-"):
			assert.Equal(t, http.StatusServiceUnavailable, x.Status, "%s", x)
			assert.Equal(t, "about:blank", x.Type, "a statement the server canceled did not commit: %s", x)
		default:
			assert.Equal(t, http.StatusCreated, x.Status, "%s", x)
		}
	}
	tally := apitest.VerifyWrites(t, xs, apitest.Keys(t, b.pool, `SELECT name::text FROM tags`))
	assert.Less(t, elapsed, 10*time.Second, "nobody waits for the sleeping trigger")
	after := rec.Send(http.MethodPost, "/tags", obj{"name": "after"}, "after", 1)
	assert.Equal(t, http.StatusCreated, after.Status, "%s", &after)
	t.Logf("burst of %d requests on a pool of 2 with a 500 ms statement timeout, served in %s: %s; by status %v",
		burst, elapsed.Round(time.Millisecond), tally, apitest.Statuses(xs))
}

// TestFaultPoolExhausted: both connections of the pool run writes that
// wait for a lock when twenty requests come; each waits ACQUIRE_TIMEOUT
// (100 ms) for a connection and is a 503 known to have written nothing.
// Once the lock is free, the two writes complete and requests are served.
func TestFaultPoolExhausted(t *testing.T) {
	const app = "blog-exhausted"
	b := newBlog(t)
	rec := serveAsServer(t, app, server.Config{AcquireTimeout: 100 * time.Millisecond})
	release := apitest.LockTable(t, b.pool, "tags")

	// Two writes hold the pool's connections. A 503 before the lock is
	// free is a wait for a connection that ran out (the first connections
	// may take longer than 100 ms to make): they try again.
	var holders sync.WaitGroup
	for i := range 2 {
		holders.Add(1)
		go func() {
			defer holders.Done()
			for try := 0; ; try++ {
				name := fmt.Sprintf("held-%d-%d", i, try)
				if rec.Send(http.MethodPost, "/tags", obj{"name": name}, name, 0).Status != http.StatusServiceUnavailable {
					return
				}
			}
		}()
	}
	require.Eventually(t, func() bool {
		var n int
		require.NoError(t, b.pool.QueryRow(context.Background(), `
			SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
			WHERE NOT l.granted AND a.application_name = $1`, app).Scan(&n))
		return n == 2
	}, 10*time.Second, 5*time.Millisecond, "both connections wait for the lock")

	const burst = 20 // ten times the pool
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if i%4 == 0 {
				rec.Send(http.MethodGet, "/tags", nil, "", 1)
				return
			}
			name := fmt.Sprintf("tag-%d", i)
			rec.Send(http.MethodPost, "/tags", obj{"name": name}, name, 1)
		}()
	}
	began := time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(began)
	release()
	holders.Wait()
	after := rec.Send(http.MethodPost, "/tags", obj{"name": "after"}, "after", 2)
	assert.Equal(t, http.StatusCreated, after.Status, "%s", &after)

	xs := rec.Exchanges()
	apitest.CheckAnswers(t, xs, false)
	for i := range xs {
		if x := &xs[i]; x.Phase == 1 {
			assert.Equal(t, http.StatusServiceUnavailable, x.Status, "%s", x)
			assert.Equal(t, "about:blank", x.Type, "%s: nothing was sent", x)
		}
	}
	tally := apitest.VerifyWrites(t, xs, apitest.Keys(t, b.pool, `SELECT name::text FROM tags`))
	assert.Equal(t, 3, tally.Acknowledged, "the two held writes and the one after")
	t.Logf("burst of %d requests on a pool of 2 held by writes waiting for a lock, with a 100 ms acquire timeout, answered in %s: %s; by status %v",
		burst, elapsed.Round(time.Millisecond), tally, apitest.Statuses(xs))
}

// TestFaultShutdownUnderLoad: runtime/server's Run serves the API while
// eight clients create authors; it is told to stop in the middle. Every
// request is answered in full or refused before it reaches the API, every
// acknowledged write is in the database and no refused one is, and Run
// returns without error.
func TestFaultShutdownUnderLoad(t *testing.T) {
	b := newBlog(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		cfg := server.Defaults()
		cfg.DatabaseURL, cfg.Addr, cfg.ShutdownTimeout = pgtest.URL(t), addr, 10*time.Second
		cfg.Logger = slog.New(slog.DiscardHandler)
		done <- server.Run(ctx, cfg, api.Handler)
	}()
	rec := apitest.NewRecorder("http://" + addr)
	require.Eventually(t, func() bool {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
		}
		return err == nil
	}, 10*time.Second, 10*time.Millisecond, "the server does not start")

	var acknowledged atomic.Int32
	halfway := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				email := fmt.Sprintf("w%d-%d@shutdown.example", w, i)
				x := rec.Send(http.MethodPost, "/authors", obj{"email": email, "name": "Load"}, email, 0)
				if x.Err != nil {
					return // the server is gone: refused, or closed before it read the request
				}
				if x.Outcome() == apitest.Applied && acknowledged.Add(1) == 100 {
					once.Do(func() { close(halfway) })
				}
			}
		}()
	}
	select {
	case <-halfway:
	case <-time.After(20 * time.Second):
		t.Fatal("100 writes not acknowledged within 20 s")
	}
	cancel() // SIGTERM, as server.Main sees it
	wg.Wait()
	select {
	case err := <-done:
		require.NoError(t, err, "Run")
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return")
	}

	xs := rec.Exchanges()
	for i := range xs {
		if x := &xs[i]; x.Err != nil {
			assert.NotContains(t, x.Err.Error(), "answer cut", "%s", x)
		}
	}
	apitest.CheckAnswers(t, withoutErrors(xs), false)
	tally := apitest.VerifyWrites(t, xs, apitest.Keys(t, b.pool, `SELECT email::text FROM authors`))
	assert.Zero(t, tally.Unknown)
	t.Logf("shutdown under load: %s; %d requests without an answer (refused or closed before read), none of them written; by status %v",
		tally, apitest.Count(xs, func(x *apitest.Exchange) bool { return x.Err != nil }), apitest.Statuses(xs))
}

// withoutErrors drops the exchanges that got no answer, which
// VerifyWrites checks alone.
func withoutErrors(xs []apitest.Exchange) []apitest.Exchange {
	var out []apitest.Exchange
	for _, x := range xs {
		if x.Err == nil {
			out = append(out, x)
		}
	}
	return out
}

// TestConcurrentPatchAndDelete: PATCHes, PUTs and DELETEs of one row at
// once. Each PATCH or PUT is a 200 with its own title or a 404 (the row
// was deleted first); exactly one DELETE is a 204; rounds without DELETE
// leave the row with the title of one of the 200s.
func TestConcurrentPatchAndDelete(t *testing.T) {
	b := newBlog(t)
	ada := b.author(t, "ada@example.com")
	rec := apitest.NewRecorder(b.Base)
	for round := range 16 {
		post := b.post(t, ada, fmt.Sprintf("race-%d", round))
		id := idOf(t, post)
		deletes := round % 2 // every other round has two DELETEs
		start := make(chan struct{})
		var wg sync.WaitGroup
		xs := make([]apitest.Exchange, 10)
		for i := range xs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				title := fmt.Sprintf("r%d-%d", round, i)
				switch {
				case i < 2*deletes:
					xs[i] = rec.Send(http.MethodDelete, "/posts/"+id, nil, "", round)
				case i%3 == 0:
					xs[i] = rec.Send(http.MethodPut, "/posts/"+id, obj{"author_id": ada["id"], "title": title, "slug": fmt.Sprintf("race-%d", round)}, title, round)
				default:
					xs[i] = rec.Send(http.MethodPatch, "/posts/"+id, obj{"title": title}, title, round)
				}
			}()
		}
		close(start)
		wg.Wait()

		apitest.CheckAnswers(t, xs, false, http.StatusNotFound)
		var titles []string
		deleted := 0
		for i := range xs {
			x := &xs[i]
			switch x.Method {
			case http.MethodDelete:
				require.Contains(t, []int{http.StatusNoContent, http.StatusNotFound}, x.Status, "%s", x)
				if x.Status == http.StatusNoContent {
					deleted++
				}
			default:
				require.Contains(t, []int{http.StatusOK, http.StatusNotFound}, x.Status, "%s", x)
				if x.Status == http.StatusOK {
					var row struct{ Title string }
					require.NoError(t, json.Unmarshal(x.Body, &row))
					require.Equal(t, x.Key, row.Title, "%s: answered with its own write", x)
					titles = append(titles, row.Title)
				}
			}
		}
		var title string
		err := b.pool.QueryRow(context.Background(), `SELECT title FROM posts WHERE id = $1`, id).Scan(&title)
		if deletes > 0 {
			require.Equal(t, 1, deleted, "round %d: one DELETE deletes", round)
			require.ErrorIs(t, err, pgx.ErrNoRows, "round %d: deleted", round)
			continue
		}
		require.NoError(t, err)
		require.Len(t, titles, len(xs), "round %d: every write of a row nobody deletes succeeds", round)
		require.Contains(t, titles, title, "round %d: the row holds one of the writes", round)
	}
	t.Logf("concurrent writes of one row: %d requests, by status %v", len(rec.Exchanges()), apitest.Statuses(rec.Exchanges()))
}
