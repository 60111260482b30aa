package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// located is what the tests compare of a FieldError.
type located struct {
	Loc  []any
	Code string
}

// mapped is an answer of API.Error, decoded.
type mapped struct {
	rec     *httptest.ResponseRecorder
	problem Problem
}

func (m mapped) located() []located {
	var ls []located
	for _, e := range m.problem.Errors {
		loc := make([]any, len(e.Loc))
		for i, l := range e.Loc {
			if f, ok := l.(float64); ok {
				l = int(f)
			}
			loc[i] = l
		}
		ls = append(ls, located{loc, e.Code})
	}
	return ls
}

// mapError answers err for a request with method through api.Error.
func mapError(t *testing.T, api *API, method string, err error, tab *Table) mapped {
	t.Helper()
	return mapErrorRequest(t, api, httptest.NewRequest(method, "/things/1", nil), err, tab)
}

func mapErrorRequest(t *testing.T, api *API, r *http.Request, err error, tab *Table) mapped {
	t.Helper()
	rec := httptest.NewRecorder()
	api.Error(rec, r, err, tab)
	m := mapped{rec: rec}
	if rec.Body.Len() > 0 {
		require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &m.problem), rec.Body.String())
		require.Equal(t, rec.Code, m.problem.Status)
		require.Equal(t, "about:blank", m.problem.Type)
		require.Equal(t, http.StatusText(rec.Code), m.problem.Title)
		require.Equal(t, "/things/1", m.problem.Instance)
	}
	return m
}

func TestErrorWritesProblemsAsIs(t *testing.T) {
	api, logs := testAPI()
	p := NewProblem(http.StatusPreconditionFailed, "The row changed.")
	p.Header = http.Header{"Etag": {`"v2"`}}
	m := mapError(t, api, http.MethodPut, fmt.Errorf("albums: update: %w", p), nil)
	require.Equal(t, http.StatusPreconditionFailed, m.rec.Code)
	require.Equal(t, "The row changed.", m.problem.Detail)
	require.Equal(t, `"v2"`, m.rec.Header().Get("ETag"))
	require.Contains(t, logs.String(), `"level":"DEBUG"`)
}

func TestErrorNotFound(t *testing.T) {
	api, _ := testAPI()
	for _, err := range []error{ErrNotFound, fmt.Errorf("albums: get: %w", ErrNotFound)} {
		m := mapError(t, api, http.MethodGet, err, &Table{Name: "albums"})
		require.Equal(t, http.StatusNotFound, m.rec.Code, err)
		require.Equal(t, "The requested albums row does not exist.", m.problem.Detail)
	}
	m := mapError(t, api, http.MethodGet, ErrNotFound, nil)
	require.Equal(t, "The requested row does not exist.", m.problem.Detail)
}

func TestErrorInternalSaysNothing(t *testing.T) {
	api, logs := testAPI()
	r := httptest.NewRequest(http.MethodPost, "/things/1", nil)
	r.Header.Set("X-Request-ID", "rid-7")
	m := mapErrorRequest(t, api, r, errors.New(`scan "password_hash": SELECT secret FROM users`), nil)
	require.Equal(t, http.StatusInternalServerError, m.rec.Code)
	require.Equal(t, "An internal error occurred.", m.problem.Detail)
	require.NotContains(t, m.rec.Body.String(), "secret")
	require.Empty(t, m.problem.Errors)

	var entry map[string]any
	require.NoError(t, json.Unmarshal(logs.Bytes(), &entry))
	require.Equal(t, "ERROR", entry["level"])
	require.Equal(t, float64(500), entry["status"])
	require.Equal(t, "POST", entry["method"])
	require.Equal(t, "/things/1", entry["path"])
	require.Equal(t, "rid-7", entry["request_id"])
	require.Contains(t, entry["error"], "SELECT secret FROM users", "the log has the cause")
}

func TestErrorNilIs500(t *testing.T) {
	api, logs := testAPI()
	m := mapError(t, api, http.MethodGet, nil, nil)
	require.Equal(t, http.StatusInternalServerError, m.rec.Code)
	require.Contains(t, logs.String(), "nil error")
}

// timeoutError is a net.Error that timed out.
type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func TestErrorTransientIs503(t *testing.T) {
	api, logs := testAPI()
	for _, err := range []error{
		context.DeadlineExceeded,
		fmt.Errorf("albums: list: %w", context.DeadlineExceeded),
		io.EOF,
		io.ErrUnexpectedEOF,
		&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")},
		timeoutError{},
	} {
		logs.Reset()
		m := mapError(t, api, http.MethodGet, err, nil)
		require.Equal(t, http.StatusServiceUnavailable, m.rec.Code, err)
		require.Equal(t, "1", m.rec.Header().Get("Retry-After"))
		require.NotContains(t, m.rec.Body.String(), err.Error())
		require.Contains(t, logs.String(), `"level":"WARN"`)
	}
}

func TestErrorRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{{0, "1"}, {time.Millisecond, "1"}, {1500 * time.Millisecond, "2"}, {30 * time.Second, "30"}} {
		api := &API{RetryAfter: tc.d}
		m := mapError(t, api, http.MethodGet, io.EOF, nil)
		require.Equal(t, tc.want, m.rec.Header().Get("Retry-After"), tc.d)
	}
}

func TestErrorClientGoneWritesNoBody(t *testing.T) {
	api, logs := testAPI()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequestWithContext(ctx, http.MethodGet, "/things/1", nil)
	for _, err := range []error{
		context.Canceled,
		fmt.Errorf("albums: list: %w", context.Canceled),
	} {
		logs.Reset()
		m := mapErrorRequest(t, api, r, err, nil)
		require.Equal(t, statusClientClosedRequest, m.rec.Code)
		require.Zero(t, m.rec.Body.Len())
		require.Contains(t, logs.String(), `"level":"DEBUG"`)
		require.Contains(t, logs.String(), `"status":499`)
	}

	// A real error still gets its answer (which nobody reads) and its log.
	logs.Reset()
	m := mapErrorRequest(t, api, r, errors.New("bug"), nil)
	require.Equal(t, http.StatusInternalServerError, m.rec.Code)
	require.Contains(t, logs.String(), `"level":"ERROR"`)
}

func TestErrorCanceledWhileTheClientWaitsIs500(t *testing.T) {
	api, _ := testAPI()
	m := mapError(t, api, http.MethodGet, context.Canceled, nil)
	require.Equal(t, http.StatusInternalServerError, m.rec.Code)
}
