package runtime

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testAPI returns an API logging at debug level into the returned buffer.
func testAPI() (*API, *bytes.Buffer) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return &API{Logger: logger}, &buf
}

// problemBody decodes a problem response, checking its content type.
func problemBody(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
	var body map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
	return body
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	require.NoError(t, err)
	return n
}

func TestProblemShape(t *testing.T) {
	api, _ := testAPI()
	r := httptest.NewRequest(http.MethodPost, "/albums?x=1", nil)
	r.Header.Set("X-Request-ID", "req-42")
	rec := httptest.NewRecorder()

	p := Invalid(FieldError{Loc: []any{"body", "tracks", 2, "title"}, Code: CodeMaxLength, Message: "must be at most 5 <characters>"})
	api.Problem(rec, r, p)

	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.JSONEq(t, `{
		"type": "about:blank",
		"title": "Unprocessable Entity",
		"status": 422,
		"detail": "The request is invalid.",
		"instance": "/albums",
		"request_id": "req-42",
		"errors": [{"loc": ["body", "tracks", 2, "title"], "code": "max_length", "message": "must be at most 5 <characters>"}]
	}`, rec.Body.String())
	require.Contains(t, rec.Body.String(), "<characters>", "no HTML escaping")
	require.Equal(t, rec.Body.Len(), atoi(t, rec.Header().Get("Content-Length")))
	require.Empty(t, p.Instance, "the caller's problem is not modified")
	require.Empty(t, p.RequestID)
}

func TestProblemHeadersAndDefaults(t *testing.T) {
	api, _ := testAPI()
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	rec := httptest.NewRecorder()
	rec.Header().Set("Retry-After", "99")

	p := &Problem{Status: http.StatusServiceUnavailable, Instance: "/mine", Header: http.Header{"retry-after": {"3"}}}
	api.Problem(rec, r, p)

	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	require.Equal(t, http.Header{"Retry-After": {"3"}, "Content-Type": {"application/problem+json"}, "Content-Length": {rec.Header().Get("Content-Length")}},
		rec.Header(), "p.Header replaces, canonicalized")
	body := problemBody(t, rec)
	require.Equal(t, "about:blank", body["type"])
	require.Equal(t, "Service Unavailable", body["title"])
	require.Equal(t, "/mine", body["instance"], "an instance set by the caller is kept")
	require.NotContains(t, body, "request_id")
	require.NotContains(t, body, "errors")
}

func TestProblemWithAStatusThatIsNotAnErrorIs500(t *testing.T) {
	api, logs := testAPI()
	rec := httptest.NewRecorder()
	api.Problem(rec, httptest.NewRequest(http.MethodGet, "/", nil), &Problem{Status: 200, Title: "fine"})
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	require.Equal(t, float64(500), problemBody(t, rec)["status"])
	require.Contains(t, logs.String(), "not an error")
}

func TestRequestID(t *testing.T) {
	for _, tc := range []struct {
		name, request, response, want string
	}{
		{"request header", "abc-123", "", "abc-123"},
		{"a middleware's response header wins", "from-client", "from-server", "from-server"},
		{"spaces are not echoed", "a b", "", ""},
		{"control characters are not echoed", "a\x01b", "", ""},
		{"non-ASCII is not echoed", "é", "", ""},
		{"too long is not echoed", strings.Repeat("x", 129), "", ""},
		{"128 is fine", strings.Repeat("x", 128), "", strings.Repeat("x", 128)},
		{"an invalid response header falls back to the request's", "ok", "no way", "ok"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header.Set("X-Request-ID", tc.request)
			rec := httptest.NewRecorder()
			if tc.response != "" {
				rec.Header().Set("X-Request-ID", tc.response)
			}
			var api API
			api.Problem(rec, r, NewProblem(http.StatusNotFound, ""))
			got, _ := problemBody(t, rec)["request_id"].(string)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestNilAPIUsesDefaults(t *testing.T) {
	var api *API
	require.Equal(t, int64(DefaultMaxBodyBytes), api.maxBodyBytes())
	require.Equal(t, DefaultRetryAfter, api.retryAfter())
	require.Same(t, slog.Default(), api.logger())
	rec := httptest.NewRecorder()
	api.Problem(rec, httptest.NewRequest(http.MethodGet, "/", nil), NewProblem(http.StatusConflict, "x"))
	require.Equal(t, http.StatusConflict, rec.Code)

	api = &API{MaxBodyBytes: 10}
	assert.Equal(t, int64(10), api.maxBodyBytes())
}

// title is a Decodable for one required string field.
type title struct{ Title string }

func (t *title) DecodeJSON(d *Decoder) {
	var seen bool
	if d.Object(func(key string) {
		if key != "title" {
			d.Unknown()
			return
		}
		seen = true
		d.String(&t.Title)
	}) && !seen {
		d.Required("title")
	}
}

func (t title) AppendJSON(b []byte) []byte {
	return append(AppendString(append(b, `{"title":`...), t.Title), '}')
}

func TestDecodeHonoursMaxBodyBytes(t *testing.T) {
	body := `{"title": "` + strings.Repeat("x", 100) + `"}`
	for _, tc := range []struct {
		max    int64
		status int
	}{{0, 0}, {int64(len(body)), 0}, {int64(len(body)) - 1, http.StatusRequestEntityTooLarge}} {
		api := &API{MaxBodyBytes: tc.max}
		r := httptest.NewRequest(http.MethodPost, "/albums", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var dst title
		err := api.Decode(r, &dst)
		if tc.status == 0 {
			require.NoError(t, err, tc.max)
			require.Equal(t, strings.Repeat("x", 100), dst.Title)
			continue
		}
		var p *Problem
		require.ErrorAs(t, err, &p)
		require.Equal(t, tc.status, p.Status)
	}
}

func TestDecodeErrorsAreProblemsForError(t *testing.T) {
	api, _ := testAPI()
	r := httptest.NewRequest(http.MethodPost, "/things/1", strings.NewReader(`{"nope": 1}`))
	var dst title
	m := mapErrorRequest(t, api, r, api.Decode(r, &dst), nil)
	require.Equal(t, http.StatusUnprocessableEntity, m.rec.Code)
	require.Equal(t, []located{{[]any{"body", "nope"}, CodeUnknownField}, {[]any{"body", "title"}, CodeRequired}}, m.located())
}

func TestJSON(t *testing.T) {
	var api *API
	rec := httptest.NewRecorder()
	api.JSON(rec, http.StatusCreated, title{Title: "<Blue Train>"})
	require.Equal(t, http.StatusCreated, rec.Code)
	require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	require.Equal(t, `{"title":"<Blue Train>"}`, rec.Body.String())
}
