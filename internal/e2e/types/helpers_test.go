package types_test

// Helpers of the type tests: a database loaded with schema.sql, the
// generated router served over HTTP, a client whose every exchange is
// checked against api/openapi.json, and a reader of what PostgreSQL
// stored. Adapted from examples/blog/helpers_test.go; bodies are raw JSON
// here, so that what is sent (1e2, "\u00e9", whitespace in json values)
// is exactly what the test says.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/e2e/types/api"
	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// sessionTimeZone is the TimeZone of every connection: not UTC, and with
// a half-hour offset, so that a response that followed the session's zone
// instead of writing UTC would show.
const sessionTimeZone = "Asia/Kolkata"

// server is the running API, shared by the package's tests, and a pool
// to look at what PostgreSQL stored behind its back.
type server struct {
	*client
	db   *pgxpool.Pool
	logs *syncBuffer
}

var (
	serverOnce sync.Once
	shared     *server
	serverErr  error
)

// newServer returns the package's API over its database, loaded with
// schema.sql once. The tests write rows with keys of their own, so they
// share it.
func newServer(t *testing.T) *server {
	t.Helper()
	dbURL := pgtest.URL(t)
	serverOnce.Do(func() { shared, serverErr = start(dbURL) })
	require.NoError(t, serverErr)
	return shared
}

// start loads the schema and serves the API; the server and pools live
// until the test binary exits.
func start(dbURL string) (*server, error) {
	ctx := context.Background()
	sql, err := os.ReadFile("schema.sql")
	if err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, err
	}
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	cfg.ConnConfig.RuntimeParams["timezone"] = sessionTimeZone
	// As examples/blog/cmd/blog connects: with the runtime's codecs.
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		runtime.RegisterTypes(c.TypeMap())
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if _, err := pool.Exec(ctx, string(sql)); err != nil { // no arguments: a multi-statement string
		return nil, err
	}
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := httptest.NewServer(api.NewRouter(pool, api.Options{Logger: logger}))
	return &server{client: &client{base: srv.URL, http: srv.Client()}, db: pool, logs: logs}, nil
}

// stored returns PostgreSQL's text output of column col of the row of
// table whose key column id equals key, as the simple protocol sends it
// (each type's output function, in the session's TimeZone), and whether
// it is not NULL.
func (s *server) stored(t *testing.T, table, col, key string) (string, bool) {
	t.Helper()
	sql := "SELECT " + pgx.Identifier{col}.Sanitize() + " FROM " + pgx.Identifier{table}.Sanitize() + " WHERE id = $1"
	rows, err := s.db.Query(context.Background(), sql, pgx.QueryExecModeSimpleProtocol, key)
	require.NoError(t, err)
	defer rows.Close()
	require.True(t, rows.Next(), "%s: no row %s", table, key)
	raw := rows.RawValues()[0] // valid until the next call to Next
	text, ok := string(raw), raw != nil
	require.False(t, rows.Next())
	require.NoError(t, rows.Err())
	return text, ok
}

// exec runs SQL behind the API's back.
func (s *server) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	_, err := s.db.Exec(context.Background(), sql, args...)
	require.NoError(t, err)
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ---------------------------------------------------------------------------
// The OpenAPI document

var (
	docOnce   sync.Once
	doc       *openapi3.T
	docRouter routers.Router
	docErr    error
)

// openAPI returns api/openapi.json, loaded once, and a router over it.
func openAPI(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	docOnce.Do(func() {
		doc, docErr = openapi3.NewLoader().LoadFromFile("api/openapi.json")
		if docErr != nil {
			return
		}
		if docErr = doc.Validate(context.Background()); docErr != nil {
			return
		}
		docRouter, docErr = gorillamux.NewRouter(doc)
	})
	require.NoError(t, docErr, "load api/openapi.json")
	return doc, docRouter
}

// ---------------------------------------------------------------------------
// The client

// client talks to the served API and checks every exchange against the
// OpenAPI document.
type client struct {
	base string
	http *http.Client
}

// response is what a request got.
type response struct {
	method, path string // of the request
	Status       int
	Header       http.Header
	Raw          []byte
}

// do sends a request the document describes as valid: the request must
// conform to the document, and so must the response. body is nil (no
// body) or raw JSON.
func (c *client) do(t *testing.T, method, path, body string) *response {
	t.Helper()
	return c.exchange(t, true, method, path, body)
}

// send sends a request that need not conform to the document; the
// response must still conform.
func (c *client) send(t *testing.T, method, path, body string) *response {
	t.Helper()
	return c.exchange(t, false, method, path, body)
}

func (c *client) exchange(t *testing.T, conforming bool, method, path, body string) *response {
	t.Helper()
	newRequest := func(url string) *http.Request {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		r, err := http.NewRequest(method, url, rd)
		require.NoError(t, err)
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		return r
	}
	res, err := c.http.Do(newRequest(c.base + path))
	require.NoError(t, err, "%s %s", method, path)
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	r := &response{method: method, path: path, Status: res.StatusCode, Header: res.Header, Raw: raw}
	if len(raw) > 0 {
		require.True(t, json.Valid(raw), "%s %s: response body is not JSON: %s", method, path, raw)
	}
	checkAgainstDocument(t, conforming, newRequest(path), body, r)
	return r
}

// checkAgainstDocument validates the exchange with openapi3filter: the
// request when it is meant to conform, the response always.
func checkAgainstDocument(t *testing.T, conforming bool, req *http.Request, body string, r *response) {
	t.Helper()
	_, router := openAPI(t)
	ctx := context.Background()
	route, params, err := router.FindRoute(req)
	require.NoError(t, err, "%s %s: the document has no such operation", r.method, r.path)
	opts := &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true,
		MultiError:            true,
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if conforming {
		if body != "" {
			req.Body = io.NopCloser(strings.NewReader(body))
		}
		assert.NoError(t, openapi3filter.ValidateRequest(ctx, in),
			"%s %s: the request does not conform to the document: %s", r.method, r.path, body)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 r.Status,
		Header:                 r.Header,
		Options:                opts,
	}
	out.SetBodyBytes(r.Raw)
	assert.NoError(t, openapi3filter.ValidateResponse(ctx, out),
		"%s %s: the response does not conform to the document: %d %s", r.method, r.path, r.Status, r.Raw)
}

// ---------------------------------------------------------------------------
// Bodies and rows as raw JSON

// fields are the members of a JSON object, each value raw JSON.
type fields map[string]string

// body writes an object of the members of each set, later sets winning,
// in key order, with values exactly as given.
func body(sets ...fields) string {
	all := fields{}
	for _, s := range sets {
		for k, v := range s {
			all[k] = v
		}
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		b.WriteString(all[k])
	}
	b.WriteByte('}')
	return b.String()
}

// row requires status and a JSON object, and returns its members as raw
// JSON, exactly as the API wrote them.
func (r *response) row(t *testing.T, status int) fields {
	t.Helper()
	require.Equal(t, status, r.Status, "%s %s: %s", r.method, r.path, r.Raw)
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	return rawObject(t, r.Raw)
}

func rawObject(t *testing.T, raw []byte) fields {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(raw, &m), "not an object: %s", raw)
	out := make(fields, len(m))
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

// listed returns the item of a list response whose id is id.
func (r *response) listed(t *testing.T, id string) fields {
	t.Helper()
	page := r.row(t, http.StatusOK)
	var items []json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(page["items"]), &items))
	for _, it := range items {
		if f := rawObject(t, it); f["id"] == id {
			return f
		}
	}
	require.Failf(t, "not listed", "%s %s: no item with id %s", r.method, r.path, id)
	return nil
}

// ---------------------------------------------------------------------------
// Problems

type problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail"`
	Instance  string       `json:"instance"`
	RequestID string       `json:"request_id"`
	Errors    []fieldError `json:"errors"`
}

type fieldError struct {
	Loc     json.RawMessage `json:"loc"`
	Code    string          `json:"code"`
	Message string          `json:"message"`
}

// located is a field error's code and loc (as compact JSON).
type located struct {
	Code string
	Loc  string
}

// at is the field error code located at loc.
func at(code string, loc ...any) located {
	b, err := json.Marshal(loc)
	if err != nil {
		panic(err)
	}
	return located{Code: code, Loc: string(b)}
}

// errorsOf requires a problem with status and exactly the field errors
// want (in any order).
func (r *response) errorsOf(t *testing.T, status int, want ...located) problem {
	t.Helper()
	require.Equal(t, status, r.Status, "%s %s: %s", r.method, r.path, r.Raw)
	require.Equal(t, "application/problem+json", r.Header.Get("Content-Type"), "%s", r.Raw)
	var p problem
	dec := json.NewDecoder(bytes.NewReader(r.Raw))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&p), "problem body: %s", r.Raw)
	assert.Equal(t, status, p.Status)
	got := make([]located, len(p.Errors))
	for i, e := range p.Errors {
		var b bytes.Buffer
		require.NoError(t, json.Compact(&b, e.Loc))
		got[i] = located{Code: e.Code, Loc: b.String()}
		assert.NotEmpty(t, e.Message)
	}
	if want == nil {
		want = []located{}
	}
	assert.ElementsMatch(t, want, got, "%s %s: %s", r.method, r.path, r.Raw)
	return p
}
