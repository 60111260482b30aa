package apitest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Object requires status and a JSON object body, and returns it.
func (r *Response) Object(t *testing.T, status int) Obj {
	t.Helper()
	require.Equal(t, status, r.Status, "%s %s: %s", r.Method, r.Path, r.Raw)
	require.Equal(t, "application/json", mediaType(r.Header.Get("Content-Type")))
	m, ok := r.Body.(map[string]any)
	require.True(t, ok, "%s %s: the body is not an object: %s", r.Method, r.Path, r.Raw)
	return m
}

// Items requires a 200 list and returns its items.
func (r *Response) Items(t *testing.T) []any {
	t.Helper()
	items, _ := r.Page(t)
	return items
}

// Page requires a 200 list and returns its items and the cursor of the
// next page ("" on the last).
func (r *Response) Page(t *testing.T) (items []any, next string) {
	t.Helper()
	page := r.Object(t, http.StatusOK)
	items, ok := page["items"].([]any)
	require.True(t, ok, "items is not an array: %s", r.Raw)
	if c, ok := page["next_cursor"]; ok {
		next, ok = c.(string)
		require.True(t, ok && next != "", "next_cursor is not a non-empty string: %s", r.Raw)
	}
	return items, next
}

// Fields are the members of a JSON object, each value raw JSON exactly as
// the API wrote it.
type Fields = map[string]string

// Row requires status and a JSON object, and returns its members as raw
// JSON.
func (r *Response) Row(t *testing.T, status int) Fields {
	t.Helper()
	require.Equal(t, status, r.Status, "%s %s: %s", r.Method, r.Path, r.Raw)
	require.Equal(t, "application/json", r.Header.Get("Content-Type"))
	return rawObject(t, r.Raw)
}

// Listed returns the item of a list response whose raw id member is id.
func (r *Response) Listed(t *testing.T, id string) Fields {
	t.Helper()
	page := r.Row(t, http.StatusOK)
	var items []json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(page["items"]), &items))
	for _, it := range items {
		if f := rawObject(t, it); f["id"] == id {
			return f
		}
	}
	require.Failf(t, "not listed", "%s %s: no item with id %s", r.Method, r.Path, id)
	return nil
}

func rawObject(t *testing.T, raw []byte) Fields {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(raw, &m), "not an object: %s", raw)
	out := make(Fields, len(m))
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

// Problem is an RFC 9457 problem as the API writes it.
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail"`
	Instance  string       `json:"instance"`
	RequestID string       `json:"request_id"`
	Errors    []FieldError `json:"errors"`
}

// FieldError is one member of a problem's errors.
type FieldError struct {
	Loc     json.RawMessage `json:"loc"`
	Code    string          `json:"code"`
	Message string          `json:"message"`
}

// Problem requires r to be a problem with status and returns it, checking
// the members every problem has.
func (r *Response) Problem(t *testing.T, status int) Problem {
	t.Helper()
	require.Equal(t, status, r.Status, "%s %s: %s", r.Method, r.Path, r.Raw)
	require.Equal(t, "application/problem+json", r.Header.Get("Content-Type"), "%s", r.Raw)
	var p Problem
	dec := json.NewDecoder(bytes.NewReader(r.Raw))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&p), "problem body: %s", r.Raw)
	assert.Equal(t, "about:blank", p.Type)
	assert.Equal(t, http.StatusText(status), p.Title)
	assert.Equal(t, status, p.Status)
	assert.NotEmpty(t, p.Detail)
	path, _, _ := strings.Cut(r.Path, "?")
	assert.Equal(t, path, p.Instance, "instance is the request's path, as sent")
	for _, e := range p.Errors {
		assert.NotEmpty(t, e.Message, "field error %s %s has no message", e.Loc, e.Code)
	}
	return p
}

// ErrorsOf requires a problem with status and exactly the field errors
// want (in any order), and returns the problem.
func (r *Response) ErrorsOf(t *testing.T, status int, want ...Located) Problem {
	t.Helper()
	p := r.Problem(t, status)
	got := make([]Located, len(p.Errors))
	for i, e := range p.Errors {
		var b bytes.Buffer
		require.NoError(t, json.Compact(&b, e.Loc))
		got[i] = Located{Code: e.Code, Loc: b.String()}
	}
	if want == nil {
		want = []Located{}
	}
	assert.ElementsMatch(t, want, got, "%s %s: %s", r.Method, r.Path, r.Raw)
	return p
}

// Located is a field error's code and loc (as compact JSON).
type Located struct {
	Code string
	Loc  string
}

// At is the field error code located at loc.
func At(code string, loc ...any) Located {
	b, err := json.Marshal(loc)
	if err != nil {
		panic(err)
	}
	return Located{Code: code, Loc: string(b)}
}

// Ptrs returns pointers to each of ss, as generated clients hold the
// elements of array fields (which may be null).
func Ptrs(ss ...string) []*string {
	out := make([]*string, len(ss))
	for i := range ss {
		out[i] = &ss[i]
	}
	return out
}
