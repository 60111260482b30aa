package runtime

// Values PostgreSQL would refuse with an error that names no column are
// refused before it, located at the field or parameter that holds them.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/runtime/pgtest"
)

func TestParseStringRefusesWhatTextCannotHold(t *testing.T) {
	for _, s := range []string{"", "a", "é", "\u2003", strings.Repeat("x", 1<<16)} {
		got, err := ParseString(s)
		assert.NoError(t, err, "%q", s)
		assert.Equal(t, s, got)
	}
	for s, msg := range map[string]string{
		"a\x00b":       "must not contain NUL characters",
		"\x00":         "must not contain NUL characters",
		"\xff":         "must be valid UTF-8",
		"a\xc3":        "must be valid UTF-8",
		"\xed\xa0\x80": "must be valid UTF-8", // a surrogate, encoded
		"\xc0\xaf":     "must be valid UTF-8", // an overlong '/'
	} {
		_, err := ParseString(s)
		assert.EqualError(t, err, msg, "%q", s)
	}
}

// jsonbLiterals are numbers at the edges of numeric, as which jsonb stores
// numbers: up to 131072 digits before the point and 16383 after it.
var jsonbLiterals = []string{
	"0", "-0", "1", "1.5", "1e3", "1E+3", "-1e-3", "123456789012345678901234567890",
	"1e131071", "9.99e131071", "1e131072", "10e131071", "1e999999", "1e2147483648",
	"1e-16383", "1e-16384", "0.1e-16382", "0.1e-16383", "-0.0e-16383", "0e-16383",
	"0e-999999999", "0e999999999", "0.5e-16383", "1.0e-16383",
	"1" + strings.Repeat("0", 131071), "1" + strings.Repeat("0", 131072),
	"0." + strings.Repeat("1", 16383), "0." + strings.Repeat("1", 16384),
	"0." + strings.Repeat("0", 16384), "1" + strings.Repeat("0", 20000) + "e-20000",
}

func TestRawJSONNumbersWithinNumeric(t *testing.T) {
	for _, in := range []string{`{"a": [1, 2.5, -3e10, {"b": 1e131071}]}`, `1e-16383`, `"1e999999"`} {
		var raw json.RawMessage
		require.NoError(t, Decode([]byte(in), decFunc(func(d *Decoder) { d.RawJSON(&raw) })), in)
		assert.Equal(t, in, string(raw))
	}
	for _, in := range []string{`1e131072`, `{"a": [1, {"b": 1e999999}]}`, `[1e-16384]`, `{"k": 0e-999999999}`} {
		var raw json.RawMessage
		p := decProblem(t, Decode([]byte(in), decFunc(func(d *Decoder) { d.RawJSON(&raw) })), 422)
		assert.Equal(t, CodeFormat, p.Errors[0].Code, in)
		assert.Equal(t, "must not contain numbers beyond the range of PostgreSQL's numeric", p.Errors[0].Message)
	}
	// A number skipped elsewhere (an unknown field) is not judged.
	err := Decode([]byte(`{"x": 1e999999, "y": 1}`), decFunc(func(d *Decoder) {
		d.Object(func(key string) {
			if key == "y" {
				var raw json.RawMessage
				d.RawJSON(&raw)
			}
		})
	}))
	assert.NoError(t, err)
}

// The range numericHolds allows is the one PostgreSQL's jsonb input has.
func TestNumericHoldsAsPostgreSQL(t *testing.T) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.URL(t))
	require.NoError(t, err)
	defer conn.Close(ctx)
	for _, lit := range jsonbLiterals {
		var ok bool
		err := conn.QueryRow(ctx, `SELECT $1::text::jsonb IS NOT NULL`, lit).Scan(&ok)
		short := lit
		if len(short) > 40 {
			short = short[:20] + "..." + short[len(short)-20:]
		}
		assert.Equal(t, err == nil, numericHolds([]byte(lit)), "%s: PostgreSQL says %v", short, err)
	}
}

// TestTimesWithinPostgresRange checks the limits of Decoder.Time (in UTC)
// and Decoder.Timestamp: PostgreSQL's, after rounding to the microsecond.
// timestamp_test.go checks them against the server.
func TestTimesWithinPostgresRange(t *testing.T) {
	read := func(in string, tz bool) error {
		var v time.Time
		return Decode([]byte(`"`+in+`"`), decFunc(func(d *Decoder) {
			if tz {
				d.Time(&v)
			} else {
				d.Timestamp(&v)
			}
		}))
	}
	for _, in := range []string{"-4713-11-24T00:00:00Z", "-4713-11-24T01:00:00+01:00", "+294276-12-31T23:59:59.999999Z",
		"+294276-12-31T22:59:59.9999994-01:00", "-4713-11-23T23:59:59.9999995Z", "0000-01-01T00:00:00+00:01", "9999-12-31T23:59:59.9999996Z"} {
		assert.NoError(t, read(in, true), in)
	}
	for _, in := range []string{"-4713-11-24T00:00:00+00:01", "-4713-11-23T23:59:59.9999994Z", "+294276-12-31T23:59:59.9999995Z",
		"+294276-12-31T23:00:00-01:00", "+294277-01-01T00:00:00Z"} {
		p := decProblem(t, read(in, true), 422)
		assert.Equal(t, FieldError{Loc: []any{"body"}, Code: CodeFormat, Message: "must be an instant from " + timeRangeText}, p.Errors[0], in)
	}
	assert.NoError(t, read("+294276-12-31T23:59:59.999999", false))
	assert.NoError(t, read("-4713-11-24T00:00:00", false))
	for _, in := range []string{"+294276-12-31T23:59:59.9999995", "-4713-11-23T23:59:59.999999"} {
		p := decProblem(t, read(in, false), 422)
		assert.Equal(t, FieldError{Loc: []any{"body"}, Code: CodeFormat, Message: "must be a date-time from " + timestampRangeText}, p.Errors[0], in)
	}
}

func TestFiltersPostgreSQLWouldRefuse(t *testing.T) {
	l := testList()
	for query, want := range map[string]FieldError{
		"title=a%00b":                         {Loc: []any{"query", "title"}, Code: CodeType, Message: "must not contain NUL characters"},
		"title[in]=a&title[in]=%ff":           {Loc: []any{"query", "title[in]"}, Code: CodeType, Message: "value 2: must be valid UTF-8"},
		"tags[contains]=%00":                  {Loc: []any{"query", "tags[contains]"}, Code: CodeType, Message: "must not contain NUL characters"},
		"title[like]=%5C":                     {Loc: []any{"query", "title[like]"}, Code: CodeFormat, Message: `must not end with the escape character \ (write \\ for a backslash)`},
		"title[ilike]=a%5C%5C%5C":             {Loc: []any{"query", "title[ilike]"}, Code: CodeFormat, Message: `must not end with the escape character \ (write \\ for a backslash)`},
		"meta[contains]=%7B%22a%22:1e999999}": {Loc: []any{"query", "meta[contains]"}, Code: CodeType, Message: "must not contain numbers beyond the range of PostgreSQL's numeric"},
		`meta[contains]="%5Cu0000"`:           {Loc: []any{"query", "meta[contains]"}, Code: CodeType, Message: `must not contain NUL characters (\u0000)`},
		`meta[contains]="%ff"`:                {Loc: []any{"query", "meta[contains]"}, Code: CodeType, Message: "must be a JSON document"},
		`meta[contains]={"a":1}x`:             {Loc: []any{"query", "meta[contains]"}, Code: CodeType, Message: "must be a JSON document"},
		`meta[contains]=`:                     {Loc: []any{"query", "meta[contains]"}, Code: CodeType, Message: "must be a JSON document"},
	} {
		_, err := parseQuery(t, l, query)
		p := decProblem(t, err, http.StatusUnprocessableEntity)
		assert.Equal(t, []FieldError{want}, p.Errors, query)
	}
	for _, query := range []string{`title[like]=a%5C%5C`, `title[like]=%5C%25`, `title=%5C`, `meta[contains]={"a":[1e131071,"\u00e9"]}`} {
		_, err := parseQuery(t, l, query)
		assert.NoError(t, err, query)
	}
}

type mood string

func (m mood) Valid() bool { return m == "happy" || m == "sad" }

// A cursor's value of an enum column must be one of its labels: another
// would fail the cast to the enum in SQL, as an error of no parameter.
func TestCursorEnumValues(t *testing.T) {
	l := &List{
		Table:  "public.people",
		Select: "id, mood::text",
		Columns: []Column{
			{Name: "id", SQL: "id", Ops: OrderedOps, Sort: true, Value: ValueOf(ParseInt64, ReadInt64, "")},
			{Name: "mood", SQL: "mood", Ops: OrderedOps, Sort: true, Value: ValueOf(ParseValidEnum[mood], ReadEnum[mood], "::text::public.mood")},
		},
		Key: []string{"id"},
	}
	cursor := func(after string) string {
		return base64.RawURLEncoding.EncodeToString([]byte(`{"sort":"mood","after":[` + after + `]}`))
	}
	q, err := parseQuery(t, l, "sort=mood&cursor="+cursor(`"sad",3`))
	require.NoError(t, err)
	assert.Equal(t, []any{mood("sad"), int64(3)}, q.after)
	_, err = parseQuery(t, l, "sort=mood&cursor="+cursor(`"bored",3`))
	p := decProblem(t, err, http.StatusUnprocessableEntity)
	assert.Equal(t, []FieldError{{Loc: []any{"query", "cursor"}, Code: CodeInvalidCursor, Message: "is not a cursor this API issued"}}, p.Errors)
}

// A pattern the database refuses, as a hook's query could send it, is the
// client's error.
func TestPatternErrorsAreClientErrors(t *testing.T) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.URL(t))
	require.NoError(t, err)
	defer conn.Close(ctx)
	for _, sql := range []string{`SELECT 'ab' LIKE 'a\'`, `SELECT 'a' ~ '('`, `SELECT 'a' LIKE 'a' ESCAPE 'xy'`} {
		_, err := conn.Exec(ctx, sql)
		require.Error(t, err, sql)
		p := (&API{}).problemFor(httptest.NewRequest(http.MethodGet, "/things?name[like]=a%5C", nil), err, nil)
		assert.Equal(t, http.StatusUnprocessableEntity, p.Status, "%s: %v", sql, err)
		assert.Equal(t, []FieldError{{Loc: []any{"query"}, Code: CodeFormat, Message: "is not a valid pattern"}}, p.Errors, sql)
	}
}

// A created row's Location names it whatever its key: path.Join would
// turn ".." into the parent collection.
func TestLocationOfAnyKey(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/tags/", nil)
	for key, want := range map[string]string{
		"go": "/tags/go", "with space": "/tags/with%20space", "a/b": "/tags/a%2Fb", "é": "/tags/%C3%A9",
		".": "/tags/%2E", "..": "/tags/%2E%2E", "...": "/tags/...", "%": "/tags/%25", "?#": "/tags/%3F%23",
	} {
		assert.Equal(t, want, Location(r, key), key)
	}
	assert.Equal(t, "/api/post_tags/1/%2E%2E", Location(httptest.NewRequest(http.MethodPost, "/api/post_tags", nil), "1", ".."))
}

func TestPathKey(t *testing.T) {
	var errs FieldErrors
	for _, ok := range []string{"go", "...", ".a", " ", "%2E"} {
		PathKey(&errs, ok, "body", "name")
	}
	assert.Empty(t, errs)
	PathKey(&errs, "", "body", "name")
	PathKey(&errs, "..", "body", 3, "tag")
	assert.Equal(t, FieldErrors{
		{Loc: []any{"body", "name"}, Code: CodeMinLength, Message: "must not be empty: it is part of the row's URL"},
		{Loc: []any{"body", 3, "tag"}, Code: CodeFormat, Message: "must not be . or ..: it is part of the row's URL"},
	}, errs)
}
