package runtime

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawRow is a Marshaler of a fixed JSON text.
type rawRow string

func (r rawRow) AppendJSON(b []byte) []byte { return append(b, r...) }

func TestETag(t *testing.T) {
	body := []byte(`{"id":1,"name":"Ada"}`)
	sum := sha256.Sum256(body)
	assert.Equal(t, `"`+base64.RawURLEncoding.EncodeToString(sum[:16])+`"`, ETag(body))
	assert.Regexp(t, `^"[A-Za-z0-9_-]{22}"$`, ETag(nil))
	assert.NotEqual(t, ETag(body), ETag([]byte(`{"id":1,"name":"Ada "}`)))
}

// API.Row answers with the row and the ETag of exactly the bytes sent.
func TestRow(t *testing.T) {
	rec := httptest.NewRecorder()
	(&API{}).Row(rec, http.StatusCreated, rawRow(`{"id":7}`))
	assert.Equal(t, http.StatusCreated, rec.Code)
	assert.Equal(t, `{"id":7}`, rec.Body.String())
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	assert.Equal(t, ETag([]byte(`{"id":7}`)), rec.Header().Get("ETag"))

	rec = httptest.NewRecorder()
	WriteJSON(rec, http.StatusOK, rawRow(`{"id":7}`))
	assert.Empty(t, rec.Header().Get("ETag"), "only rows are tagged")
}

func ifMatch(lines ...string) *http.Request {
	r := httptest.NewRequest(http.MethodPatch, "/rows/1", nil)
	for _, l := range lines {
		r.Header.Add("If-Match", l)
	}
	return r
}

func TestIfMatch(t *testing.T) {
	row := rawRow(`{"id":1}`)
	tag := ETag([]byte(row))
	for _, c := range []struct {
		name  string
		lines []string
		// nil: the write goes ahead without reading the row.
		nilPrecondition bool
		holds           bool
	}{
		{"absent", nil, true, true},
		{"any", []string{"*"}, true, true},
		{"any among tags", []string{`"x", *`}, true, true},
		{"the tag", []string{tag}, false, true},
		{"in a list", []string{`"old",` + tag + ` , "other"`}, false, true},
		{"on a second line", []string{`"old"`, tag}, false, true},
		{"a tag with a comma first", []string{`"a,b", ` + tag}, false, true},
		{"stale", []string{`"old"`}, false, false},
		{"weak", []string{"W/" + tag}, false, false},
		{"unquoted", []string{strings.Trim(tag, `"`)}, false, false},
		{"unterminated", []string{`"` + strings.Trim(tag, `"`)}, false, false},
		{"after garbage", []string{`nonsense, ` + tag}, false, false},
		{"empty", []string{""}, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := IfMatch(ifMatch(c.lines...))
			assert.Equal(t, c.nilPrecondition, p == nil)
			err := p.Check(row)
			if c.holds {
				assert.NoError(t, err)
				return
			}
			var problem *Problem
			require.ErrorAs(t, err, &problem)
			assert.Equal(t, http.StatusPreconditionFailed, problem.Status)
			assert.Equal(t, "Precondition Failed", problem.Title)
		})
	}
}

func TestRequireIfMatch(t *testing.T) {
	p, err := RequireIfMatch(ifMatch())
	assert.Nil(t, p)
	var problem *Problem
	require.ErrorAs(t, err, &problem)
	assert.Equal(t, http.StatusPreconditionRequired, problem.Status)
	assert.Equal(t, []FieldError{{Loc: []any{"header", "If-Match"}, Code: CodeRequired, Message: "is required"}}, problem.Errors)

	p, err = RequireIfMatch(ifMatch("*"))
	assert.NoError(t, err)
	assert.Nil(t, p, "* needs no look at the row")
	p, err = RequireIfMatch(ifMatch(`"old"`))
	assert.NoError(t, err)
	assert.Error(t, p.Check(rawRow(`{}`)))
}

// BenchmarkRowETag is what tagging a row adds to each answer of one row.
func BenchmarkRowETag(b *testing.B) {
	body := []byte(`{"id":4821,"sku":"SKU-004821","name":"item 4821","description":"a description of item 4821, long enough to be typical","price":"48.21","quantity":21,"status":"active","tags":["a","b"],"created_at":"2025-01-02T03:04:05.123456Z"}`)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		_ = ETag(body)
	}
}
