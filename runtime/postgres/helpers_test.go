package postgres

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/runtime"
)

// testAPI returns an API logging at debug level into the returned buffer.
func testAPI() (*runtime.API, *bytes.Buffer) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return &runtime.API{Logger: logger}, &buf
}

// located is what the tests compare of a FieldError.
type located struct {
	Loc  []any
	Code string
}

// mapped is an answer of API.Error, decoded.
type mapped struct {
	rec     *httptest.ResponseRecorder
	problem runtime.Problem
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

func (m mapped) messages() []string {
	var ms []string
	for _, e := range m.problem.Errors {
		ms = append(ms, e.Message)
	}
	return ms
}

// mapError answers err for a request with method through api.Error.
func mapError(t *testing.T, api *runtime.API, method string, err error, tab *runtime.Table) mapped {
	t.Helper()
	return mapErrorRequest(t, api, httptest.NewRequest(method, "/things/1", nil), err, tab)
}

func mapErrorRequest(t *testing.T, api *runtime.API, r *http.Request, err error, tab *runtime.Table) mapped {
	t.Helper()
	rec := httptest.NewRecorder()
	api.Error(rec, r, err, tab)
	m := mapped{rec: rec}
	if rec.Body.Len() > 0 {
		require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &m.problem), rec.Body.String())
		require.Equal(t, rec.Code, m.problem.Status)
	}
	return m
}

// serve answers a request without a body.
func serve(h http.Handler, method, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

// problemBody decodes a problem response, checking its content type.
func problemBody(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
	var body map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
	return body
}
