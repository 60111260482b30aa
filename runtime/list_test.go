package runtime

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testList() *List {
	return &List{
		Table:  "public.posts",
		Select: "id, title, status::text, rating",
		Columns: []Column{
			{Name: "id", SQL: "id", Ops: OrderedOps, Sort: true, Value: ValueOf(ParseInt64, ReadInt64, "")},
			{Name: "title", SQL: "title", Ops: TextOps, Sort: true, Value: ValueOf(ParseString, ReadString, "")},
			{Name: "status", SQL: "status", Ops: OrderedOps, Sort: true, Value: ValueOf(ParseString, ReadString, "::text::public.post_status")},
			{Name: "rating", SQL: "rating", Ops: OrderedOps, Sort: true, Nullable: true, Value: ValueOf(ParseDecimal, ReadDecimal, "")},
			{Name: "tags", SQL: "tags", Ops: ArrayOps, Value: ElemsOf(ParseString, "")},
			{Name: "meta", SQL: "meta", Ops: JSONBOps, Value: JSONValue},
			{Name: "limit", SQL: `"limit"`, Ops: EqOnly, Sort: true, Value: ValueOf(ParseInt32, ReadInt32, "")},
		},
		Key: []string{"id"},
		Relations: []Relation{
			{Name: "author", SQL: "(SELECT ROW(rel.id) FROM public.authors AS rel WHERE rel.id = public.posts.author_id)"},
			{Name: "comments", Many: true, SQL: "ARRAY(SELECT ROW(rel.id) FROM public.comments AS rel WHERE rel.post_id = public.posts.id ORDER BY rel.id LIMIT %s)"},
		},
	}
}

func parseQuery(t *testing.T, l *List, query string) (*ListQuery, error) {
	t.Helper()
	return l.Parse(httptest.NewRequest(http.MethodGet, "/posts?"+query, nil))
}

func TestArrayCast(t *testing.T) {
	assert.Equal(t, "", arrayCast(""))
	assert.Equal(t, "::text[]::public.mood[]", arrayCast("::text::public.mood"))
	assert.Equal(t, "::character varying[]", arrayCast("::character varying"))
}

func TestSelectSQL(t *testing.T) {
	l := testList()
	for _, tc := range []struct {
		query, sql string
		args       int
	}{
		{"", "SELECT id, title, status::text, rating FROM public.posts ORDER BY public.posts.id LIMIT $1", 1},
		{"title=a&status[in]=x&status[in]=y&rating[is]=null&tags[contains]=go&meta[contains]={}&limit[eq]=3",
			"SELECT id, title, status::text, rating FROM public.posts WHERE " +
				`"limit" = $1 AND meta @> $2::jsonb AND rating IS NULL AND status = ANY($3::text[]::public.post_status[]) AND tags @> $4 AND title = $5 ` +
				"ORDER BY public.posts.id LIMIT $6", 6},
		{"title[ilike]=a%25&id[gte]=3&sort=-rating,title&offset=20",
			"SELECT id, title, status::text, rating FROM public.posts WHERE id >= $1 AND title ILIKE $2 ORDER BY public.posts.rating DESC, public.posts.title, public.posts.id LIMIT $3 OFFSET $4", 4},
		{"include=comments,author&include_limit=3",
			"SELECT id, title, status::text, rating, ARRAY(SELECT ROW(rel.id) FROM public.comments AS rel WHERE rel.post_id = public.posts.id ORDER BY rel.id LIMIT $1), " +
				"(SELECT ROW(rel.id) FROM public.authors AS rel WHERE rel.id = public.posts.author_id) FROM public.posts ORDER BY public.posts.id LIMIT $2", 2},
	} {
		q, err := parseQuery(t, l, tc.query)
		require.NoError(t, err, tc.query)
		sql, args := l.SelectSQL(q)
		assert.Equal(t, tc.sql, sql, tc.query)
		assert.Len(t, args, tc.args, tc.query)
	}
}

// TestCursors: the after condition for each kind of order, and cursors
// that come back as they went out.
func TestCursors(t *testing.T) {
	l := testList()
	next := func(query string, values map[int]string) string {
		q, err := parseQuery(t, l, query)
		require.NoError(t, err)
		return l.nextCursor(q, func(b []byte, col int) []byte { return append(b, values[col]...) })
	}
	row := map[int]string{0: "7", 1: `"b"`, 2: `"draft"`, 3: "null"}
	for _, tc := range []struct{ sort, where string }{
		{"", "WHERE (id) > ($1)"},
		{"-id", "WHERE (id) < ($1)"},
		{"title", "WHERE (title, id) > ($1, $2)"},
		{"-title,-id", "WHERE (title, id) < ($1, $2)"},
		{"title,-id", "WHERE ((title > $1) OR (title = $1 AND id < $2))"},
		{"rating,title", "WHERE ((rating IS NULL AND title > $1) OR (rating IS NULL AND title = $1 AND id > $2))"},
		{"-rating,title", "WHERE ((rating IS NOT NULL) OR (rating IS NULL AND title > $1) OR (rating IS NULL AND title = $1 AND id > $2))"},
		{"status", "WHERE (status, id) > ($1::text::public.post_status, $2)"},
	} {
		query := "sort=" + tc.sort
		cursor := next(query, row)
		q, err := parseQuery(t, l, query+"&cursor="+cursor)
		require.NoError(t, err, tc.sort)
		sql, _ := l.SelectSQL(q)
		assert.Contains(t, sql, tc.where, tc.sort)
	}
	// A non-null nullable value: later rows include the nulls.
	q, err := parseQuery(t, l, "sort=rating&cursor="+next("sort=rating", map[int]string{0: "7", 3: `"1.5"`}))
	require.NoError(t, err)
	sql, args := l.SelectSQL(q)
	assert.Contains(t, sql, "WHERE (((rating > $1 OR rating IS NULL)) OR (rating = $1 AND id > $2))")
	assert.Equal(t, MustDecimal("1.5"), args[0])

	for _, tc := range []struct{ query, msg string }{
		{"cursor=" + next("sort=title", row), "belongs to sort=title"},
		{"sort=-title&cursor=" + next("sort=title", row), "belongs to sort=title"},
		{"sort=title&cursor=" + next("", row), "belongs to the default order"},
		{"cursor=!!", "is not a cursor"},
		{"cursor=" + next("", map[int]string{0: `"x"`}), "is not a cursor"},
	} {
		_, err := parseQuery(t, l, tc.query)
		var p *Problem
		require.ErrorAs(t, err, &p, tc.query)
		require.Len(t, p.Errors, 1)
		assert.Equal(t, CodeInvalidCursor, p.Errors[0].Code)
		assert.Contains(t, p.Errors[0].Message, tc.msg, tc.query)
	}
}

func TestKeylessCursorsCarryOffsets(t *testing.T) {
	l := testList()
	l.Key = nil
	q, err := parseQuery(t, l, "limit=10&offset=20")
	require.NoError(t, err)
	cursor := l.nextCursor(q, nil)
	q, err = parseQuery(t, l, "limit=10&cursor="+cursor)
	require.NoError(t, err)
	assert.Equal(t, 30, q.Offset)
	sql, _ := l.SelectSQL(q)
	assert.True(t, strings.HasSuffix(sql, "ORDER BY public.posts.id, public.posts.title, public.posts.status, public.posts.rating, public.posts.\"limit\" LIMIT $1 OFFSET $2"), sql)
}

func TestInsertSQL(t *testing.T) {
	var q Insert
	q.Row()
	q.Add("a", "", 1)
	q.Row()
	q.Add("b", "::text::mood", "x")
	q.Add("a", "", 2)
	assert.Equal(t, "INSERT INTO t (a, b) VALUES ($1, DEFAULT), ($3, $2::text::mood) RETURNING *", q.SQL("t", "*"))
	assert.Equal(t, []any{1, "x", 2}, q.Args())

	q.OnConflict("a")
	assert.Equal(t, "INSERT INTO t (a, b) VALUES ($1, DEFAULT), ($3, $2::text::mood) ON CONFLICT (a) DO UPDATE SET b = EXCLUDED.b RETURNING (xmax = 0), *", q.SQL("t", "*"))

	var empty Insert
	assert.Equal(t, "INSERT INTO t DEFAULT VALUES RETURNING *", empty.SQL("t", "*"))
	empty.Row()
	empty.Row()
	assert.Equal(t, "INSERT INTO t SELECT FROM generate_series(1, 2) RETURNING *", empty.SQL("t", "*"))
	var keyOnly Insert
	keyOnly.Add("k", "", 1)
	keyOnly.OnConflict("k")
	assert.Equal(t, "INSERT INTO t (k) VALUES ($1) ON CONFLICT (k) DO UPDATE SET k = EXCLUDED.k RETURNING (xmax = 0), *", keyOnly.SQL("t", "*"))
}

// TestInsertSameColumns: the rows of an upsert must carry the same
// columns; each one a row lacks is located.
func TestInsertSameColumns(t *testing.T) {
	var q Insert
	q.Row()
	q.Add("a", "", 1)
	q.Add(`"Order"`, "", 1)
	q.Row()
	q.Add("a", "", 2)
	q.Row()
	q.Add("a", "", 3)
	q.Add(`"Order"`, "", 3)
	q.Add("b", "", 3)
	err := q.SameColumns()
	require.Error(t, err)
	p, ok := errors.AsType[*Problem](err)
	require.True(t, ok)
	assert.Equal(t, http.StatusUnprocessableEntity, p.Status)
	var locs [][]any
	for _, e := range p.Errors {
		assert.Equal(t, CodeRequired, e.Code)
		locs = append(locs, e.Loc)
	}
	assert.Equal(t, [][]any{{"body", 0, "b"}, {"body", 1, "Order"}, {"body", 1, "b"}}, locs)

	var one, same Insert
	one.Add("a", "", 1)
	assert.NoError(t, one.SameColumns())
	for range 3 {
		same.Row()
		same.Add("a", "", 1)
		same.Add("b", "", 1)
	}
	assert.NoError(t, same.SameColumns())
}

func TestPreferMerge(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	assert.False(t, PreferMerge(r))
	r.Header.Add("Prefer", "return=representation, Resolution=Merge-Duplicates")
	assert.True(t, PreferMerge(r))
	r.Header.Set("Prefer", "resolution=ignore-duplicates")
	assert.False(t, PreferMerge(r))
}

// testCreate is a create request with one required string field.
type testCreate struct{ Name string }

func (c *testCreate) DecodeJSON(d *Decoder) {
	var has bool
	if !d.Object(func(key string) {
		switch key {
		case "name":
			has = ReadString(d, &c.Name)
		default:
			d.Unknown()
		}
	}) {
		return
	}
	if !has {
		d.Required("name")
	}
}

func (c *testCreate) Validate() error {
	var errs FieldErrors
	MaxLength(&errs, c.Name, 3, "body", "name")
	return errs.Err()
}

func TestDecodeCreate(t *testing.T) {
	decode := func(body string) ([]testCreate, bool, error) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		return DecodeCreate[testCreate](nil, r, 1)
	}
	reqs, many, err := decode(`{"name": "a"}`)
	require.NoError(t, err)
	assert.False(t, many)
	assert.Equal(t, []testCreate{{"a"}}, reqs)

	reqs, many, err = decode(` [{"name": "a"}, {"name": "b"}]`)
	require.NoError(t, err)
	assert.True(t, many)
	assert.Equal(t, []testCreate{{"a"}, {"b"}}, reqs)

	locs := func(err error) []string {
		var p *Problem
		require.ErrorAs(t, err, &p)
		var out []string
		for _, e := range p.Errors {
			out = append(out, e.String())
		}
		return out
	}
	_, _, err = decode(`{"name": "long"}`)
	assert.Equal(t, []string{"body.name: must be at most 3 characters (max_length)"}, locs(err))
	_, _, err = decode(`[{"name": "a"}, {"name": "long"}, {}, {"name": "b", "x": 1}]`)
	assert.Equal(t, []string{"body.2.name: is required (required)", "body.3.x: unknown field (unknown_field)"}, locs(err))
	_, _, err = decode(`[{"name": "a"}, {"name": "long"}, {"name": "longer"}]`)
	assert.Equal(t, []string{"body.1.name: must be at most 3 characters (max_length)", "body.2.name: must be at most 3 characters (max_length)"}, locs(err))
	_, _, err = decode(`[]`)
	assert.Equal(t, []string{"body: a bulk create needs at least one row (min_length)"}, locs(err))
	_, _, err = decode(`[1`)
	var p *Problem
	require.ErrorAs(t, err, &p)
	assert.Equal(t, http.StatusBadRequest, p.Status)
}
