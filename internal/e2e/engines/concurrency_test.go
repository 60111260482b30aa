package engines_test

// Writers under load, and a database file another process locks: the
// generated SQLite API inside runtime/server's middleware answers every
// write with its outcome (201 or 200 when it was applied, 503 with
// Retry-After when it was not), and every write it acknowledged is there
// afterwards with the values written.

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/internal/corpus"
	liteapi "github.com/crudgen/crudgen/internal/e2e/engines/sqlite/api"
	"github.com/crudgen/crudgen/runtime/server"
	"github.com/crudgen/crudgen/runtime/sqlite"
)

// TestConcurrentWriters: 16 clients create and patch authors and posts
// for 10 s (1 s with -short) through the whole server stack. No answer is
// a 5xx, and every row acknowledged holds, afterwards, what its create and
// its acknowledged patches wrote; no row is there that was not
// acknowledged. Nothing is asserted about speed: on a busy machine the
// clients make fewer requests, not different ones.
func TestConcurrentWriters(t *testing.T) {
	const clients = 16
	duration := 10 * time.Second
	if testing.Short() {
		duration = time.Second
	}
	c := stack(t, "sqlite:"+filepath.Join(t.TempDir(), "lite.db"), false)
	ledgers := make([]*ledger, clients)
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for i := range clients {
		ledgers[i] = newLedger()
		wg.Go(func() { writeMixed(t, c, ledgers[i], i, deadline) })
	}
	wg.Wait()

	all := mergeLedgers(ledgers)
	var requests int
	for _, n := range all.statuses {
		requests += n
	}
	for status, n := range all.statuses {
		assert.Less(t, status, 500, "%d answers were %d", n, status)
	}
	authors, posts := c.listAll(t, "/authors"), c.listAll(t, "/posts")
	all.verify(t, "/authors", authors)
	all.verify(t, "/posts", posts)
	t.Logf("%d clients for %s: %d writes (%.0f/s), answers %v; rows verified: %d authors, %d posts",
		clients, duration, requests, float64(requests)/duration.Seconds(), all.statuses, len(authors), len(posts))
}

// writeMixed is one client of TestConcurrentWriters: until deadline, it
// creates authors and posts of its own authors, and patches its own rows,
// so that the last write it was told of is what each row must hold.
func writeMixed(t *testing.T, c *caller, l *ledger, client int, deadline time.Time) {
	rng := rand.New(rand.NewPCG(uint64(client), 1)) // #nosec G115 G404 -- a test's reproducible choices
	for n := 0; time.Now().Before(deadline); n++ {
		authors, posts := l.paths["/authors"], l.paths["/posts"]
		var method, path string
		var body apitest.Obj
		switch p := rng.IntN(10); {
		case len(authors) == 0 || p < 2:
			method, path, body = http.MethodPost, "/authors", authorValues(client, n)
			body["email"] = fmt.Sprintf("c%d-%d@example.com", client, n)
		case len(posts) == 0 || p < 5:
			method, path, body = http.MethodPost, "/posts", postValues(client, n)
			id := strings.TrimPrefix(authors[rng.IntN(len(authors))], "/authors/")
			body["author_id"], _ = strconv.Atoi(id)
			body["uid"] = fmt.Sprintf("00000000-0000-4000-8000-%04d%08d", client, n)
		case p < 8:
			method, path, body = http.MethodPatch, posts[rng.IntN(len(posts))], postValues(client, n)
		default:
			method, path, body = http.MethodPatch, authors[rng.IntN(len(authors))], authorValues(client, n)
		}
		a, err := c.send(method, path, body)
		if err != nil {
			t.Errorf("%s %s: %v", method, path, err)
			return
		}
		l.statuses[a.status]++
		switch {
		case method == http.MethodPost && a.status == http.StatusCreated:
			l.created(path, a.location, body)
		case method == http.MethodPatch && a.status == http.StatusOK:
			l.patched(path, body)
		default:
			t.Errorf("%s %s %v: %d %s", method, path, body, a.status, a.body)
		}
	}
}

// authorValues and postValues are the writable fields of a row, as a
// create or a patch sends them, different at every step n.
func authorValues(client, n int) apitest.Obj {
	v := apitest.Obj{"name": fmt.Sprintf("writer %d step %d", client, n), "age": n % 90, "bio": nil}
	if n%3 != 0 {
		v["bio"] = fmt.Sprintf("bio %d/%d", client, n)
	}
	return v
}

func postValues(client, n int) apitest.Obj {
	return apitest.Obj{
		"title":     fmt.Sprintf("post of %d at %d", client, n),
		"status":    []string{"draft", "published"}[n%2],
		"rating":    float64(n%11) / 2,
		"price":     fmt.Sprintf("%d.%d5", n%1000, n%10), // no trailing zero: SQLite keeps 12.50 as 12.5
		"published": n%2 == 1,
		"meta":      apitest.Obj{"client": client, "n": n},
	}
}

// TestLockedByAnotherProcess: while another connection or the sqlite3
// shell holds the database's write lock for ten times the busy timeout,
// writes are 503s with Retry-After (never 500) and were not applied, reads
// go on, and once the lock is released every write succeeds again; what
// was acknowledged is there, and nothing else.
func TestLockedByAnotherProcess(t *testing.T) {
	t.Run("connection BEGIN IMMEDIATE", func(t *testing.T) { lockedWrites(t, lockWithConnection) })
	t.Run("sqlite3 shell BEGIN EXCLUSIVE", func(t *testing.T) {
		corpus.NeedSqlite3(t)
		lockedWrites(t, lockWithShell)
	})
}

// The timings of TestLockedByAnotherProcess.
const (
	busyTimeout = 100 * time.Millisecond
	lockHeld    = 10 * busyTimeout
	// afterRelease is how many writes each client makes once the lock is
	// released, each of which must succeed.
	afterRelease = 5
)

// lockedWrites runs 4 clients that create and patch authors while lock
// takes the database file's write lock for lockHeld and then releases it.
func lockedWrites(t *testing.T, lock func(t *testing.T, path string) (release func())) {
	const clients = 4
	path := filepath.Join(t.TempDir(), "lite.db")
	c := stack(t, fmt.Sprintf("sqlite:%s?_pragma=busy_timeout(%d)", path, busyTimeout.Milliseconds()), true)
	var phase atomic.Int32 // of the lock: 0 before, 1 held, 2 released
	ledgers := make([]*ledger, clients)
	var wg sync.WaitGroup
	for i := range clients {
		ledgers[i] = newLedger()
		wg.Go(func() { writeWhileLocked(t, c, ledgers[i], i, &phase) })
	}
	time.Sleep(2 * busyTimeout) // writes succeed before the lock
	release := lock(t, path)
	phase.Store(1)
	time.Sleep(lockHeld)
	release()
	phase.Store(2)
	wg.Wait()

	all := mergeLedgers(ledgers)
	assert.Positive(t, all.statuses[http.StatusServiceUnavailable], "no write waited out the lock")
	for status, n := range all.statuses {
		assert.Contains(t, []int{http.StatusOK, http.StatusCreated, http.StatusServiceUnavailable}, status, "%d answers were %d", n, status)
	}
	authors := c.listAll(t, "/authors")
	all.verify(t, "/authors", authors)
	t.Logf("lock held %s, busy timeout %s: writes by phase (before, locked, after) %v; answers %v; %d reads while 503s; %d authors verified",
		lockHeld, busyTimeout, all.phases, all.statuses, all.reads, len(authors))
}

// writeWhileLocked is one client of lockedWrites: it creates and patches
// authors until it has made afterRelease writes after the lock's release.
// After each 503 it reads what the write would have changed, to see that
// it did not.
func writeWhileLocked(t *testing.T, c *caller, l *ledger, client int, phase *atomic.Int32) {
	rng := rand.New(rand.NewPCG(uint64(client), 2)) // #nosec G115 G404 -- a test's reproducible choices
	for n, after := 0, 0; after < afterRelease; n++ {
		started := phase.Load()
		l.phases[started]++
		authors := l.paths["/authors"]
		method, path, body := http.MethodPost, "/authors", authorValues(client, n)
		email := fmt.Sprintf("c%d-%d@example.com", client, n)
		if len(authors) > 0 && rng.IntN(2) == 0 {
			method, path = http.MethodPatch, authors[rng.IntN(len(authors))]
		} else {
			body["email"] = email
		}
		a, err := c.send(method, path, body)
		if err != nil {
			t.Errorf("%s %s: %v", method, path, err)
			return
		}
		l.statuses[a.status]++
		switch {
		case method == http.MethodPost && a.status == http.StatusCreated:
			l.created(path, a.location, body)
		case method == http.MethodPatch && a.status == http.StatusOK:
			l.patched(path, body)
		case a.status == http.StatusServiceUnavailable:
			if secs, err := strconv.Atoi(a.retryAfter); err != nil || secs < 1 {
				t.Errorf("%s %s: 503 with Retry-After %q", method, path, a.retryAfter)
			}
			if started == 2 {
				t.Errorf("%s %s started after the lock's release: 503 %s", method, path, a.body)
			}
			l.reads++
			if method == http.MethodPost {
				page := c.get(t, "/authors?email="+url.QueryEscape(email))
				if items := page["items"].([]any); len(items) != 0 {
					t.Errorf("POST /authors answered 503, yet %s was written: %v", email, items)
				}
			} else {
				l.check(t, path, c.get(t, path))
			}
		default:
			t.Errorf("%s %s %v: %d %s", method, path, body, a.status, a.body)
		}
		if started == 2 {
			after++
		}
	}
}

// lockWithConnection takes the write lock with BEGIN IMMEDIATE on a
// connection of its own, as another program on database/sql would.
func lockWithConnection(t *testing.T, path string) func() {
	ctx := context.Background()
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	require.NoError(t, err)
	t.Cleanup(func() { _ = other.Close() })
	conn, err := other.Conn(ctx)
	require.NoError(t, err)
	_, err = conn.ExecContext(ctx, "BEGIN IMMEDIATE")
	require.NoError(t, err)
	return func() {
		_, err := conn.ExecContext(ctx, "ROLLBACK")
		require.NoError(t, err)
		require.NoError(t, conn.Close())
	}
}

// lockWithShell takes the write lock with BEGIN EXCLUSIVE in Debian's
// sqlite3 shell, another process; release commits and ends it.
func lockWithShell(t *testing.T, path string) func() {
	cmd := exec.Command("sqlite3", "-bail", path) // #nosec G204 -- the sqlite3 shell on the test's database file
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		if cmd.ProcessState == nil { // the test failed before release
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	lines := bufio.NewScanner(stdout)
	// run sends statements and waits for the shell to have run them.
	run := func(statements, done string) {
		_, err := fmt.Fprintf(stdin, "%s\nSELECT '%s';\n", statements, done)
		require.NoError(t, err)
		require.True(t, lines.Scan(), "sqlite3: %s", &stderr)
		require.Equal(t, done, lines.Text())
	}
	run(".timeout 5000\nBEGIN EXCLUSIVE;", "locked")
	return func() {
		run("COMMIT;", "released")
		require.NoError(t, stdin.Close())
		require.NoError(t, cmd.Wait(), "sqlite3: %s", &stderr)
	}
}

// caller sends requests to the API stack serves.
type caller struct {
	base string
	http *http.Client
}

// stack serves the generated API on the database at dbURL as a server
// does: opened with the server's default settings (a 5 s wait at most for
// the writer) inside runtime/server's middleware. With checked, every
// exchange is checked against the OpenAPI document too.
func stack(t *testing.T, dbURL string, checked bool) *caller {
	t.Helper()
	cfg := server.Defaults()
	cfg.Logger = slog.New(slog.DiscardHandler)
	db, err := sqlite.Open(context.Background(), dbURL, cfg.Settings())
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	h, err := server.Wrap(liteapi.Handler(db, nil, cfg.Logger), db, cfg)
	require.NoError(t, err)
	if checked {
		h = apitest.Checked(t, "sqlite/api/openapi.json", h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	// Uncompressed, so that the checks read the bodies; one connection
	// kept per client.
	transport := &http.Transport{MaxIdleConnsPerHost: 32, DisableCompression: true}
	t.Cleanup(transport.CloseIdleConnections)
	return &caller{base: srv.URL, http: &http.Client{Transport: transport, Timeout: time.Minute}}
}

// answer is what a request got.
type answer struct {
	status               int
	location, retryAfter string
	body                 []byte
}

func (c *caller) send(method, path string, body any) (answer, error) {
	var payload io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return answer{}, err
		}
		payload = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, payload)
	if err != nil {
		return answer{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req) // #nosec G704 -- a test's request to the API under test
	if err != nil {
		return answer{}, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	return answer{status: res.StatusCode, location: res.Header.Get("Location"), retryAfter: res.Header.Get("Retry-After"), body: raw}, err
}

// get reads the JSON object at path, which must answer 200.
func (c *caller) get(t *testing.T, path string) map[string]any {
	a, err := c.send(http.MethodGet, path, nil)
	if err != nil || a.status != http.StatusOK {
		t.Errorf("GET %s: %d %s %v", path, a.status, a.body, err)
		return map[string]any{"items": []any{}}
	}
	var v map[string]any
	if err := json.Unmarshal(a.body, &v); err != nil {
		t.Errorf("GET %s: %v", path, err)
	}
	return v
}

// listAll reads every row of a collection through the API, 1,000 at a
// time, by path (/authors/1).
func (c *caller) listAll(t *testing.T, collection string) map[string]map[string]any {
	t.Helper()
	rows := map[string]map[string]any{}
	for query := "?limit=1000"; ; {
		page := c.get(t, collection+query)
		for _, item := range page["items"].([]any) {
			row := item.(map[string]any)
			rows[fmt.Sprintf("%s/%d", collection, int64(row["id"].(float64)))] = row
		}
		next, _ := page["next_cursor"].(string)
		if next == "" {
			return rows
		}
		query = "?limit=1000&cursor=" + url.QueryEscape(next)
	}
}

// ledger is what clients were told: the rows they created, each with the
// values it must hold (its create's, then each acknowledged patch's), and
// how their requests were answered.
type ledger struct {
	rows     map[string]map[string]any // by path: field → JSON value
	paths    map[string][]string       // by collection, in order of creation
	statuses map[int]int
	phases   [3]int // writes started before, during and after a lock
	reads    int    // after 503s, to see that nothing was written
}

func newLedger() *ledger {
	return &ledger{rows: map[string]map[string]any{}, paths: map[string][]string{}, statuses: map[int]int{}}
}

func (l *ledger) created(collection, location string, sent apitest.Obj) {
	l.rows[location] = asJSON(sent)
	l.paths[collection] = append(l.paths[collection], location)
}

func (l *ledger) patched(path string, sent apitest.Obj) {
	maps.Copy(l.rows[path], asJSON(sent))
}

// asJSON is v as the API's JSON reads back: numbers are float64.
func asJSON(v apitest.Obj) map[string]any {
	b, _ := json.Marshal(v)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

// check compares the row at path, as the API read it, with what the
// ledger holds for it.
func (l *ledger) check(t *testing.T, path string, got map[string]any) bool {
	for _, field := range slices.Sorted(maps.Keys(l.rows[path])) {
		if want := l.rows[path][field]; !assert.Equal(t, want, got[field], "%s: %s", path, field) {
			return false
		}
	}
	return true
}

// mergeLedgers adds up the clients' ledgers.
func mergeLedgers(ls []*ledger) *ledger {
	all := newLedger()
	for _, l := range ls {
		maps.Copy(all.rows, l.rows)
		for collection, paths := range l.paths {
			all.paths[collection] = append(all.paths[collection], paths...)
		}
		for status, n := range l.statuses {
			all.statuses[status] += n
		}
		for i, n := range l.phases {
			all.phases[i] += n
		}
		all.reads += l.reads
	}
	return all
}

// verify requires the rows of collection, as listed, to be exactly those
// the ledger holds, with its values.
func (l *ledger) verify(t *testing.T, collection string, listed map[string]map[string]any) {
	t.Helper()
	acknowledged := l.paths[collection]
	var missing []string
	for _, path := range acknowledged {
		row, ok := listed[path]
		if !ok {
			missing = append(missing, path)
			continue
		}
		if !l.check(t, path, row) {
			return // one row's difference says enough
		}
	}
	assert.Empty(t, missing, "acknowledged, then lost")
	assert.Len(t, listed, len(acknowledged), "rows in %s besides those acknowledged", collection)
}
