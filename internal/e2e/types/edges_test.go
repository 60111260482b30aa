package types_test

// Values written behind the API's back, by SQL, as other programs write
// to the database the API serves: every one must read back (a GET and a
// list page answer 200, as the document says), and write back unchanged
// (a PATCH of the field with what GET showed, and a PUT of the GET body,
// leave the row identical in SQL). One such value the API could not show
// would make every list page holding it fail.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime/pgtest"
)

// An edge is a value written with SQL into a column: sql is an
// expression of the column's type, with $2 standing for arg when set;
// json is what the API shows, and dims its @dims field when the array's
// shape needs one.
type edge struct {
	col, sql, arg string
	json, dims    string
	// text, when set, is the string json must decode to (instead of being
	// compared byte for byte: escapes are the encoder's choice).
	text string
}

func e(col, sql, json string) edge { return edge{col: col, sql: sql, json: json} }

// shaped is an array edge whose shape the @dims field gives.
func shaped(col, sql, json, dims string) edge {
	return edge{col: col, sql: sql, json: json, dims: dims}
}

// withArg is an edge whose SQL takes its value as the parameter $2.
func withArg(col, sql, arg, json string) edge { return edge{col: col, sql: sql, arg: arg, json: json} }

// textArg is an edge of text written as the parameter $2, shown as a JSON
// string of it.
func textArg(col, sql, arg string) edge { return edge{col: col, sql: sql, arg: arg, text: arg} }

// planes holds a character of every Unicode plane (and the edges of the
// UTF-8 encodings): what text columns hold from anywhere.
const planes = "\u0001\u007f\u0080\u07ff\u0800\ufffd\uffff\U00010000\U0001F600\U0002A6D6\U0003134A\U000E0001\U000F0000\U0010FFFF" +
	"e\u0301 \u202e\u05d0\u202c \u200b\ufeff"

// allBytes is every byte value once.
func allBytes() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

var (
	bigNumeric  = strings.Repeat("9", 131072)             // the most digits before the point numeric holds
	tinyNumeric = "0." + strings.Repeat("0", 16382) + "1" // and after it
	allBytesB64 = base64.StdEncoding.EncodeToString(allBytes())
)

var scalarEdges = []edge{
	// real and double precision: NaN and the infinities are strings.
	e("f4", "'NaN'", `"NaN"`), e("f4", "'Infinity'", `"Infinity"`), e("f4", "'-Infinity'", `"-Infinity"`),
	e("f4", "'-0'", "-0"), e("f4", "'1.4e-45'", "1e-45"), e("f4", "'3.4028235e38'", "3.4028235e+38"),
	e("f4n", "'NaN'", `"NaN"`),
	e("f8", "'NaN'", `"NaN"`), e("f8", "'Infinity'", `"Infinity"`), e("f8", "'-Infinity'", `"-Infinity"`),
	e("f8", "'5e-324'", "5e-324"), e("f8", "'-1.7976931348623157e308'", "-1.7976931348623157e+308"), e("f8", "'-0'", "-0"),
	e("f8n", "'-Infinity'", `"-Infinity"`),
	// numeric: NaN, the infinities, the largest and smallest values.
	e("num", "'NaN'", `"NaN"`), e("num", "'Infinity'", `"Infinity"`), e("num", "'-Infinity'", `"-Infinity"`),
	e("num", "'"+bigNumeric+"'", `"`+bigNumeric+`"`), e("num", "'-"+tinyNumeric+"'", `"-`+tinyNumeric+`"`),
	e("num", "'"+bigNumeric+"."+tinyNumeric[2:]+"'", `"`+bigNumeric+"."+tinyNumeric[2:]+`"`),
	e("num", "'0.000'", `"0.000"`), e("numn", "'-0.0'", `"0.0"`),
	e("dec", "'NaN'", `"NaN"`), e("dec", "'-99999999.99'", `"-99999999.99"`), e("decn", "'99999999.99'", `"99999999.99"`),
	e("wide", "'99999999999999999999.99999999999999999999'", `"99999999999999999999.99999999999999999999"`),
	e("i8", "'-9223372036854775808'", "-9223372036854775808"), e("i2n", "'-32768'", "-32768"),
	// text of every Unicode plane.
	textArg("t", "$2", planes), textArg("tn", "$2", planes),
	textArg("vc", "$2", strings.Repeat("\U0010FFFF", 20)),
	e("ch", "'\U0001F600'", q("\U0001F600  ")),
	// bytea of every byte.
	withArg("by", "decode($2, 'base64')", allBytesB64, q(allBytesB64)),
	// timestamptz: infinities, and years outside 0001-9999 as ISO 8601
	// expanded years (44 BC is -0043: year 0 is 1 BC).
	e("tstz", "'infinity'", `"infinity"`), e("tstz", "'-infinity'", `"-infinity"`),
	e("tstz", "'4714-11-24 00:00:00+00 BC'", `"-4713-11-24T00:00:00Z"`),
	e("tstz", "'294276-12-31 23:59:59.999999+00'", `"+294276-12-31T23:59:59.999999Z"`),
	e("tstz", "'0044-03-15 12:00:00+00 BC'", `"-0043-03-15T12:00:00Z"`),
	e("tstz", "'0001-12-31 23:59:59.5+00 BC'", `"0000-12-31T23:59:59.5Z"`),
	e("tstz", "'10000-01-01 00:00:00+00'", `"+10000-01-01T00:00:00Z"`),
	e("tstzn", "'infinity'", `"infinity"`), e("tstz0", "'-infinity'", `"-infinity"`),
	// timestamp: the same, without offset.
	e("ts", "'infinity'", `"infinity"`), e("ts", "'-infinity'", `"-infinity"`),
	e("ts", "'4714-11-24 00:00:00 BC'", `"-4713-11-24T00:00:00"`),
	e("ts", "'294276-12-31 23:59:59.999999'", `"+294276-12-31T23:59:59.999999"`),
	e("ts", "'0005-02-29 12:00:00 BC'", `"-0004-02-29T12:00:00"`),
	e("tsn", "'12345-06-07 08:09:10.5'", `"+12345-06-07T08:09:10.5"`), e("ts3", "'infinity'", `"infinity"`),
	// date
	e("d", "'infinity'", `"infinity"`), e("d", "'-infinity'", `"-infinity"`),
	e("d", "'4714-11-24 BC'", `"-4713-11-24"`), e("d", "'5874897-12-31'", `"+5874897-12-31"`),
	e("d", "'0001-01-01 BC'", `"0000-01-01"`), e("dn", "'0044-03-15 BC'", `"-0043-03-15"`),
	// time: midnight at both ends.
	e("tm", "'24:00:00'", `"24:00:00"`), e("tm", "'00:00:00.000001'", `"00:00:00.000001"`), e("tmn", "'23:59:59.999999'", `"23:59:59.999999"`),
	// interval: months, days and microseconds apart, each with its sign.
	e("iv", "'1 year 2 mons 3 days 04:05:06.000007'", `"P1Y2M3DT4H5M6.000007S"`),
	e("iv", "'-1 mons +2 days -00:00:03'", `"P-1M2DT-3S"`),
	e("iv", "'178000000 years'", `"P178000000Y"`), e("iv", "'-178000000 years'", `"P-178000000Y"`),
	e("iv", "'2147483647 days 2562047788:00:54.775807'", `"P2147483647DT2562047788H54.775807S"`),
	e("ivn", "'-2147483647 days -2562047788:00:54.775807'", `"P-2147483647DT-2562047788H-54.775807S"`),
	// json and jsonb: null is a value, of NOT NULL columns too.
	e("js", "'null'", "null"), e("jb", "'null'", "null"),
	e("js", `'{"a":1,"a":2}'`, `{"a":1,"a":2}`), e("js", "'-12345678901234567890123456789e-10'", "-12345678901234567890123456789e-10"), e("js", `'"\u0000"'`, `"\u0000"`),
	e("jb", `'[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]'`, `[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]`),
	e("jb", "'-1e-300'", "-"+"0."+strings.Repeat("0", 299)+"1"),
	e("jbn", `'"\ud83d\ude00"'`, `"😀"`),
	// inet: the host within its network.
	e("ip", "'10.0.0.1/24'", `"10.0.0.1/24"`), e("ip", "'::ffff:1.2.3.4/120'", `"::ffff:1.2.3.4/120"`),
	e("ipn", "'2001:db8::1/64'", `"2001:db8::1/64"`), e("ipn", "'0.0.0.0/0'", `"0.0.0.0/0"`),
	e("net", "'::/0'", `"::/0"`),
	e("u", "'ffffffff-ffff-ffff-ffff-ffffffffffff'", `"ffffffff-ffff-ffff-ffff-ffffffffffff"`),
}

var arrayEdges = []edge{
	// NULL elements, and NULL or empty arrays.
	e("ints", "'{1,NULL}'", "[1,null]"), e("ints", "'{NULL}'", "[null]"), e("ints", "'{}'", "[]"),
	e("intsn", "NULL", "null"), e("intsn", "'{}'", "[]"), e("intsn", "'{NULL,NULL}'", "[null,null]"),
	e("texts", `'{NULL,"",NULL,"NULL"}'`, `[null,"",null,"NULL"]`),
	withArg("textsn", "ARRAY[$2, NULL, '']", planes, "["+jsonString(planes)+`,null,""]`),
	// Other shapes: the elements, and their dimensions beside them.
	shaped("ints", "'{{1,2},{3,4}}'", "[1,2,3,4]", `[{"lower":1,"length":2},{"lower":1,"length":2}]`),
	shaped("ints", "'[0:2]={1,2,3}'", "[1,2,3]", `[{"lower":0,"length":3}]`),
	shaped("ints", "'[-5:-4][1:2]={{1,NULL},{3,4}}'", "[1,null,3,4]", `[{"lower":-5,"length":2},{"lower":1,"length":2}]`),
	shaped("intsn", "'{{{{{{7}}}}}}'", "[7]", `[{"lower":1,"length":1},{"lower":1,"length":1},{"lower":1,"length":1},{"lower":1,"length":1},{"lower":1,"length":1},{"lower":1,"length":1}]`),
	shaped("bigs", "'[2147483646:2147483646]={-9223372036854775808}'", "[-9223372036854775808]", `[{"lower":2147483646,"length":1}]`),
	// A multi-dimensional column nests; other shapes keep its depth.
	e("matrix", "'{{1,NULL},{3,4}}'", "[[1,null],[3,4]]"),
	shaped("matrix", "'{1,2}'", "[[1,2]]", `[{"lower":1,"length":2}]`),
	shaped("matrix", "'[0:1][0:1]={{1,2},{3,4}}'", "[[1,2],[3,4]]", `[{"lower":0,"length":2},{"lower":0,"length":2}]`),
	shaped("matrix", "'{{{1,2},{3,4}},{{5,6},{7,8}}}'", "[[1,2,3,4,5,6,7,8]]", `[{"lower":1,"length":2},{"lower":1,"length":2},{"lower":1,"length":2}]`),
	// Elements of every family at their edges.
	e("decs", "'{NaN,NULL,-99999999.99}'", `["NaN",null,"-99999999.99"]`),
	e("nums", "'{Infinity,-Infinity}'", `["Infinity","-Infinity"]`),
	e("f4s", "'{NaN,Infinity,-0,NULL}'", `["NaN","Infinity",-0,null]`),
	e("f8s", "'{-Infinity,5e-324}'", `["-Infinity",5e-324]`),
	e("times", `'{infinity,-infinity,"0044-03-15 12:00:00+00 BC",NULL}'`, `["infinity","-infinity","-0043-03-15T12:00:00Z",null]`),
	e("stamps", `'{"294276-12-31 23:59:59.999999",infinity}'`, `["+294276-12-31T23:59:59.999999","infinity"]`),
	e("dates", `'{infinity,5874897-12-31,"4714-11-24 BC"}'`, `["infinity","+5874897-12-31","-4713-11-24"]`),
	e("clocks", "'{24:00:00,NULL}'", `["24:00:00",null]`),
	e("intervals", `'{"-1 mons +2 days -00:00:03"}'`, `["P-1M2DT-3S"]`),
	e("inets", "'{10.0.0.1/24,NULL,::1}'", `["10.0.0.1/24",null,"::1"]`),
	e("moods", "'{ok,NULL}'", `["ok",null]`),
	e("uuids", "'{NULL}'", "[null]"),
	e("ranges", `'{empty,"(,)",NULL}'`, `["empty","(,)",null]`),
	e("triples", "'{NULL,NULL}'", "[null,null]"),
	// bytea, json and jsonb arrays travel as PostgreSQL's text.
	e("byteas", `'{"\\x00ff",NULL}'`, q(`{"\\x00ff",NULL}`)),
	e("jsonbs", `'{"null",NULL}'`, q(`{"null",NULL}`)),
}

var fallbackEdges = []edge{
	// Composite and range values, as PostgreSQL prints them.
	e("pr", "'(,)'", `"(,)"`), e("pr", `'(1,"a,b ""q"" \\")'`, q(`(1,"a,b ""q"" \\")`)), e("pr", `'(1,"")'`, q(`(1,"")`)),
	e("r4", "'empty'", `"empty"`), e("r4", "'(,)'", `"(,)"`),
	e("rtz", "'[-infinity,infinity]'", `"[-infinity,infinity]"`), e("rd", "'[-infinity,infinity)'", `"[-infinity,infinity)"`),
	e("mr", "'{}'", `"{}"`),
	e("hs", `'"a"=>NULL, "b\"c"=>"\\"'`, q(`"a"=>NULL, "b\"c"=>"\\"`)),
	e("mo", "'-92233720368547758.08'", `"-$92,233,720,368,547,758.08"`),
	e("tz", "'24:00:00+1559'", `"24:00:00+15:59"`),
	e("x", "'<a><![CDATA[<]]></a>'", `"<a><![CDATA[<]]></a>"`),
}

var domainEdges = []edge{
	e("mo", "'infinity'", `"infinity"`), e("bd", "'infinity'", `"infinity"`), e("lm", "'-infinity'", `"-infinity"`),
	shaped("tri", "'[0:2]={1,2,3}'", "[1,2,3]", `[{"lower":0,"length":3}]`),
}

// args are the parameters of the edge's SQL after the row's key.
func (ed edge) args() []any {
	if ed.arg == "" {
		return nil
	}
	return []any{ed.arg}
}

// newRow creates a row of tb through the API and returns its key.
func (s *server) newRow(t *testing.T, tb table) string {
	t.Helper()
	return unquote(s.Do(t, http.MethodPost, tb.path, body(tb.base())).Row(t, http.StatusCreated)["id"])
}

// set writes the SQL expression expr into column col of the row id of tb,
// behind the API's back; args are its parameters from $2 on.
func (s *server) set(tb table, id, col, expr string, args ...any) error {
	return s.tryExec("UPDATE "+tb.name+" SET "+col+" = "+expr+" WHERE id = $1", append([]any{id}, args...)...)
}

// jsonString is s as a JSON string.
func jsonString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestEdgesReadBack(t *testing.T) {
	s := newServer(t)
	for _, set := range []struct {
		tb    table
		edges []edge
	}{
		{scalars, scalarEdges}, {arrays, arrayEdges}, {fallbacks, fallbackEdges}, {domains, domainEdges},
	} {
		t.Run(set.tb.name, func(t *testing.T) {
			for _, ed := range set.edges {
				t.Run(ed.col, func(t *testing.T) {
					t.Parallel()
					id := s.newRow(t, set.tb)
					require.NoError(t, s.set(set.tb, id, ed.col, ed.sql, ed.args()...))
					shown := s.readsBack(t, set.tb, id)
					if ed.text != "" {
						var got string
						require.NoError(t, json.Unmarshal([]byte(shown[ed.col]), &got), "%s: %s", ed.col, shown[ed.col])
						assert.Equal(t, ed.text, got, ed.col)
					} else {
						assert.Equal(t, ed.json, shown[ed.col], "%s = %.60s", ed.col, ed.sql)
					}
					dims, ok := shown[ed.col+"@dims"]
					assert.Equal(t, ed.dims != "", ok, "%s = %.60s: a @dims field", ed.col, ed.sql)
					assert.Equal(t, ed.dims, dims, "%s = %.60s", ed.col, ed.sql)
				})
			}
		})
		// Every edge row at once, in one page.
		s.Do(t, http.MethodGet, set.tb.path+"?limit=1000", nil).Items(t)
	}
}

// readsBack checks the row id of tb, written behind the API's back: GET
// and a list page holding it answer 200 as the document says; a PATCH of
// every field with what GET showed, and a PUT of the GET body without
// its read-only fields, leave the row identical in SQL. It returns the
// row as GET showed it.
func (s *server) readsBack(t *testing.T, tb table, id string) fields {
	t.Helper()
	path := tb.path + "/" + id
	before := s.rowText(t, tb.name, id)
	row := s.Do(t, http.MethodGet, path, nil).Row(t, http.StatusOK)
	assert.Equal(t, row, s.Do(t, http.MethodGet, tb.path+"?id="+id, nil).Listed(t, row["id"]), "GET %s?id=%s", tb.path, id)

	patch := fields{}
	readOnly := s.readOnly(t, tb)
	for k, v := range row {
		if !readOnly[k] {
			patch[k] = v
		}
	}
	for _, method := range []string{http.MethodPatch, http.MethodPut} {
		assert.Equal(t, row, s.Do(t, method, path, body(patch)).Row(t, http.StatusOK), "%s %s", method, path)
		s.sameRow(t, tb.name, id, before, method)
	}
	return row
}

// rowText is PostgreSQL's text of the whole row id of table.
func (s *server) rowText(t *testing.T, table, id string) string {
	t.Helper()
	var text string
	require.NoError(t, s.db.QueryRow(context.Background(), "SELECT t::text FROM "+table+" t WHERE id::text = $1", id).Scan(&text))
	return text
}

// sameRow requires the row id of table to be what its text was before.
func (s *server) sameRow(t *testing.T, table, id, before, after string) {
	t.Helper()
	var same bool
	var now string
	require.NoError(t, s.db.QueryRow(context.Background(),
		"SELECT t::text IS NOT DISTINCT FROM $2, t::text FROM "+table+" t WHERE id::text = $1", id, before).Scan(&same, &now))
	assert.True(t, same, "after %s, %s is not as it was:\nbefore %.300s\nafter  %.300s", after, table, before, now)
}

// readOnly returns the fields the document marks readOnly in tb's rows.
func (s *server) readOnly(t *testing.T, tb table) map[string]bool {
	t.Helper()
	doc, _ := apitest.Document(t, s.Doc)
	sch, ok := doc.Components.Schemas[tb.schema]
	require.True(t, ok, "no schema %s", tb.schema)
	out := map[string]bool{}
	for name, p := range sch.Value.Properties {
		out[name] = p.Value.ReadOnly
	}
	return out
}

// An enum label added after the API was generated: rows holding it read
// back, though the document, generated before, lists no such label (the
// migration that adds it makes crudgen check report the drift). Writing
// it is refused, as for any label the API does not know, until the API
// is generated again.
func TestEnumLabelAddedLater(t *testing.T) {
	s := newServer(t)
	s.exec(t, "ALTER TYPE season ADD VALUE IF NOT EXISTS 'autumn'")
	row := s.Do(t, http.MethodPost, "/seasons", `{"ss":["summer",null]}`).Row(t, http.StatusCreated)
	id := unquote(row["id"])
	s.exec(t, "UPDATE seasons SET s = 'autumn', ss = '{autumn,NULL,spring}' WHERE id = $1", id)

	// Read without the document's check, which the label fails.
	for _, path := range []string{"/seasons/" + id, "/seasons?limit=1000"} {
		res, err := s.HTTP.Get(s.Base + path)
		require.NoError(t, err)
		raw, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		require.NoError(t, res.Body.Close())
		require.Equal(t, http.StatusOK, res.StatusCode, "GET %s: %s", path, raw)
		assert.Contains(t, string(raw), `"s":"autumn","ss":["autumn",null,"spring"]`, "GET %s", path)
	}
	s.Send(t, http.MethodPatch, "/seasons/"+id, `{"s":"autumn"}`).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("enum", "body", "s"))
	assert.Equal(t, "(%s,autumn,\"{autumn,NULL,spring}\")", strings.Replace(s.rowText(t, "seasons", id), id, "%s", 1))
}

// TestEdgesInOrder sorts and pages rows holding the edge values, each by
// the cursor of the page before: infinities, NaN, BC years and the largest
// numbers sort as PostgreSQL sorts them, and their cursors read back.
func TestEdgesInOrder(t *testing.T) {
	s, err := start(pgtest.Fresh(t))
	require.NoError(t, err)
	t.Cleanup(s.close)
	for _, ed := range scalarEdges {
		require.NoError(t, s.set(scalars, s.newRow(t, scalars), ed.col, ed.sql, ed.args()...))
	}
	for _, tc := range []struct{ sort, orderBy string }{
		{"tstz", "tstz, id"}, {"-tstzn", "tstzn DESC NULLS FIRST, id"},
		{"ts,-d", "ts, d DESC, id"}, {"-dn", "dn DESC NULLS FIRST, id"},
		{"f4,-f8", "f4, f8 DESC, id"}, {"-num", "num DESC, id"}, {"dec", "dec, id"},
		{"tm,iv", "tm, iv, id"}, {"-ivn", "ivn DESC NULLS FIRST, id"}, {"ip", "ip, id"},
	} {
		t.Run(tc.sort, func(t *testing.T) {
			got, _, _ := s.listed(t, "/scalars", "sort="+url.QueryEscape(tc.sort), 3)
			require.Equal(t, s.ids(t, "SELECT id FROM scalars ORDER BY "+tc.orderBy), got)
		})
	}
	// Filters take the edge values too.
	for _, q := range []string{"d=infinity", "tstz[lt]=-4713-11-24T00:00:01Z", "f8=NaN", "num[gt]=1e100", "ts[gte]=%2B10000-01-01T00:00:00", "ip=10.0.0.1/24"} {
		items := s.Send(t, http.MethodGet, "/scalars?"+q, nil).Items(t)
		assert.NotEmpty(t, items, q)
	}
}
