package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
)

// TxDB is a generated API's DBTX that runs every statement in Tx, which
// Fuzzer replaces for each input.
type TxDB struct{ pgx.Tx }

// Fuzzer serves a generated API to fuzz targets over a real database. Each
// input runs in a transaction of its own that is rolled back after it, so
// every input meets the same rows and a crashing input replays alike; and
// every answer is checked for what must hold whatever the request (see
// Serve).
type Fuzzer struct {
	pool    *pgxpool.Pool
	db      *TxDB
	handler http.Handler
	checker *Client
	logs    resettable
}

// NewFuzzer returns a Fuzzer of the router newRouter makes over db (built
// once, with a logger the Fuzzer shows when an input fails), whose
// document is at doc. pool's rows are what every input meets.
func NewFuzzer(tb testing.TB, pool *pgxpool.Pool, doc string, newRouter func(db *TxDB, logger *slog.Logger) http.Handler) *Fuzzer {
	tb.Helper()
	z := &Fuzzer{pool: pool, db: &TxDB{}, checker: &Client{Doc: doc}}
	z.handler = newRouter(z.db, slog.New(slog.NewTextHandler(&z.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	return z
}

// resettable is a log buffer emptied before each input.
type resettable struct{ SyncBuffer }

func (r *resettable) reset() {
	r.mu.Lock()
	r.buf.Reset()
	r.mu.Unlock()
}

// Serve runs req in a transaction rolled back afterwards, and returns the
// answer after checking what holds for any request, valid or not:
//
//   - no 5xx: bad input is the client's error, never the server's;
//   - a 4xx is an RFC 9457 problem (application/problem+json) with the
//     response's status and title, a detail, and field errors located in
//     the body, query, path or header with a known code and a message;
//   - a 2xx is JSON (a 204 has no body);
//   - the answer conforms to the OpenAPI document. (Requests are not
//     checked: the API accepts more than the document promises, such as
//     numbers and exponents for decimals.)
//
// The transaction is rolled back when t ends; further requests in it
// (reading back what a write returned, say) go through Then.
func (z *Fuzzer) Serve(t *testing.T, req *http.Request) *Response {
	t.Helper()
	ctx := context.Background()
	tx, err := z.pool.Begin(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tx.Rollback(ctx) })
	z.db.Tx = tx
	z.logs.reset()
	return z.Then(t, req)
}

// ServeBody sends a fuzzed body to a write route (with Prefer:
// resolution=merge-duplicates when merge is set) and checks what every
// write must do: a body that is not JSON is a 400, and a created row reads
// back from its Location as the create returned it.
func (z *Fuzzer) ServeBody(t *testing.T, method, path string, merge bool, body []byte) {
	t.Helper()
	req := Request(method, path, body)
	if merge {
		req.Header.Set("Prefer", "resolution=merge-duplicates")
	}
	r := z.Serve(t, req)
	if !json.Valid(body) {
		require.Equal(t, http.StatusBadRequest, r.Status, "not JSON: %q", body)
	}
	if loc := r.Header.Get("Location"); r.Status == http.StatusCreated && loc != "" {
		back := z.Then(t, Request(http.MethodGet, loc, nil))
		require.Equal(t, http.StatusOK, back.Status, "GET %s: %s", loc, back.Raw)
		if !bytes.Equal(r.Raw, back.Raw) {
			t.Errorf("GET %s reads another row than the create returned:\n%.2000s\n%.2000s", loc, r.Raw, back.Raw)
		}
	}
}

// Then serves req in the transaction of the input being served, with the
// checks of Serve.
func (z *Fuzzer) Then(t *testing.T, req *http.Request) *Response {
	t.Helper()
	var payload []byte
	if req.Body != nil {
		var err error
		payload, err = io.ReadAll(req.Body)
		require.NoError(t, err)
		req.Body = io.NopCloser(bytes.NewReader(payload))
	}
	rec := httptest.NewRecorder()
	z.handler.ServeHTTP(rec, req)
	r := &Response{Method: req.Method, Path: req.URL.RequestURI(), Status: rec.Code, Header: rec.Header(), Raw: rec.Body.Bytes()}
	if !z.wellFormed(t, r) {
		t.Fatalf("%s %s %q: %d %s\nAPI log:\n%s", r.Method, r.Path, payload, r.Status, r.Raw, z.logs.String())
	}
	if len(r.Raw) > 0 && isJSON(r.Header.Get("Content-Type")) {
		require.NoError(t, NewNumberDecoder(r.Raw).Decode(&r.Body))
	}
	if req.URL.Path != "/openapi.json" && !strings.HasPrefix(req.URL.Path, "/docs") {
		if len(payload) == 0 {
			payload = nil
		}
		z.checker.checkServed(t, false, req, payload, r.Status, r.Header, r.Raw)
		if t.Failed() {
			t.Fatalf("%s %s %q: %d %s", r.Method, r.Path, payload, r.Status, r.Raw)
		}
	}
	return r
}

// problemCodes are the codes of field errors (DESIGN.md).
var problemCodes = []string{
	"required", "type", "read_only", "unknown_field", "max_length", "min_length", "enum", "pattern",
	"minimum", "maximum", "check", "unique", "foreign_key", "referenced", "format", "invalid_cursor",
}

// wellFormed reports, as test errors, how r is not an answer a generated
// API may give to any request.
func (z *Fuzzer) wellFormed(t *testing.T, r *Response) bool {
	t.Helper()
	ct := r.Header.Get("Content-Type")
	switch {
	case r.Status >= 500:
		t.Errorf("a %d answers bad input", r.Status)
	case r.Status == http.StatusNoContent:
		if len(r.Raw) != 0 {
			t.Errorf("a 204 with a body")
		}
	case r.Status < 300:
		if ct != "application/json" || !json.Valid(r.Raw) {
			t.Errorf("a %d that is not JSON (%s)", r.Status, ct)
		}
	case r.Status < 400:
		t.Errorf("a %d answers a request without conditions or redirects", r.Status)
	default:
		if ct != "application/problem+json" {
			t.Errorf("a %d whose Content-Type is %s", r.Status, ct)
			return false
		}
		var p Problem
		dec := json.NewDecoder(bytes.NewReader(r.Raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			t.Errorf("a %d that is not a problem: %v", r.Status, err)
			return false
		}
		if p.Status != r.Status || p.Title != http.StatusText(r.Status) || p.Type == "" || p.Detail == "" {
			t.Errorf("a problem without its status, title, type or detail")
		}
		if r.Status == http.StatusUnprocessableEntity && len(p.Errors) == 0 {
			t.Errorf("a 422 that names no field")
		}
		if len(p.Errors) > 100 {
			t.Errorf("a problem with %d field errors", len(p.Errors))
		}
		for _, e := range p.Errors {
			var loc []any
			if err := json.Unmarshal(e.Loc, &loc); err != nil || len(loc) == 0 || !slices.Contains([]any{"body", "query", "path", "header"}, loc[0]) {
				t.Errorf("a field error at %s", e.Loc)
			}
			if !slices.Contains(problemCodes, e.Code) || e.Message == "" {
				t.Errorf("a field error with code %q and message %q", e.Code, e.Message)
			}
		}
	}
	return !t.Failed()
}

// Request returns a request as a server hands it to its handler, or nil
// when target (a path with its query) could not come over HTTP/1.1.
func Request(method, target string, body []byte) *http.Request {
	var rd io.Reader = http.NoBody
	if body != nil {
		rd = bytes.NewReader(body)
	}
	r, err := http.NewRequest(method, "http://api.test"+target, rd)
	if err != nil || r.URL.Opaque != "" || r.URL.Fragment != "" || r.URL.Host != "api.test" || !strings.HasPrefix(target, "/") {
		return nil
	}
	if strings.ContainsAny(target, " \t\r\n") {
		return nil
	}
	r.RequestURI = target
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	return r
}
