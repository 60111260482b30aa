package apitest

// What fault tests share: a recorder of every exchange sent from many
// goroutines while the database fails, the checks every answer must pass,
// and the verification of writes against what the database holds.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/runtime"
)

// Exchange is a request sent while the database may fail, and its answer.
type Exchange struct {
	Method, Path string
	// Key identifies what a write writes (a unique value of its row), to
	// look for it in the database afterwards; "" for reads and for writes
	// VerifyWrites does not check.
	Key string
	// Phase is the caller's label of when the request was sent (before,
	// during or after a fault).
	Phase int
	// Status is the answer's status; 0 when no complete answer came.
	Status int
	// Type and Detail are those of a problem answer.
	Type, Detail string
	RetryAfter   string
	ContentType  string
	Body         []byte
	// Err is why no complete answer came: the request could not be sent,
	// or the answer was cut.
	Err error
	// Refused is set with Err when the connection was refused: the
	// request never reached the server.
	Refused bool
}

// Outcome is what an answer says of a write.
type Outcome int

// Outcomes of a write's answer.
const (
	Applied    Outcome = iota // 2xx
	NotApplied                // 4xx, or a 503 that is not of type runtime.TypeOutcomeUnknown
	Unknown                   // a 503 of type runtime.TypeOutcomeUnknown
	Unanswered                // no complete answer, or a 500: a failure of the test
)

// Outcome returns what the answer says of the write.
func (x *Exchange) Outcome() Outcome {
	switch {
	case x.Err != nil || x.Status == 0 || x.Status >= 500 && x.Status != http.StatusServiceUnavailable:
		return Unanswered
	case x.Status < 300:
		return Applied
	case x.Status == http.StatusServiceUnavailable && x.Type == runtime.TypeOutcomeUnknown:
		return Unknown
	}
	return NotApplied
}

func (x *Exchange) String() string {
	s := fmt.Sprintf("%s %s (phase %d): ", x.Method, x.Path, x.Phase)
	if x.Err != nil {
		return s + x.Err.Error()
	}
	return s + fmt.Sprintf("%d %s", x.Status, x.Body)
}

// Recorder sends requests from any number of goroutines and keeps every
// exchange. Its methods never fail the test: Check does, afterwards.
type Recorder struct {
	Base string
	HTTP *http.Client

	mu  sync.Mutex
	all []Exchange
}

// NewRecorder returns a recorder of requests to base, with a client that
// keeps enough connections alive for many goroutines.
func NewRecorder(base string) *Recorder {
	return &Recorder{Base: base, HTTP: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
}

// Send sends a request (body nil or a value sent as JSON, headers as
// name, value pairs), records the exchange and returns it.
func (r *Recorder) Send(method, path string, body any, key string, phase int, header ...string) Exchange {
	x := Exchange{Method: method, Path: path, Key: key, Phase: phase}
	x.Status, x.Type, x.Detail, x.RetryAfter, x.ContentType, x.Body, x.Err = r.exchange(method, path, body, header)
	var op *net.OpError
	x.Refused = x.Err != nil && errors.As(x.Err, &op) && op.Op == "dial"
	r.mu.Lock()
	r.all = append(r.all, x)
	r.mu.Unlock()
	return x
}

func (r *Recorder) exchange(method, path string, body any, header []string) (status int, typ, detail, retryAfter, ct string, raw []byte, err error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, "", "", "", "", nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, r.Base+path, rd)
	if err != nil {
		return 0, "", "", "", "", nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := r.HTTP.Do(req)
	if err != nil {
		return 0, "", "", "", "", nil, err
	}
	defer res.Body.Close()
	raw, err = io.ReadAll(res.Body)
	if err != nil {
		return 0, "", "", "", "", raw, fmt.Errorf("answer cut after %d bytes: %w", len(raw), err)
	}
	ct = res.Header.Get("Content-Type")
	if res.StatusCode >= 400 && ct == "application/problem+json" {
		var p struct{ Type, Detail string }
		if err := json.Unmarshal(raw, &p); err != nil {
			return 0, "", "", "", ct, raw, fmt.Errorf("problem is not JSON: %w", err)
		}
		typ, detail = p.Type, p.Detail
	}
	return res.StatusCode, typ, detail, res.Header.Get("Retry-After"), ct, raw, nil
}

// Exchanges returns the exchanges recorded so far.
func (r *Recorder) Exchanges() []Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Exchange(nil), r.all...)
}

// CheckAnswers requires every exchange to have a complete answer (refused
// connections excepted when refusedOK), none to be a 500, every 503 to be
// a problem with Retry-After that says nothing of the database, and every
// status to be one of allowed (2xx and 503 always are).
func CheckAnswers(t *testing.T, xs []Exchange, refusedOK bool, allowed ...int) {
	t.Helper()
	for i := range xs {
		x := &xs[i]
		if x.Err != nil {
			if !x.Refused || !refusedOK {
				assert.Fail(t, "no complete answer", "%s", x)
			}
			continue
		}
		switch {
		case x.Status >= 200 && x.Status < 300:
			if len(x.Body) > 0 {
				assert.True(t, json.Valid(x.Body), "%s: the body is not JSON", x)
			}
		case x.Status == http.StatusServiceUnavailable:
			assert.Equal(t, "application/problem+json", x.ContentType, "%s", x)
			assert.Equal(t, "1", x.RetryAfter, "%s: Retry-After", x)
			assert.Contains(t, []string{"about:blank", runtime.TypeOutcomeUnknown}, x.Type, "%s", x)
			for _, leak := range []string{"EOF", "dial", "127.0.0.1", "SQLSTATE", "pgx", "conn closed", "timeout"} {
				assert.NotContains(t, string(x.Body), leak, "%s: the 503 says too much", x)
			}
		default:
			assert.Contains(t, allowed, x.Status, "%s: unexpected status", x)
		}
	}
}

// Tally counts what came of writes.
type Tally struct {
	Requests     int // every exchange
	Writes       int // writes verified
	Acknowledged int // 2xx, each found in the database
	Failed       int // known failures, each found absent
	Unknown      int // answered as of unknown outcome
	UnknownDone  int // of those, found applied
}

func (t Tally) String() string {
	return fmt.Sprintf("%d requests; %d writes verified: %d acknowledged and present, %d failed and absent, %d of unknown outcome (%d applied, %d not)",
		t.Requests, t.Writes, t.Acknowledged, t.Failed, t.Unknown, t.UnknownDone, t.Unknown-t.UnknownDone)
}

// VerifyWrites checks every write with a Key against the keys the
// database holds: acknowledged writes are present, failed ones absent,
// and those of unknown outcome are counted, applied or not. A write with
// no complete answer must be absent: the server never got it.
func VerifyWrites(t *testing.T, xs []Exchange, present map[string]bool) Tally {
	t.Helper()
	tally := Tally{Requests: len(xs)}
	for i := range xs {
		x := &xs[i]
		if x.Key == "" {
			continue
		}
		tally.Writes++
		switch x.Outcome() {
		case Applied:
			tally.Acknowledged++
			assert.True(t, present[x.Key], "%s: acknowledged, not in the database", x)
		case NotApplied:
			tally.Failed++
			assert.False(t, present[x.Key], "%s: answered as failed, in the database", x)
		case Unknown:
			tally.Unknown++
			if present[x.Key] {
				tally.UnknownDone++
			}
		case Unanswered:
			assert.False(t, present[x.Key], "%s: no answer, yet in the database", x)
		}
	}
	return tally
}

// Keys returns the values of a query's only column (text), read through
// pool: what VerifyWrites compares writes with.
func Keys(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) map[string]bool {
	t.Helper()
	rows, err := pool.Query(context.Background(), sql, args...)
	require.NoError(t, err)
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	present := make(map[string]bool, len(keys))
	for _, k := range keys {
		present[k] = true
	}
	return present
}

// Count returns how many exchanges match.
func Count(xs []Exchange, match func(*Exchange) bool) int {
	n := 0
	for i := range xs {
		if match(&xs[i]) {
			n++
		}
	}
	return n
}

// Statuses summarizes exchanges by status ("503 unknown" for the 503s of
// unknown outcome, "error" for exchanges without an answer).
func Statuses(xs []Exchange) map[string]int {
	m := map[string]int{}
	for i := range xs {
		x := &xs[i]
		switch {
		case x.Err != nil && x.Refused:
			m["refused"]++
		case x.Err != nil:
			m["error"]++
		case x.Type == runtime.TypeOutcomeUnknown:
			m["503 unknown"]++
		default:
			m[fmt.Sprint(x.Status)]++
		}
	}
	return m
}

// HasPrefix reports whether an exchange's path starts with prefix: a
// filter for Count.
func HasPrefix(prefix string) func(*Exchange) bool {
	return func(x *Exchange) bool { return strings.HasPrefix(x.Path, prefix) }
}

// LockTable takes an ACCESS EXCLUSIVE lock on table through pool, so that
// every statement on it waits. release ends the lock, then waits until the
// statements that waited for it are over (each holds a lock on the table
// until its transaction ends). A test that ends before release ends the
// lock at its cleanup.
func LockTable(t *testing.T, pool *pgxpool.Pool, table string) (release func()) {
	t.Helper()
	ctx := context.Background()
	lock := `LOCK TABLE ` + pgx.Identifier{table}.Sanitize() + ` IN ACCESS EXCLUSIVE MODE`
	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, lock)
	require.NoError(t, err)
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { _ = tx.Rollback(ctx) }) })
	return func() {
		once.Do(func() {
			require.NoError(t, tx.Rollback(ctx))
			require.NoError(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, lock)
				return err
			}))
		})
	}
}

// Waiter returns the process ID of a backend of application app that
// waits for a lock, once one does (within 10 s).
func Waiter(t *testing.T, pool *pgxpool.Pool, app string) int {
	t.Helper()
	var pid int
	require.Eventually(t, func() bool {
		err := pool.QueryRow(context.Background(), `
			SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a USING (pid)
			WHERE NOT l.granted AND a.application_name = $1 LIMIT 1`, app).Scan(&pid)
		return err == nil
	}, 10*time.Second, 5*time.Millisecond, "no statement of %s waits for a lock", app)
	return pid
}

// Terminate ends the backend pid with pg_terminate_backend.
func Terminate(t *testing.T, pool *pgxpool.Pool, pid int) {
	t.Helper()
	var ok bool
	require.NoError(t, pool.QueryRow(context.Background(), `SELECT pg_terminate_backend($1)`, pid).Scan(&ok))
	require.True(t, ok, "backend %d not terminated", pid)
}
