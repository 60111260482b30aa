package types_test

// Lists over thousands of rows of every type family: each filter the
// OpenAPI document names is run through the API and compared with the
// same condition written as SQL against the stored values; whole tables
// are paged through in many orders; counts are compared with count(*);
// and every invalid parameter is a 422 located at it.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

// listRows is how many rows of scalars the list tests page through.
const listRows = 3000

// seedSQL fills the tables with rows whose values repeat (so that orders
// need their tiebreaker) and are NULL now and then.
var seedSQL = fmt.Sprintf(`
INSERT INTO scalars (i2, i2n, i4, i4n, i8, i8n, dec, decn, num, numn, dec0, wide,
    f4, f4n, f8, f8n, t, tn, vc, vcn, vu, ch, chn, c1, ci, cin, nm, b, bn, u, un,
    tstz, tstzn, tstz0, ts, tsn, ts3, d, dn, tm, tmn, tm2, iv, ivn, ivd,
    by, byn, js, jsn, jb, jbn, ip, ipn, net, netn, m, mn)
SELECT (g %% 50)::int2, CASE WHEN g %% 7 = 0 THEN NULL ELSE (g %% 13)::int2 END,
    (g * 7919) %% 1000, CASE WHEN g %% 5 = 0 THEN NULL ELSE (g * 31) %% 200 END,
    g::int8 * 1000003, CASE WHEN g %% 6 = 0 THEN NULL ELSE -g END,
    ((g %% 1000) / 7.0)::numeric(10,2), CASE WHEN g %% 4 = 0 THEN NULL ELSE (g %% 90) / 3.0 END,
    (g %% 300) / 9.0, CASE WHEN g %% 3 = 0 THEN NULL ELSE g %% 17 END, g %% 999, g / 7.0,
    (g %% 97) / 10.0, CASE WHEN g %% 9 = 0 THEN NULL ELSE (g %% 31) / 3.0 END,
    (g %% 89) / 7.0, CASE WHEN g %% 8 = 0 THEN NULL ELSE g / 11.0 END,
    'text ' || (g %% 200), CASE WHEN g %% 4 = 0 THEN NULL ELSE chr(65 + g %% 26) || g %% 40 END,
    'v' || (g %% 300), CASE WHEN g %% 5 = 1 THEN NULL ELSE 'W' || g %% 20 END, 'free ' || g %% 3,
    lpad((g %% 1000)::text, 3, '0'), CASE WHEN g %% 2 = 0 THEN NULL ELSE chr(97 + g %% 26) END, chr(97 + g %% 26),
    CASE WHEN g %% 2 = 0 THEN 'Mixed' ELSE 'mixed' END || g %% 10, CASE WHEN g %% 3 = 0 THEN NULL ELSE 'C' || g %% 7 END,
    'n' || g %% 20, g %% 2 = 0, CASE WHEN g %% 3 = 0 THEN NULL ELSE g %% 3 = 1 END,
    md5((g %% 700)::text)::uuid, CASE WHEN g %% 4 = 0 THEN NULL ELSE md5((g %% 30)::text)::uuid END,
    '2024-01-01 00:00:00+00'::timestamptz + (g %% 500) * interval '1 hour 17 minutes 0.123456 seconds',
    CASE WHEN g %% 5 = 0 THEN NULL ELSE '2023-06-01 12:00:00+00'::timestamptz + (g %% 40) * interval '1 day' END,
    '2025-01-01 00:00:00+00'::timestamptz + (g %% 60) * interval '1 minute',
    '2024-01-01 00:00:00'::timestamp + (g %% 400) * interval '3 hours 0.5 seconds',
    CASE WHEN g %% 6 = 0 THEN NULL ELSE '2020-02-29 00:00:00'::timestamp + (g %% 25) * interval '1 day' END,
    '2022-01-01 00:00:00'::timestamp + g * interval '1.5 seconds',
    date '2024-01-01' + g %% 400, CASE WHEN g %% 7 = 0 THEN NULL ELSE date '1999-12-31' + g %% 30 END,
    time '00:00' + (g %% 1440) * interval '1 minute' + interval '0.25 seconds',
    CASE WHEN g %% 3 = 0 THEN NULL ELSE time '08:00' + (g %% 60) * interval '1 minute' END, time '12:00' + g %% 10 * interval '1.5 s',
    (g %% 100) * interval '1 day 2 hours', CASE WHEN g %% 4 = 0 THEN NULL ELSE (g %% 12) * interval '1 month' END,
    (g %% 50) * interval '1 minute',
    decode(lpad(to_hex(g %% 4096), 4, '0'), 'hex'), CASE WHEN g %% 2 = 0 THEN NULL ELSE decode(to_hex(16 + g %% 200), 'hex') END,
    json_build_object('g', g), CASE WHEN g %% 3 = 0 THEN NULL ELSE json_build_array(g) END,
    jsonb_build_object('g', g %% 10, 'tags', jsonb_build_array('a' || g %% 3)), CASE WHEN g %% 5 = 0 THEN NULL ELSE jsonb_build_object('k', g %% 4) END,
    ('10.0.' || g %% 256 || '.' || g %% 7)::inet, CASE WHEN g %% 3 = 0 THEN NULL ELSE ('fd00::' || to_hex(g %% 100))::inet END,
    ('10.' || g %% 256 || '.0.0/16')::cidr, CASE WHEN g %% 4 = 0 THEN NULL ELSE ('192.168.' || g %% 16 || '.0/24')::cidr END,
    (enum_range(NULL::mood))[1 + g %% 3], CASE WHEN g %% 4 = 0 THEN NULL ELSE (enum_range(NULL::mood))[1 + g %% 2] END
FROM generate_series(1, %d) g;

INSERT INTO arrays (ints, intsn, texts, decs, uuids, times, dates, moods, prices, citexts)
SELECT ARRAY[g %% 10, g %% 7, g %% 3], CASE WHEN g %% 4 = 0 THEN NULL ELSE ARRAY[g %% 5] END,
    ARRAY['t' || g %% 6, 'u' || g %% 4], ARRAY[(g %% 9) / 4.0]::numeric(10,2)[], ARRAY[md5((g %% 8)::text)::uuid],
    ARRAY['2024-01-01 00:00:00+00'::timestamptz + (g %% 5) * interval '1 day'], ARRAY[date '2024-01-01' + g %% 6],
    ARRAY[(enum_range(NULL::mood))[1 + g %% 3]], ARRAY[(g %% 5)::numeric(10,2)]::price[], ARRAY[('Ci' || g %% 3)::citext]
FROM generate_series(1, 400) g;

INSERT INTO domains (id, sc, scn, p, pr, prn, co, con, st, em, fl, gm, gmn, mo, du, ho)
SELECT g, (g %% 20)::int2, CASE WHEN g %% 3 = 0 THEN NULL ELSE (g %% 9)::int2 END, g, (g %% 70) / 4.0,
    CASE WHEN g %% 2 = 0 THEN NULL ELSE g %% 11 END, chr(65 + g %% 3) || 'BC', CASE WHEN g %% 5 = 0 THEN NULL ELSE 'X' || chr(65 + g %% 4) || 'Z' END,
    's' || g %% 9, 'User' || g %% 6 || '@x.org', g %% 2 = 0, CASE WHEN g %% 2 = 0 THEN 'ok' ELSE 'happy' END::good_mood,
    CASE WHEN g %% 3 = 0 THEN NULL ELSE 'happy' END::good_mood,
    '2020-01-01 00:00:00+00'::timestamptz + (g %% 30) * interval '1 day', (1 + g %% 8) * interval '1 hour',
    ('172.16.0.' || g %% 40)::inet
FROM generate_series(1, 400) g;

INSERT INTO fallbacks (lt, ltn, pt, r4, mo, mac, x)
SELECT ('top.n' || g %% 7)::ltree, CASE WHEN g %% 3 = 0 THEN NULL ELSE ('a.b' || g %% 4)::ltree END,
    point(g %% 5, g %% 3), int4range(g %% 10, 10 + g %% 10), (g %% 50)::money,
    ('08:00:2b:01:02:' || lpad(to_hex(g %% 256), 2, '0'))::macaddr, ('<r n="' || g %% 6 || '"/>')::xml
FROM generate_series(1, 400) g;

ANALYZE scalars;
ANALYZE arrays;
ANALYZE domains;
ANALYZE fallbacks;
`, listRows)

// compareAs are the columns filters compare as another type, by table:
// as text when their types travel as text, as the base type for domains
// over enums (whose = does not take a domain).
var compareAs = map[string]map[string]string{
	"scalars":   {"ci": "ci::text", "cin": "cin::text"},
	"arrays":    {"moods": "moods::text[]", "citexts": "citexts::text[]", "prices": "prices::numeric[]"},
	"domains":   {"em": "em::text", "gm": "gm::mood", "gmn": "gmn::mood"},
	"fallbacks": {"lt": "lt::text", "ltn": "ltn::text", "pt": "pt::text", "r4": "r4::text", "mo": "mo::text", "mac": "mac::text", "x": "x::text"},
}

// newListServer serves the API over a seeded database of the test's own.
func newListServer(t *testing.T) *server {
	t.Helper()
	s, err := start(pgtest.Fresh(t))
	require.NoError(t, err)
	t.Cleanup(s.close)
	_, err = s.db.Exec(context.Background(), seedSQL)
	require.NoError(t, err)
	return s
}

// ids returns the id column of query, in order.
func (s *server) ids(t *testing.T, query string, args ...any) []string {
	t.Helper()
	rows, err := s.db.Query(context.Background(), query, args...)
	require.NoError(t, err, query)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var id any
		if err := r.Scan(&id); err != nil {
			return "", err
		}
		return fmt.Sprint(id), nil
	})
	require.NoError(t, err, query)
	return out
}

// listed pages through a list with the query string q (without cursor),
// limit rows at a time, and returns the rows' ids in order and how many
// pages it took. Every page but the first is fetched with the previous
// page's cursor.
func (s *server) listed(t *testing.T, path, q string, limit int) (ids []string, rows []map[string]json.RawMessage, pages int) {
	t.Helper()
	ids = []string{}
	cursor := ""
	for {
		u := fmt.Sprintf("%s?%s&limit=%d", path, q, limit)
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		res, err := s.HTTP.Get(s.Base + u)
		require.NoError(t, err)
		var page struct {
			Items []map[string]json.RawMessage `json:"items"`
			Next  string                       `json:"next_cursor"`
		}
		dec := json.NewDecoder(res.Body)
		require.Equal(t, http.StatusOK, res.StatusCode, u)
		require.NoError(t, dec.Decode(&page), u)
		require.NoError(t, res.Body.Close())
		pages++
		require.LessOrEqual(t, len(page.Items), limit, u)
		for _, it := range page.Items {
			var id any
			require.NoError(t, json.Unmarshal(it["id"], &id))
			ids = append(ids, fmt.Sprint(id))
		}
		rows = append(rows, page.Items...)
		if page.Next == "" {
			return ids, rows, pages
		}
		require.Len(t, page.Items, limit, "%s: a page before the last is full", u)
		require.Less(t, pages, 10000, "paging does not end")
		cursor = page.Next
	}
}

// paramText is a JSON value as a query parameter: strings unquoted,
// anything else as written.
func paramText(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		require.NoError(t, json.Unmarshal(raw, &s))
		return s
	}
	return string(raw)
}

// documentedFilters returns the filter parameters the OpenAPI document
// gives GET path: column name and operator ("eq" for the bare form).
func documentedFilters(t *testing.T, s *server, path string) [][2]string {
	t.Helper()
	doc, _ := apitest.Document(t, s.Doc)
	op := doc.Paths.Find(path).Get
	require.NotNil(t, op, path)
	var out [][2]string
	for _, p := range op.Parameters {
		name := p.Value.Name
		switch name {
		case "limit", "cursor", "offset", "count", "sort", "include", "include_limit":
			continue
		}
		col, op, ok := strings.Cut(strings.TrimSuffix(name, "]"), "[")
		if !ok {
			op = "eq"
		}
		out = append(out, [2]string{col, op})
	}
	return out
}

// TestListFilters runs every documented filter of every table, on values
// taken from rows the API listed, and compares the rows it keeps with the
// same condition in SQL over what PostgreSQL stored. Each request also
// keeps id <= 300, so filters combine with AND.
func TestListFilters(t *testing.T) {
	s := newListServer(t)
	const bound = 300
	for _, table := range []string{"scalars", "arrays", "domains", "fallbacks"} {
		path := "/" + table
		_, rows, _ := s.listed(t, path, "", 1000)
		require.NotEmpty(t, rows)
		byID := map[string]map[string]json.RawMessage{}
		var order []string
		for _, r := range rows {
			id := paramText(t, r["id"])
			byID[id], order = r, append(order, id)
		}
		boundParam, boundSQL := "id[lte]=300", "id <= 300"
		if table == "fallbacks" { // uuid keys: bound by position instead
			boundParam = "id[lte]=" + url.QueryEscape(slices.Sorted(slices.Values(order))[bound-1])
			boundSQL = fmt.Sprintf("id <= '%s'", slices.Sorted(slices.Values(order))[bound-1])
		}
		tested := 0
		for _, f := range documentedFilters(t, s, path) {
			col, op := f[0], f[1]
			if col == "id" && op != "eq" && op != "in" && op != "is" {
				continue // the bound itself
			}
			expr := pgx.Identifier{col}.Sanitize()
			if e, ok := compareAs[table][col]; ok {
				expr = e
			}
			// probes are rows whose value in col is not null.
			var probes []string
			for _, id := range order {
				if v := byID[id][col]; len(v) > 0 && string(v) != "null" && string(v) != "[]" {
					probes = append(probes, id)
				}
			}
			if len(probes) == 0 && op != "is" {
				continue // a column the seed leaves empty
			}
			at := func(i int) string { return probes[(i*37+11)%len(probes)] }
			tbl := pgx.Identifier{table}.Sanitize()
			valueOf := func(id string) string {
				return fmt.Sprintf("(SELECT %s FROM %s WHERE id = '%s')", expr, tbl, id)
			}
			var params url.Values = url.Values{}
			param := col + "[" + op + "]"
			if op == "eq" && !strings.Contains(col, "[") {
				param = col
			}
			var cond string
			var args []any
			switch op {
			case "eq", "ne", "lt", "lte", "gt", "gte":
				p := at(1)
				params.Add(param, paramText(t, byID[p][col]))
				sqlOp := map[string]string{"eq": "=", "ne": "<>", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}[op]
				cond = expr + " " + sqlOp + " " + valueOf(p)
			case "in":
				var ins []string
				for i := range 3 {
					params.Add(param, paramText(t, byID[at(i)][col]))
					ins = append(ins, "'"+at(i)+"'")
				}
				cond = fmt.Sprintf("%s IN (SELECT %s FROM %s WHERE id IN (%s))", expr, expr, tbl, strings.Join(ins, ", "))
			case "is":
				params.Add(param, "null")
				cond = expr + " IS NULL"
				if len(probes) > 0 && len(probes)%2 == 0 {
					params.Set(param, "not_null")
					cond = expr + " IS NOT NULL"
				}
			case "like", "ilike":
				v := paramText(t, byID[at(2)][col])
				pattern := string([]rune(v)[:min(2, len([]rune(v)))]) + "%"
				if op == "ilike" {
					pattern = strings.ToLower(pattern)
				}
				params.Add(param, pattern)
				cond = expr + " " + strings.ToUpper(op) + " $1"
				args = append(args, pattern)
			case "contains", "overlaps":
				raw := byID[at(3)][col]
				if raw[0] != '[' { // jsonb: the document itself
					params.Add(param, string(raw))
					cond = expr + " @> $1::jsonb"
					args = append(args, string(raw))
					break
				}
				var elems []json.RawMessage
				require.NoError(t, json.Unmarshal(raw, &elems))
				n := min(2, len(elems))
				if op == "overlaps" {
					n = 1
				}
				for _, e := range elems[:n] {
					params.Add(param, paramText(t, e))
				}
				sqlOp := map[string]string{"contains": "@>", "overlaps": "&&"}[op]
				cond = fmt.Sprintf("%s %s (SELECT (%s)[1:%d] FROM %s WHERE id = '%s')", expr, sqlOp, expr, n, tbl, at(3))
			default:
				t.Fatalf("%s: operator %s has no test", table, op)
			}
			got, _, _ := s.listed(t, path, boundParam+"&"+params.Encode(), 1000)
			want := s.ids(t, fmt.Sprintf("SELECT id::text FROM %s t WHERE %s AND %s ORDER BY t.id", tbl, cond, boundSQL), args...)
			require.Equal(t, want, got, "%s?%s: rows differ from WHERE %s", path, params.Encode(), cond)
			// The document describes the request; one row is enough to check it.
			s.Do(t, http.MethodGet, path+"?limit=1&"+params.Encode(), nil).Items(t)
			tested++
		}
		t.Logf("%s: %d filters compared with SQL", table, tested)
		if table == "scalars" {
			assert.GreaterOrEqual(t, tested, 300, "every filter of every native type")
		}
	}
}

// TestListPaging pages through all of scalars in many orders, 97 rows at
// a time: every row comes exactly once, in the order the same ORDER BY
// gives in SQL (nulls last ascending, first descending, the key last).
func TestListPaging(t *testing.T) {
	s := newListServer(t)
	for _, tc := range []struct{ sort, orderBy string }{
		{"", "id"},
		{"-id", "id DESC"},
		{"i4", "i4, id"},
		{"-i4", "i4 DESC, id"},
		{"i4n", "i4n NULLS LAST, id"},
		{"-i4n", "i4n DESC NULLS FIRST, id"},
		{"i4n,-t", "i4n, t DESC, id"},
		{"-tn,i2n,-id", "tn DESC NULLS FIRST, i2n NULLS LAST, id DESC"},
		{"m,-tstzn", "m, tstzn DESC NULLS FIRST, id"},
		{"-dec,b,u", "dec DESC, b, u, id"},
		{"ci,-f4n", "ci::text, f4n DESC, id"},
		{"d,tm,-iv", "d, tm, iv DESC, id"},
		{"-decn,by", "decn DESC, by, id"},
		{"ipn,netn,tsn", "ipn, netn, tsn, id"},
		{"mn,-bn,numn", "mn, bn DESC, numn, id"},
	} {
		t.Run(tc.sort, func(t *testing.T) {
			q := ""
			if tc.sort != "" {
				q = "sort=" + url.QueryEscape(tc.sort)
			}
			got, _, pages := s.listed(t, "/scalars", q, 97)
			want := s.ids(t, "SELECT id FROM scalars ORDER BY "+tc.orderBy)
			require.Len(t, want, listRows)
			assert.Equal(t, (listRows+96)/97, pages)
			require.Equal(t, want, got)
		})
	}
	// Filters and a sort together, and a limit that divides the rows.
	got, _, _ := s.listed(t, "/scalars", "b=true&sort=-i4n,t", 50)
	require.Equal(t, s.ids(t, "SELECT id FROM scalars WHERE b ORDER BY i4n DESC, t, id"), got)
	// Arrays sort only by their other columns.
	got, _, _ = s.listed(t, "/arrays", "sort=-id", 33)
	require.Equal(t, s.ids(t, "SELECT id FROM arrays ORDER BY id DESC"), got)
}

// TestListOffset: offset skips rows of the same order, and the page it
// gives has a cursor that continues it.
func TestListOffset(t *testing.T) {
	s := newListServer(t)
	all := s.ids(t, "SELECT id FROM scalars ORDER BY i4n DESC, id")
	page := s.Do(t, http.MethodGet, "/scalars?sort=-i4n&offset=120&limit=10", nil)
	items, next := page.Page(t)
	require.Len(t, items, 10)
	for i, it := range items {
		assert.Equal(t, all[120+i], fmt.Sprint(it.(map[string]any)["id"]))
	}
	items, _ = s.Do(t, http.MethodGet, "/scalars?sort=-i4n&limit=10&cursor="+url.QueryEscape(next), nil).Page(t)
	assert.Equal(t, all[130], fmt.Sprint(items[0].(map[string]any)["id"]))
	items, next = s.Do(t, http.MethodGet, fmt.Sprintf("/scalars?offset=%d", listRows-1), nil).Page(t)
	assert.Len(t, items, 1)
	assert.Empty(t, next)
}

// TestListCounts: count=exact is count(*) of the filtered rows, on every
// page; count=estimated is the planner's figure, which for a whole
// analyzed table is its size.
func TestListCounts(t *testing.T) {
	s := newListServer(t)
	for _, q := range []string{"", "b=true", "i4n[is]=null", "m[in]=sad&m[in]=happy&d[gte]=2024-06-01", "t[like]=text 1%25", "i4[gt]=2000"} {
		var want int64
		where := map[string]string{
			"": "true", "b=true": "b", "i4n[is]=null": "i4n IS NULL",
			"m[in]=sad&m[in]=happy&d[gte]=2024-06-01": "m IN ('sad', 'happy') AND d >= '2024-06-01'",
			"t[like]=text 1%25":                       "t LIKE 'text 1%'", "i4[gt]=2000": "i4 > 2000",
		}[q]
		require.NoError(t, s.db.QueryRow(context.Background(), "SELECT count(*) FROM scalars WHERE "+where).Scan(&want))
		page := s.Do(t, http.MethodGet, "/scalars?count=exact&limit=7&"+strings.ReplaceAll(q, " ", "+"), nil).Object(t, http.StatusOK)
		assert.Equal(t, json.Number(fmt.Sprint(want)), page["total"], q)
		assert.NotContains(t, page, "total_estimate")
		if next, ok := page["next_cursor"].(string); ok {
			second := s.Do(t, http.MethodGet, "/scalars?count=exact&limit=7&cursor="+url.QueryEscape(next)+"&"+strings.ReplaceAll(q, " ", "+"), nil).Object(t, http.StatusOK)
			assert.Equal(t, json.Number(fmt.Sprint(want)), second["total"], "the total of every page is the filter's")
		}
	}
	page := s.Do(t, http.MethodGet, "/scalars?count=estimated&limit=1", nil).Object(t, http.StatusOK)
	assert.Equal(t, json.Number(fmt.Sprint(listRows)), page["total_estimate"])
	assert.NotContains(t, page, "total")
	page = s.Do(t, http.MethodGet, "/scalars?count=estimated&limit=1&b=true", nil).Object(t, http.StatusOK)
	est, err := page["total_estimate"].(json.Number).Int64()
	require.NoError(t, err)
	assert.InDelta(t, listRows/2, est, listRows/10, "the planner knows b is true half the time")
	assert.NotContains(t, s.Do(t, http.MethodGet, "/scalars?limit=1", nil).Object(t, http.StatusOK), "total", "no count unless asked")
}

// TestListRejects: every invalid parameter is a 422 located at it, and
// several are reported together.
func TestListRejects(t *testing.T) {
	s := newListServer(t)
	_, next := s.Do(t, http.MethodGet, "/scalars?limit=2&sort=i4", nil).Page(t)
	_, nextDefault := s.Do(t, http.MethodGet, "/scalars?limit=2", nil).Page(t)
	tampered := func(json string) string { return base64URL(json) }
	for _, tc := range []struct {
		query string
		loc   string
		code  string
	}{
		{"i4=abc", "i4", "type"},
		{"i4[gt]=1.5", "i4[gt]", "type"},
		{"i2=40000", "i2", "type"},
		{"dec[lt]=ten", "dec[lt]", "type"},
		{"f8[gte]=nan", "f8[gte]", "type"}, {"f8=1e400", "f8", "type"},
		{"u=not-a-uuid", "u", "type"},
		{"tstz[gt]=yesterday", "tstz[gt]", "type"},
		{"tstz=2024-01-01T00:00:00", "tstz", "type"},
		{"ts=2024-01-01T00:00:00Z", "ts", "type"},
		{"d=2024-13-01", "d", "type"},
		{"tm=25:00:00", "tm", "type"},
		{"iv=forever", "iv", "type"},
		{"by=***", "by", "type"},
		{"ip=10.0.0.300", "ip", "type"},
		{"net=10.0.0.1/8", "net", "type"},
		{"m=angry", "m", "type"},
		{"m[in]=ok&m[in]=angry", "m[in]", "type"},
		{"b=yes", "b", "type"},
		{"i4n[is]=nothing", "i4n[is]", "enum"},
		{"jb[contains]={oops", "jb[contains]", "type"},
		{"i4=1&i4=2", "i4", "type"},
		{"nope=1", "nope", "unknown_field"},
		{"t[gt]=a&t[between]=b", "t[between]", "unknown_field"},
		{"i4[like]=1", "i4[like]", "unknown_field"},
		{"js=1", "js", "unknown_field"},
		{"limit=0", "limit", "minimum"},
		{"limit=1001", "limit", "maximum"},
		{"limit=ten", "limit", "type"},
		{"limit=1&limit=2", "limit", "type"},
		{"offset=-1", "offset", "minimum"},
		{"offset=10001", "offset", "maximum"},
		{"count=all", "count", "enum"},
		{"sort=nope", "sort", "enum"},
		{"sort=js", "sort", "enum"},
		{"sort=i4,-i4", "sort", "type"},
		{"sort=i4,", "sort", "enum"},
		{"include=author", "include", "enum"},
		{"include_limit=101", "include_limit", "maximum"},
		{"cursor=bm90IGpzb24", "cursor", "invalid_cursor"},
		{"cursor=" + next, "cursor", "invalid_cursor"},                // from sort=i4
		{"sort=-i4&cursor=" + next, "cursor", "invalid_cursor"},       // another sort
		{"sort=i4&cursor=" + nextDefault, "cursor", "invalid_cursor"}, // the default order's
		{"cursor=" + tampered(`{"sort":"","after":["x"]}`), "cursor", "invalid_cursor"},
		{"cursor=" + tampered(`{"sort":"","after":[1,2]}`), "cursor", "invalid_cursor"},
		{"cursor=" + tampered(`{"sort":"","after":[null]}`), "cursor", "invalid_cursor"},
		{"cursor=" + tampered(`{"sort":"","offset":5}`), "cursor", "invalid_cursor"},
		{"cursor=" + tampered(`{"sort":"","after":[1],"x":1}`), "cursor", "invalid_cursor"},
		{"sort=i4&offset=5&cursor=" + next, "offset", "type"},
	} {
		s.Send(t, http.MethodGet, "/scalars?"+tc.query, nil).
			ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At(tc.code, "query", tc.loc))
	}
	s.Send(t, http.MethodGet, "/scalars?cursor=%%%", nil).Problem(t, http.StatusBadRequest)
	// Several problems at once, in parameter order.
	p := s.Send(t, http.MethodGet, "/scalars?limit=0&i4=x&sort=nope", nil).Problem(t, http.StatusUnprocessableEntity)
	var locs []string
	for _, e := range p.Errors {
		locs = append(locs, string(e.Loc))
	}
	assert.Equal(t, []string{`["query","i4"]`, `["query","limit"]`, `["query","sort"]`}, locs)
	// A cursor still works after the rows it points between are gone.
	_, next = s.Do(t, http.MethodGet, "/arrays?limit=5", nil).Page(t)
	s.exec(t, "DELETE FROM arrays WHERE id BETWEEN 4 AND 7")
	items, _ := s.Do(t, http.MethodGet, "/arrays?limit=2&cursor="+next, nil).Page(t)
	assert.Equal(t, json.Number("8"), items[0].(map[string]any)["id"])
}

func base64URL(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
