package types_test

// Every column type of schema.sql, both ways over HTTP: each value is
// POSTed (then PATCHed, PUT back, set to null), read back with GET and
// list, compared with the exact JSON the API promises, and with
// PostgreSQL's text output of what it stored. Then the values each type
// rejects, and where.

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/apitest"
)

// A table under test: its route, the smallest valid body, and how a
// created row is addressed.
type table struct {
	name, path string
	schema     string // of its rows in the document
	// base holds every required field.
	base func() fields
}

// domainIDs numbers the rows of domains, whose key has no default.
var domainIDs atomic.Int32

var (
	scalars = table{name: "scalars", path: "/scalars", schema: "Scalar", base: func() fields {
		return fields{
			"i2": "1", "i4": "1", "i8": "1", "dec": `"1"`, "num": `"1"`, "f4": "1", "f8": "1",
			"t": `"t"`, "vc": `"vc"`, "ch": `"ch"`, "ci": `"ci"`, "b": "true",
			"u": `"00000000-0000-0000-0000-000000000000"`, "tstz": `"2024-01-01T00:00:00Z"`,
			"ts": `"2024-01-01T00:00:00"`, "d": `"2024-01-01"`, "tm": `"00:00:00"`, "iv": `"PT0S"`,
			"by": `""`, "js": "{}", "jb": "{}", "ip": `"127.0.0.1"`, "net": `"10.0.0.0/8"`, "m": `"ok"`,
		}
	}}
	arrays = table{name: "arrays", path: "/arrays", schema: "Array", base: func() fields {
		return fields{"ints": "[]"}
	}}
	domains = table{name: "domains", path: "/domains", schema: "Domain", base: func() fields {
		return fields{
			"id": strconv.Itoa(int(domainIDs.Add(1))),
			"sc": "0", "p": "1", "pr": `"0"`, "co": `"ABC"`, "fl": "true", "gm": `"ok"`,
		}
	}}
	fallbacks = table{name: "fallbacks", path: "/fallbacks", schema: "Fallback", base: func() fields {
		return fields{"lt": `"a"`}
	}}
)

// A column and the values written into it one after the other: the first
// by POST, the others by PATCH.
type column struct {
	name     string
	nullable bool // null reads back as null and stores NULL
	values   []val
}

// A value written to a column: the JSON sent, the JSON the API answers
// with, and PostgreSQL's text output of what it stored.
type val struct {
	in, out, db string
	// lenient: the API accepts in, though the document does not describe
	// it (a number for a numeric, HH:MM for a time).
	lenient bool
}

// v is a value that reads back as out and is stored as db.
func v(in, out, db string) val { return val{in: in, out: out, db: db} }

// same is a value that reads back as sent.
func same(in, db string) val { return val{in: in, out: in, db: db} }

// lenient marks a value the document does not describe.
func lenient(x val) val { x.lenient = true; return x }

func notNull(name string, values ...val) column { return column{name: name, values: values} }
func nullable(name string, values ...val) column {
	return column{name: name, nullable: true, values: values}
}

// roundTrip writes every value of c through the API and checks each
// answer, GET, the list and the database.
func roundTrip(t *testing.T, s *server, tb table, c column) {
	t.Helper()
	write := func(method, path, body string, x val) fields {
		t.Helper()
		var r *apitest.Response
		if x.lenient {
			r = s.Send(t, method, path, body)
		} else {
			r = s.Do(t, method, path, body)
		}
		status := http.StatusOK
		if method == http.MethodPost {
			status = http.StatusCreated
		}
		return r.Row(t, status)
	}
	// check compares a written row with x, reads it back with GET (and
	// the list when listed) and looks at the database.
	check := func(path string, row fields, x val, listed bool) {
		t.Helper()
		assert.Equal(t, x.out, row[c.name], "%s: the answer to %s", c.name, x.in)
		assert.Equal(t, row, s.Do(t, http.MethodGet, path, nil).Row(t, http.StatusOK), "GET %s", path)
		if listed {
			assert.Equal(t, row, s.Do(t, http.MethodGet, tb.path+"?limit=1000", nil).Listed(t, row["id"]), "GET %s", tb.path)
		}
		got, ok := s.stored(t, tb.name, c.name, unquote(row["id"]))
		if x.out == "null" && x.db == "" {
			assert.False(t, ok, "%s: stored %q, not NULL", c.name, got)
			return
		}
		assert.True(t, ok, "%s: stored NULL", c.name)
		assert.Equal(t, x.db, got, "%s: PostgreSQL's text of %s", c.name, x.in)
	}

	first := c.values[0]
	r := s.Client
	created := write(http.MethodPost, tb.path, body(tb.base(), fields{c.name: first.in}), first)
	path := tb.path + "/" + unquote(created["id"])
	check(path, created, first, true)
	for _, x := range c.values[1:] {
		check(path, write(http.MethodPatch, path, body(fields{c.name: x.in}), x), x, false)
	}
	if c.nullable {
		check(path, write(http.MethodPatch, path, `{"`+c.name+`":null}`, val{}), val{in: "null", out: "null"}, true)
	}
	// PUT replaces the row: the first value again, the other columns from
	// the base body.
	put := tb.base()
	put["id"] = created["id"]
	check(path, write(http.MethodPut, path, body(put, fields{c.name: first.in}), first), first, true)
	res := r.Do(t, http.MethodDelete, path, nil)
	require.Equal(t, http.StatusNoContent, res.Status, "%s", res.Raw)
}

// unquote turns a JSON key value into a path segment.
func unquote(raw string) string { return strings.Trim(raw, `"`) }

// runColumns runs roundTrip for every column in parallel subtests.
func runColumns(t *testing.T, tb table, cols []column) {
	s := newServer(t)
	for _, c := range cols {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			roundTrip(t, s, tb, c)
		})
	}
}

func repeat(s string, n int) string { return strings.Repeat(s, n) }

// q quotes s as a JSON string.
func q(s string) string { return strconv.Quote(s) }

func TestScalars(t *testing.T) {
	long := repeat("x", 100_000)
	twenty := repeat("é", 20)
	runColumns(t, scalars, []column{
		notNull("i2", same("0", "0"), same("-32768", "-32768"), same("32767", "32767"),
			v("1e2", "100", "100"), v("7.0", "7", "7"), v("-0", "0", "0")),
		nullable("i2n", same("-1", "-1"), same("32767", "32767")),
		notNull("i4", same("-2147483648", "-2147483648"), same("2147483647", "2147483647")),
		nullable("i4n", same("0", "0"), same("-2147483648", "-2147483648")),
		notNull("i8", same("-9223372036854775808", "-9223372036854775808"), same("9223372036854775807", "9223372036854775807")),
		nullable("i8n", same("42", "42")),

		// numeric(10,2): the column's scale, rounded half away from zero.
		notNull("dec", v(`"1.5"`, `"1.50"`, "1.50"), same(`"-99999999.99"`, "-99999999.99"),
			v(`"12.345"`, `"12.35"`, "12.35"), v(`"-12.345"`, `"-12.35"`, "-12.35"),
			v(`"0"`, `"0.00"`, "0.00"), same(`"NaN"`, "NaN"),
			lenient(v("2.5", `"2.50"`, "2.50"))),
		nullable("decn", same(`"-0.01"`, "-0.01"), v(`"-99999999.994"`, `"-99999999.99"`, "-99999999.99")),
		// numeric: any number of digits, the scale as written.
		notNull("num",
			same(`"123456789012345678901234567890.123456789012345678901234567890"`, "123456789012345678901234567890.123456789012345678901234567890"),
			same(`"0.000000000000000000000000000001"`, "0.000000000000000000000000000001"),
			same(`"1.10"`, "1.10"), same(`"-1"`, "-1"), v(`"-0"`, `"0"`, "0"),
			same(`"Infinity"`, "Infinity"), same(`"-Infinity"`, "-Infinity"), same(`"NaN"`, "NaN"),
			lenient(v("1e-5", `"0.00001"`, "0.00001")),
			lenient(v("12345678901234567890123", `"12345678901234567890123"`, "12345678901234567890123")),
			lenient(v(`"1.5e3"`, `"1500"`, "1500"))),
		nullable("numn", same(`"3.14"`, "3.14"), same(`"-0.5"`, "-0.5")),
		nullable("dec0", same(`"12345"`, "12345"), v(`"1.5"`, `"2"`, "2"), v(`"-2.5"`, `"-3"`, "-3")),
		nullable("wide", same(`"12345678901234567890.12345678901234567890"`, "12345678901234567890.12345678901234567890"),
			v(`"0.1"`, `"0.10000000000000000000"`, "0.10000000000000000000")),

		// real and double precision: the shortest form that reads back
		// exactly, as encoding/json writes it.
		notNull("f4", same("1.5", "1.5"), same("3.4028235e+38", "3.4028235e+38"), same("0.1", "0.1"),
			v("1e-7", "1e-7", "1e-07"), v("16777217", "16777216", "1.6777216e+07"), same("-0", "-0")),
		nullable("f4n", same("2.25", "2.25"), v("-1e-45", "-1e-45", "-1e-45")),
		notNull("f8", v("1.7976931348623157e308", "1.7976931348623157e+308", "1.7976931348623157e+308"),
			same("5e-324", "5e-324"), same("0.1", "0.1"), v("1e21", "1e+21", "1e+21"),
			same("123456789.125", "123456789.125"), v("1e-7", "1e-7", "1e-07"), same("100", "100")),
		nullable("f8n", same("-2.5", "-2.5")),

		notNull("t", same(q("héllo 🌍"), "héllo 🌍"), same(`""`, ""),
			same(`"a\"b\\c\n\t\u0001"`, "a\"b\\c\n\t\x01"),
			v(`"\u00e9\ud83c\udf0d"`, `"é🌍"`, "é🌍"),
			same(`"<>&\u2028"`, "<>&\u2028"),
			same(q(long), long)),
		nullable("tn", same(`"x"`, "x"), same(`"é"`, "é")),
		notNull("vc", same(q(twenty), twenty), same(`""`, "")),
		nullable("vcn", same(`"abc"`, "abc"), same(`""`, "")),
		nullable("vu", same(q(repeat("ü", 5000)), repeat("ü", 5000)), same(`"v"`, "v")),
		// char(n) is blank-padded, in JSON too.
		notNull("ch", v(`"ab"`, `"ab "`, "ab "), same(`"abc"`, "abc"), v(`""`, `"   "`, "   "), v(`"é"`, `"é  "`, "é  ")),
		nullable("chn", same(`"xyz"`, "xyz"), v(`" "`, `"   "`, "   ")),
		nullable("c1", same(`"x"`, "x"), v(`""`, `" "`, " ")),
		notNull("ci", same(`"MiXeD"`, "MiXeD"), same(`""`, "")),
		nullable("cin", same(`"Ä"`, "Ä"), same(`"ä"`, "ä")),
		nullable("nm", same(`"abc"`, "abc"), same(q(repeat("n", 63)), repeat("n", 63))),

		notNull("b", v("true", "true", "t"), v("false", "false", "f")),
		nullable("bn", v("false", "false", "f"), v("true", "true", "t")),
		notNull("u", v(`"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"`, `"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"`, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
			same(`"ffffffff-ffff-ffff-ffff-ffffffffffff"`, "ffffffff-ffff-ffff-ffff-ffffffffffff")),
		nullable("un", same(`"00000000-0000-0000-0000-000000000001"`, "00000000-0000-0000-0000-000000000001")),

		// timestamptz: the instant, in UTC; the database shows it in the
		// session's zone (+05:30).
		notNull("tstz",
			v(`"2024-02-29T23:59:59.123456+05:30"`, `"2024-02-29T18:29:59.123456Z"`, "2024-02-29 23:59:59.123456+05:30"),
			v(`"2024-06-01T12:00:00-07:00"`, `"2024-06-01T19:00:00Z"`, "2024-06-02 00:30:00+05:30"),
			v(`"2024-01-01T00:00:00.1234567Z"`, `"2024-01-01T00:00:00.123457Z"`, "2024-01-01 05:30:00.123457+05:30"),
			v(`"1970-01-01T00:00:00Z"`, `"1970-01-01T00:00:00Z"`, "1970-01-01 05:30:00+05:30"),
			v(`"9999-12-31T23:59:59.999999Z"`, `"9999-12-31T23:59:59.999999Z"`, "10000-01-01 05:29:59.999999+05:30"),
			v(`"0001-01-01T00:00:00Z"`, `"0001-01-01T00:00:00Z"`, "0001-01-01 05:53:28+05:53:28")),
		nullable("tstzn", v(`"2024-01-01T00:00:00+00:00"`, `"2024-01-01T00:00:00Z"`, "2024-01-01 05:30:00+05:30"), v(`"2024-07-01T00:00:00.5+14:00"`, `"2024-06-30T10:00:00.5Z"`, "2024-06-30 15:30:00.5+05:30")),
		nullable("tstz0", v(`"2024-01-01T00:00:00.5Z"`, `"2024-01-01T00:00:01Z"`, "2024-01-01 05:30:01+05:30"), v(`"2024-01-01T00:00:00.4Z"`, `"2024-01-01T00:00:00Z"`, "2024-01-01 05:30:00+05:30")),
		// timestamp: the wall clock, no offset, whatever the session's zone.
		notNull("ts", same(`"2024-02-29T23:59:59.999999"`, "2024-02-29 23:59:59.999999"),
			same(`"2024-01-01T00:00:00"`, "2024-01-01 00:00:00"),
			same(`"0001-01-01T00:00:00"`, "0001-01-01 00:00:00"),
			lenient(v(`"2024-01-01T12:00:00.1234567"`, `"2024-01-01T12:00:00.123457"`, "2024-01-01 12:00:00.123457"))),
		nullable("tsn", same(`"1999-12-31T23:59:59.5"`, "1999-12-31 23:59:59.5"), same(`"2000-02-29T00:00:00.000001"`, "2000-02-29 00:00:00.000001")),
		nullable("ts3", v(`"2024-01-01T00:00:00.1235"`, `"2024-01-01T00:00:00.124"`, "2024-01-01 00:00:00.124"), v(`"2024-01-01T00:00:00.9995"`, `"2024-01-01T00:00:01"`, "2024-01-01 00:00:01")),
		notNull("d", same(`"2024-02-29"`, "2024-02-29"), same(`"0001-01-01"`, "0001-01-01"), same(`"9999-12-31"`, "9999-12-31")),
		nullable("dn", same(`"1999-12-31"`, "1999-12-31"), same(`"2000-02-29"`, "2000-02-29")),
		notNull("tm", same(`"00:00:00"`, "00:00:00"), same(`"23:59:59.999999"`, "23:59:59.999999"),
			same(`"24:00:00"`, "24:00:00"), same(`"12:34:56.5"`, "12:34:56.5"),
			lenient(v(`"12:34"`, `"12:34:00"`, "12:34:00")),
			lenient(v(`"12:00:00.1234565"`, `"12:00:00.123457"`, "12:00:00.123457"))),
		nullable("tmn", same(`"08:00:00"`, "08:00:00"), same(`"00:00:00.000001"`, "00:00:00.000001")),
		nullable("tm2", v(`"12:00:00.125"`, `"12:00:00.13"`, "12:00:00.13"), v(`"23:59:59.999"`, `"24:00:00"`, "24:00:00")),
		// interval: ISO 8601 as PostgreSQL's iso_8601 style writes it.
		notNull("iv", same(`"P1Y2M3DT4H5M6.5S"`, "1 year 2 mons 3 days 04:05:06.5"), same(`"PT0S"`, "00:00:00"),
			v(`"-P1DT2H"`, `"P-1DT-2H"`, "-1 days -02:00:00"), v(`"P1W"`, `"P7D"`, "7 days"),
			same(`"PT36H"`, "36:00:00"), same(`"P1M-1D"`, "1 mon -1 days"),
			same(`"PT0.000001S"`, "00:00:00.000001"), v(`"PT1.5M"`, `"PT1M30S"`, "00:01:30"),
			same(`"P178000000Y"`, "178000000 years"), same(`"P-1Y-2M"`, "-1 years -2 mons"),
			v(`"1 day 02:00:00"`, `"P1DT2H"`, "1 day 02:00:00")),
		nullable("ivn", same(`"PT1H"`, "01:00:00"), same(`"P-1D"`, "-1 days")),
		nullable("ivd", v(`"P1Y2DT3.7S"`, `"P1Y2DT4S"`, "1 year 2 days 00:00:04")),

		notNull("by", same(`""`, `\x`), same(`"AAEC/w=="`, `\x000102ff`), same(`"aGVsbG8="`, `\x68656c6c6f`)),
		nullable("byn", same(`"AA=="`, `\x00`), same(`""`, `\x`)),
		// json keeps the text as sent; jsonb is PostgreSQL's normal form.
		notNull("js", same(`{"b": 1,  "a": [1, 2]}`, `{"b": 1,  "a": [1, 2]}`), same(`"str"`, `"str"`),
			same("[]", "[]"), same("1.0e10", "1.0e10"),
			same(`{"a":"\u00e9"}`, `{"a":"\u00e9"}`), same(`{"a":1,"a":2}`, `{"a":1,"a":2}`)),
		nullable("jsn", same(`{"x":[true,false,null]}`, `{"x":[true,false,null]}`), same(`"null"`, `"null"`)),
		notNull("jb", v(`{"b": 1,  "a": [1, 2]}`, `{"a": [1, 2], "b": 1}`, `{"a": [1, 2], "b": 1}`),
			v("1.0e10", "10000000000", "10000000000"), same("0.1000", "0.1000"),
			v(`{"a":"\u00e9"}`, `{"a": "é"}`, `{"a": "é"}`), v(`{"a":1,"a":2}`, `{"a": 2}`, `{"a": 2}`),
			same(`"s"`, `"s"`), same(`[1, "two", {"3": [null]}]`, `[1, "two", {"3": [null]}]`)),
		nullable("jbn", same("{}", "{}"), same(`[]`, "[]")),
		notNull("ip", same(`"192.168.0.1"`, "192.168.0.1"), same(`"::1"`, "::1"), same(`"2001:db8::1"`, "2001:db8::1"),
			same(`"::ffff:1.2.3.4"`, "::ffff:1.2.3.4"), v(`"2001:DB8::1"`, `"2001:db8::1"`, "2001:db8::1")),
		nullable("ipn", same(`"10.0.0.1"`, "10.0.0.1"), same(`"fe80::1"`, "fe80::1"),
			// An inet holds the host within its network.
			same(`"10.0.0.1/24"`, "10.0.0.1/24"), same(`"2001:db8::1/64"`, "2001:db8::1/64"), v(`"10.0.0.1/32"`, `"10.0.0.1"`, "10.0.0.1"),
			same(`"0.0.0.0/0"`, "0.0.0.0/0")),
		notNull("net", same(`"10.0.0.0/8"`, "10.0.0.0/8"), v(`"10.0.0.1"`, `"10.0.0.1/32"`, "10.0.0.1/32"),
			same(`"2001:db8::/32"`, "2001:db8::/32"), same(`"0.0.0.0/0"`, "0.0.0.0/0")),
		nullable("netn", same(`"192.168.0.0/16"`, "192.168.0.0/16"), same(`"::/0"`, "::/0")),
		notNull("m", same(`"happy"`, "happy"), same(`"sad"`, "sad")),
		nullable("mn", same(`"ok"`, "ok")),
	})
}

func TestArrays(t *testing.T) {
	runColumns(t, arrays, []column{
		notNull("ints", same("[]", "{}"), same("[1,-2,2147483647]", "{1,-2,2147483647}"),
			same("[null,1,null]", "{NULL,1,NULL}")),
		nullable("intsn", same("[0]", "{0}"), same("[]", "{}"), same("[null]", "{NULL}")),
		notNull("texts", same(`["a","","b c","NULL","\"q\"","é",","]`, `{a,"","b c","NULL","\"q\"",é,","}`), same("[]", "{}")),
		nullable("textsn", same(`[""]`, `{""}`), same(`["NULL"]`, `{"NULL"}`)),
		nullable("smalls", same("[32767,-32768]", "{32767,-32768}"), same("[]", "{}")),
		nullable("bigs", same("[9223372036854775807,-9223372036854775808]", "{9223372036854775807,-9223372036854775808}"), same("[0]", "{0}")),
		nullable("decs", v(`["1.5","2"]`, `["1.50","2.00"]`, "{1.50,2.00}"), v(`["-0.005"]`, `["-0.01"]`, "{-0.01}")),
		nullable("nums", same(`["1.10","NaN","-0.000001"]`, "{1.10,NaN,-0.000001}"),
			same(`["123456789012345678901234567890.1"]`, "{123456789012345678901234567890.1}")),
		nullable("f4s", same("[1.5,0.1]", "{1.5,0.1}"), same("[]", "{}")),
		nullable("f8s", v("[1e-7,2.5]", "[1e-7,2.5]", "{1e-07,2.5}"), same("[-0]", "{-0}")),
		nullable("shorts", same(`["abcde",""]`, `{abcde,""}`), same(`["éééé"]`, "{éééé}")),
		nullable("chars", v(`["a","bc"]`, `["a ","bc"]`, `{"a ",bc}`), v(`[""]`, `["  "]`, `{"  "}`)),
		nullable("citexts", same(`["A","b"]`, "{A,b}"), same("[]", "{}")),
		nullable("bools", v("[true,false]", "[true,false]", "{t,f}"), v("[false]", "[false]", "{f}")),
		nullable("uuids", same(`["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"]`, "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"), same("[]", "{}")),
		nullable("times", v(`["2024-01-01T00:00:00+01:00"]`, `["2023-12-31T23:00:00Z"]`, `{"2024-01-01 04:30:00+05:30"}`), same(`["2024-01-01T00:00:00.000001Z","1970-01-01T00:00:00Z"]`, `{"2024-01-01 05:30:00.000001+05:30","1970-01-01 05:30:00+05:30"}`)),
		nullable("stamps", same(`["2024-01-01T12:00:00.5"]`, `{"2024-01-01 12:00:00.5"}`), same(`["0001-01-01T00:00:00","9999-12-31T23:59:59.999999"]`, `{"0001-01-01 00:00:00","9999-12-31 23:59:59.999999"}`)),
		nullable("dates", same(`["2024-02-29","0001-01-01"]`, "{2024-02-29,0001-01-01}"), same("[]", "{}")),
		nullable("clocks", same(`["12:00:00","24:00:00"]`, "{12:00:00,24:00:00}"), same(`["00:00:00.5"]`, "{00:00:00.5}")),
		nullable("intervals", same(`["P1D","PT1H"]`, `{"1 day",01:00:00}`), v(`["-P1Y","PT0S"]`, `["P-1Y","PT0S"]`, `{"-1 years",00:00:00}`)),
		// Arrays of bytea, json and jsonb travel as PostgreSQL's text.
		nullable("byteas", same(q(`{"\\x0102"}`), `{"\\x0102"}`), same(`"{}"`, "{}")),
		nullable("jsons", same(q(`{"{\"a\":1}"}`), `{"{\"a\":1}"}`), v(q(`{"[1, 2]",null}`), q(`{"[1, 2]",NULL}`), `{"[1, 2]",NULL}`)),
		nullable("jsonbs", v(q(`{"{\"a\":1}"}`), q(`{"{\"a\": 1}"}`), `{"{\"a\": 1}"}`), v(q(`{"[1,2]",NULL}`), q(`{"[1, 2]",NULL}`), `{"[1, 2]",NULL}`)),
		nullable("inets", same(`["10.0.0.1","::1"]`, "{10.0.0.1,::1}"), same("[]", "{}")),
		nullable("cidrs", same(`["10.0.0.0/8"]`, "{10.0.0.0/8}"), v(`["2001:db8::1"]`, `["2001:db8::1/128"]`, "{2001:db8::1/128}")),
		nullable("moods", same(`["sad","happy"]`, "{sad,happy}"), same("[]", "{}")),
		nullable("moodsn", same(`["ok"]`, "{ok}"), same("[]", "{}")),
		nullable("domains", same(`["0123456789",""]`, `{0123456789,""}`), same("[]", "{}")),
		nullable("prices", v(`["1","2.5"]`, `["1.00","2.50"]`, "{1.00,2.50}"), same("[]", "{}")),
		nullable("good_moods", same(`["ok","happy"]`, "{ok,happy}"), same("[]", "{}")),
		nullable("ltrees", same(`["a.b","c"]`, "{a.b,c}"), same(`[""]`, `{""}`)),
		nullable("points", same(`["(1,2)"]`, `{"(1,2)"}`), v(`["(1.5,-2)","0,0"]`, `["(1.5,-2)","(0,0)"]`, `{"(1.5,-2)","(0,0)"}`)),
		nullable("ranges", v(`["[1,5]"]`, `["[1,6)"]`, `{"[1,6)"}`), same(`["empty","(,)"]`, `{empty,"(,)"}`)),
		// A multi-dimensional array nests, NULL elements included.
		nullable("matrix", same("[[1,2],[3,4]]", "{{1,2},{3,4}}"), same("[[1,null],[3,4]]", "{{1,NULL},{3,4}}"),
			same("[[1],[2],[3]]", "{{1},{2},{3}}"), same("[]", "{}")),
		nullable("triples", same("[1,2,3]", "{1,2,3}"), same("[]", "{}")),
	})
}

func TestDomains(t *testing.T) {
	runColumns(t, domains, []column{
		notNull("sc", same("0", "0"), same("32767", "32767")),
		nullable("scn", same("5", "5"), same("32767", "32767")),
		notNull("p", same("1", "1"), same("2147483647", "2147483647")), // NOT NULL by its domain
		nullable("bi", same("1", "1"), same("9000000000000000000", "9000000000000000000")),
		notNull("pr", v(`"0"`, `"0.00"`, "0.00"), same(`"99999999.99"`, "99999999.99")),
		nullable("prn", v(`"1.005"`, `"1.01"`, "1.01"), same(`"0.01"`, "0.01")),
		nullable("ra", same("0", "0"), same("1", "1"), same("0.5", "0.5")),
		nullable("ce", same("-273.14", "-273.14"), v("1e10", "10000000000", "10000000000")),
		notNull("co", same(`"XYZ"`, "XYZ"), same(`"ABC"`, "ABC")),
		nullable("con", same(`"ABC"`, "ABC"), same(`"ZZZ"`, "ZZZ")),
		nullable("st", same(`"0123456789"`, "0123456789"), same(`""`, "")),
		nullable("ct", same(`"FR"`, "FR"), same(`"US"`, "US")),
		nullable("em", same(`"A@B.c"`, "A@B.c"), same(`"é@é"`, "é@é")),
		notNull("fl", v("false", "false", "f")), // NOT NULL by its domain
		nullable("rf", same(`"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"`, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")),
		nullable("mo", v(`"2000-01-01T00:00:00Z"`, `"2000-01-01T00:00:00Z"`, "2000-01-01 05:30:00+05:30"), v(`"2100-01-01T00:00:00+01:00"`, `"2099-12-31T23:00:00Z"`, "2100-01-01 04:30:00+05:30")),
		nullable("lm", same(`"2024-01-01T00:00:00.000001"`, "2024-01-01 00:00:00.000001"), same(`"1800-01-01T00:00:00"`, "1800-01-01 00:00:00")),
		nullable("bd", same(`"1900-01-02"`, "1900-01-02"), same(`"2024-02-29"`, "2024-02-29")),
		nullable("op", same(`"08:00:00"`, "08:00:00"), same(`"19:59:59.999999"`, "19:59:59.999999")),
		nullable("du", same(`"PT0.000001S"`, "00:00:00.000001"), v(`"P1M"`, `"P1M"`, "1 mon")),
		nullable("bl", same(`"AAECAw=="`, `\x00010203`), same(`""`, `\x`)),
		nullable("doc", same(`{"a" : 1}`, `{"a" : 1}`), same("[]", "[]")),
		nullable("at", v(`{"k":"v"}`, `{"k": "v"}`, `{"k": "v"}`), same("{}", "{}")),
		nullable("ho", same(`"10.1.2.3"`, "10.1.2.3"), same(`"::1"`, "::1")),
		nullable("nw", same(`"10.1.0.0/16"`, "10.1.0.0/16"), same(`"2001:db8::/32"`, "2001:db8::/32")),
		notNull("gm", same(`"happy"`, "happy"), same(`"ok"`, "ok")),
		nullable("gmn", same(`"ok"`, "ok"), same(`"happy"`, "happy")),
		nullable("lp", same(`"Top.Science.Astronomy"`, "Top.Science.Astronomy"), same(`""`, "")),
		nullable("tri", same("[1,2,3]", "{1,2,3}"), same("[]", "{}")),
		nullable("tt", same(`"abc"`, "abc")),
	})
}

func TestFallbacks(t *testing.T) {
	runColumns(t, fallbacks, []column{
		notNull("lt", same(`"Top.Science"`, "Top.Science"), same(`""`, ""), same(`"a_b.C1"`, "a_b.C1")),
		nullable("ltn", same(`"x.y"`, "x.y"), same(`"x"`, "x")),
		nullable("lq", same(`"*.Science.*"`, "*.Science.*"), same(`"Top.*{1,2}.Astronomy|Physics"`, "Top.*{1,2}.Astronomy|Physics")),
		nullable("hs", v(`"a=>1, b=>\"x y\""`, q(`"a"=>"1", "b"=>"x y"`), `"a"=>"1", "b"=>"x y"`),
			v(`"a=>NULL"`, q(`"a"=>NULL`), `"a"=>NULL`)),
		nullable("tsv", v(`"a fat cat"`, q(`'a' 'cat' 'fat'`), `'a' 'cat' 'fat'`), v(`"'fat':2 'cat':1A"`, q(`'cat':1A 'fat':2`), `'cat':1A 'fat':2`)),
		nullable("tsq", v(`"fat & rat"`, q(`'fat' & 'rat'`), `'fat' & 'rat'`), v(`"!a | b:*"`, q(`!'a' | 'b':*`), `!'a' | 'b':*`)),
		nullable("pt", same(`"(1,2)"`, "(1,2)"), v(`"1.5, -2"`, `"(1.5,-2)"`, "(1.5,-2)")),
		nullable("ln", same(`"{1,-1,0}"`, "{1,-1,0}"), same(`"{0,1,-1}"`, "{0,1,-1}")),
		nullable("ls", same(`"[(0,0),(1,1)]"`, "[(0,0),(1,1)]"), v(`"(1,2),(3,4)"`, `"[(1,2),(3,4)]"`, "[(1,2),(3,4)]")),
		nullable("bx", v(`"(0,0),(1,1)"`, `"(1,1),(0,0)"`, "(1,1),(0,0)"), same(`"(2,2),(1,1)"`, "(2,2),(1,1)")),
		nullable("pa", same(`"[(0,0),(1,1)]"`, "[(0,0),(1,1)]"), same(`"((0,0),(1,1),(2,0))"`, "((0,0),(1,1),(2,0))")),
		nullable("pg", same(`"((0,0),(1,0),(1,1))"`, "((0,0),(1,0),(1,1))"), v(`"(0,0),(2,0),(1,1)"`, `"((0,0),(2,0),(1,1))"`, "((0,0),(2,0),(1,1))")),
		nullable("ci", same(`"<(0,0),1>"`, "<(0,0),1>"), v(`"((1,1),2.5)"`, `"<(1,1),2.5>"`, "<(1,1),2.5>")),
		nullable("r4", v(`"[1,5]"`, `"[1,6)"`, "[1,6)"), same(`"empty"`, "empty"), same(`"(,5)"`, "(,5)")),
		nullable("r8", same(`"[9223372036854775806,9223372036854775807)"`, "[9223372036854775806,9223372036854775807)"), same(`"empty"`, "empty")),
		nullable("rn", same(`"(1.5,2.5]"`, "(1.5,2.5]"), v(`"[1.50,2]"`, `"[1.50,2]"`, "[1.50,2]")),
		nullable("rts", v(`"[2024-01-01 00:00,2024-01-02 00:00)"`, q(`["2024-01-01 00:00:00","2024-01-02 00:00:00")`), `["2024-01-01 00:00:00","2024-01-02 00:00:00")`), same(`"(,)"`, "(,)")),
		nullable("rtz", v(`"[2024-01-01 00:00+00,)"`, q(`["2024-01-01 05:30:00+05:30",)`), `["2024-01-01 05:30:00+05:30",)`), same(`"empty"`, "empty")),
		nullable("rd", v(`"[2024-01-01,2024-01-31]"`, `"[2024-01-01,2024-02-01)"`, "[2024-01-01,2024-02-01)"), same(`"(,2024-01-01)"`, "(,2024-01-01)")),
		nullable("mr", v(`"{[1,3), [5,7)}"`, `"{[1,3),[5,7)}"`, "{[1,3),[5,7)}"), v(`"{[1,3),[2,6)}"`, `"{[1,6)}"`, "{[1,6)}")),
		nullable("pr", same(q(`(1,"x y")`), `(1,"x y")`), same(`"(,)"`, "(,)")),
		nullable("tz", same(`"12:34:56+02"`, "12:34:56+02"), same(`"12:34:56.789-03:30"`, "12:34:56.789-03:30")),
		nullable("mo", v(`"12.34"`, `"$12.34"`, "$12.34"), v(`"-1000000"`, `"-$1,000,000.00"`, "-$1,000,000.00")),
		nullable("mac", v(`"08002b010203"`, `"08:00:2b:01:02:03"`, "08:00:2b:01:02:03"), same(`"ff:ff:ff:ff:ff:ff"`, "ff:ff:ff:ff:ff:ff")),
		nullable("mac8", same(`"08:00:2b:01:02:03:04:05"`, "08:00:2b:01:02:03:04:05"), v(`"08002b0102030405"`, `"08:00:2b:01:02:03:04:05"`, "08:00:2b:01:02:03:04:05")),
		nullable("x", same(`"<a>1</a>"`, "<a>1</a>"), same(`"text only"`, "text only"), same(`"<a/><b/>"`, "<a/><b/>")),
		nullable("bt", same(`"1010"`, "1010"), same(`"0000"`, "0000")),
		nullable("vb", same(`"101"`, "101"), same(`""`, "")),
		nullable("isbn", v(`"978-0-306-40615-7"`, `"0-306-40615-2"`, "0-306-40615-2"), v(`"0-306-40615-2"`, `"0-306-40615-2"`, "0-306-40615-2")),
		nullable("o", same(`"4294967295"`, "4294967295"), v(`"-1"`, `"4294967295"`, "4294967295")),
		nullable("lsn", same(`"16/B374D848"`, "16/B374D848"), same(`"0/0"`, "0/0")),
		nullable("jp", v(`"$.a[*] ? (@ > 1)"`, q(`$."a"[*]?(@ > 1)`), `$."a"[*]?(@ > 1)`), v(`"strict $.a"`, q(`strict $."a"`), `strict $."a"`)),
		nullable("ch", same(`"a"`, "a"), same(`""`, "")),
	})
}

// An invalid value of a field and the errors it gets, by POST and by
// PATCH.
type invalid struct {
	field, value string
	want         []apitest.Located
}

// bad is a value rejected with code at ["body", field].
func bad(field, value, code string) invalid {
	return invalid{field: field, value: value, want: []apitest.Located{apitest.At(code, "body", field)}}
}

// badAt is a value rejected with the errors given.
func badAt(field, value string, want ...apitest.Located) invalid {
	return invalid{field: field, value: value, want: want}
}

// reject sends every invalid value in a POST and in a PATCH of a row of
// tb, and requires a 422 with exactly the errors expected.
func reject(t *testing.T, tb table, cases []invalid) {
	s := newServer(t)
	logged := len(s.logs.String())
	row := s.Do(t, http.MethodPost, tb.path, body(tb.base())).Row(t, http.StatusCreated)
	path := tb.path + "/" + unquote(row["id"])
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s=%.40s", c.field, c.value), func(t *testing.T) {
			s.Send(t, http.MethodPost, tb.path, body(tb.base(), fields{c.field: c.value})).ErrorsOf(t, http.StatusUnprocessableEntity, c.want...)
			if c.field == "id" {
				return // the key of a PATCH comes from the path
			}
			s.Send(t, http.MethodPatch, path, body(fields{c.field: c.value})).ErrorsOf(t, http.StatusUnprocessableEntity, c.want...)
		})
	}
	assert.Equal(t, row, s.Do(t, http.MethodGet, path, nil).Row(t, http.StatusOK), "the rejected PATCHes changed nothing")
	for _, line := range strings.Split(s.logs.String()[logged:], "\n") {
		assert.NotContains(t, line, "level=ERROR", "a rejected value is never an internal error")
	}
}

func TestScalarsReject(t *testing.T) {
	reject(t, scalars, []invalid{
		bad("i2", `"1"`, "type"), bad("i2", "1.5", "type"), bad("i2", "true", "type"), bad("i2", "null", "type"),
		bad("i2", "32768", "maximum"), bad("i2", "-32769", "minimum"),
		bad("i4", "2147483648", "maximum"), bad("i4", "-2147483649", "minimum"), bad("i4", "1e10", "maximum"),
		bad("i8", "9223372036854775808", "maximum"), bad("i8", "-9223372036854775809", "minimum"),
		bad("i8n", "[1]", "type"),
		bad("dec", "true", "type"), bad("dec", `"1,5"`, "type"), bad("dec", `"abc"`, "type"), bad("dec", "{}", "type"),
		bad("dec", `"123456789.00"`, "maximum"), bad("dec", `"99999999.995"`, "maximum"), bad("dec0", `"123456"`, "maximum"),
		bad("f4", `"1.5"`, "type"), bad("f4", "1e39", "maximum"), bad("f4", "-1e39", "minimum"),
		bad("f8", "1e309", "maximum"), bad("f8", `"Inf"`, "type"),
		bad("t", "1", "type"), bad("t", `"\u0000"`, "format"), bad("t", "null", "type"),
		bad("vc", q(repeat("é", 21)), "max_length"),
		bad("ch", `"abcd"`, "max_length"), bad("c1", `"ab"`, "max_length"),
		bad("ci", "1", "type"),
		bad("b", `"true"`, "type"), bad("b", "1", "type"),
		bad("u", `"not-a-uuid"`, "format"), bad("u", `"a0eebc999c0b4ef8bb6d6bb9bd380a11"`, "format"), bad("u", "1", "type"),
		bad("tstz", `"2024-01-01T00:00:00"`, "format"), bad("tstz", `"2024-13-01T00:00:00Z"`, "format"),
		bad("tstz", `"yesterday"`, "format"), bad("tstz", "0", "type"),
		bad("ts", `"2024-01-01T00:00:00Z"`, "format"), bad("ts", `"2024-01-01T00:00:00+02:00"`, "format"),
		bad("d", `"2023-02-29"`, "format"), bad("d", `"2024-1-1"`, "format"), bad("d", "20240101", "type"),
		bad("tm", `"25:00:00"`, "format"), bad("tm", `"24:00:01"`, "format"), bad("tm", `"12:00:00+02"`, "format"),
		bad("iv", `"P1.5D"`, "format"), bad("iv", `"forever"`, "format"), bad("iv", `"P"`, "format"), bad("iv", "3600", "type"),
		bad("by", `"aGVsbG8"`, "format"), bad("by", `"***"`, "format"), bad("by", "[1,2]", "type"),
		bad("jb", `{"a":"\u0000"}`, "format"),
		bad("ip", `"10.0.0.1/33"`, "format"), bad("ip", `"fe80::1%eth0"`, "format"), bad("ip", `"999.1.1.1"`, "format"),
		bad("ip", `"10.0.0.1/"`, "format"), bad("ip", `"::1/129"`, "format"),
		bad("net", `"10.1.2.3/8"`, "format"), bad("net", `"10.0.0.0/33"`, "format"), bad("net", "10", "type"),
		bad("m", `"angry"`, "enum"), bad("m", `"Happy"`, "enum"), bad("mn", "1", "type"),
	})
}

func TestScalarsRequired(t *testing.T) {
	s := newServer(t)
	b := scalars.base()
	delete(b, "i2")
	delete(b, "m")
	s.Send(t, http.MethodPost, "/scalars", body(b)).ErrorsOf(t, http.StatusUnprocessableEntity,
		apitest.At("required", "body", "i2"), apitest.At("required", "body", "m"))
}

func TestArraysReject(t *testing.T) {
	reject(t, arrays, []invalid{
		badAt("ints", "[[1,2],[3]]", apitest.At("format", "body", "ints", 1)),
		badAt("ints", "[[]]", apitest.At("format", "body", "ints", 0)),
		badAt("intsn@dims", `[{"lower":0,"length":1}]`, apitest.At("type", "body", "intsn@dims")),
		badAt("intsn@dims", `[{"lower":0}]`, apitest.At("required", "body", "intsn@dims", 0, "length")),
		badAt("ints", `[1,"2"]`, apitest.At("type", "body", "ints", 1)),
		bad("ints", `"{1,2}"`, "type"), bad("ints", "null", "type"),
		bad("texts", "null", "type"), bad("texts", `"a"`, "type"),
		badAt("smalls", "[40000]", apitest.At("maximum", "body", "smalls", 0)),
		badAt("shorts", `["abcde","abcdef"]`, apitest.At("max_length", "body", "shorts", 1)),
		badAt("chars", `["abc"]`, apitest.At("max_length", "body", "chars", 0)),
		badAt("domains", `["01234567890"]`, apitest.At("max_length", "body", "domains", 0)),
		badAt("moods", `["ok","angry"]`, apitest.At("enum", "body", "moods", 1)),
		badAt("good_moods", `["angry"]`, apitest.At("enum", "body", "good_moods", 0)),
		badAt("uuids", `["x"]`, apitest.At("format", "body", "uuids", 0)),
		badAt("dates", `["2024-02-30"]`, apitest.At("format", "body", "dates", 0)),
		badAt("decs", `["x"]`, apitest.At("type", "body", "decs", 0)),
		// The database checks the elements' domains and types; it does
		// not say where.
		badAt("prices", `["-1"]`, apitest.At("check", "body")),
		badAt("good_moods", `["sad"]`, apitest.At("check", "body")),
		badAt("ltrees", `["a..b"]`, apitest.At("type", "body")),
		badAt("points", `["(1"]`, apitest.At("type", "body")),
		badAt("matrix", `[[1,2],[3]]`, apitest.At("format", "body", "matrix", 1)),
		badAt("matrix", `[[1,"x"]]`, apitest.At("type", "body", "matrix", 0, 1)),
		bad("matrix", `"{{1,2}}"`, "type"),
		bad("triples", "[1,2,3,4]", "check"),
	})
}

func TestDomainsReject(t *testing.T) {
	reject(t, domains, []invalid{
		bad("id", `"x"`, "type"),
		bad("sc", "-1", "minimum"), bad("sc", "32768", "maximum"), bad("scn", "-1", "minimum"),
		bad("p", "0", "minimum"), bad("p", "null", "type"),
		bad("bi", "0", "minimum"), bad("bi", "9000000000000000001", "maximum"),
		bad("pr", `"-0.01"`, "minimum"),
		bad("ra", "1.5", "maximum"), bad("ra", "-0.1", "minimum"),
		bad("ce", "-273.15", "minimum"),
		bad("co", `"abc"`, "pattern"), bad("co", `"ABCD"`, "pattern"),
		bad("st", q("01234567890"), "max_length"),
		bad("ct", `"GB"`, "enum"),
		bad("em", `"nope"`, "pattern"),
		bad("fl", "null", "type"),
		// CHECKs the API cannot evaluate, caught by the database and
		// located at the domain's columns.
		bad("mo", `"1999-12-31T23:59:59Z"`, "check"),
		bad("bd", `"1900-01-01"`, "check"),
		bad("op", `"07:59:59"`, "check"), bad("op", `"20:00:00"`, "check"),
		bad("du", `"PT0S"`, "check"), bad("du", `"-PT1S"`, "check"),
		bad("bl", `"AAECAwQ="`, "check"),
		bad("at", "[1]", "check"),
		bad("tri", "[1,2,3,4]", "check"),
		bad("tt", `"abcd"`, "max_length"),
		// A domain's CHECK does not say which column failed: every column
		// of the domain is named.
		badAt("gm", `"sad"`, apitest.At("check", "body", "gm"), apitest.At("check", "body", "gmn")),
		badAt("lp", `"a..b"`, apitest.At("type", "body")),
	})
}

func TestFallbacksReject(t *testing.T) {
	reject(t, fallbacks, []invalid{
		bad("lt", "1", "type"), bad("lt", "null", "type"), bad("pt", "[1,2]", "type"),
		// The database rejects the text; it does not say where.
		badAt("lt", `"a..b"`, apitest.At("type", "body")),
		badAt("lq", `"a..b"`, apitest.At("type", "body")),
		badAt("tsq", `"&&"`, apitest.At("type", "body")),
		badAt("jp", `"1 2"`, apitest.At("type", "body")),
		badAt("pt", `"(1"`, apitest.At("type", "body")),
		badAt("r4", `"[5,1]"`, apitest.At("format", "body")),
		badAt("mr", `"{[3,1)}"`, apitest.At("format", "body")),
		badAt("x", `"<a>"`, apitest.At("format", "body")),
		badAt("bt", `"10"`, apitest.At("format", "body")),
		badAt("bt", `"10101"`, apitest.At("format", "body")),
		badAt("vb", `"102"`, apitest.At("type", "body")),
		badAt("isbn", `"978-0-306-40615-8"`, apitest.At("type", "body")),
		badAt("tz", `"12:00+25"`, apitest.At("format", "body")),
		badAt("mo", `"abc"`, apitest.At("type", "body")),
		badAt("mo", `"99999999999999999999"`, apitest.At("maximum", "body")),
		badAt("o", `"abc"`, apitest.At("type", "body")),
		badAt("pr", `"(1"`, apitest.At("type", "body")),
		badAt("mac", `"08:00"`, apitest.At("type", "body")),
		badAt("lsn", `"xx"`, apitest.At("type", "body")),
		badAt("rd", `"[2024-02-30,)"`, apitest.At("format", "body")),
		// hstore text is checked by the API: PostgreSQL 15 reports bad
		// text as an internal error.
		bad("hs", `"a=>"`, "format"), bad("hs", `"a=>b,,"`, "format"), bad("hs", `"\"a"`, "format"),
	})
}

func TestSerials(t *testing.T) {
	s := newServer(t)
	first := s.Do(t, http.MethodPost, "/serials", "{}").Row(t, http.StatusCreated)
	id := unquote(first["id"])
	n, err := strconv.Atoi(id)
	require.NoError(t, err)
	// Every serial and identity column numbers the row the same way, but
	// from its own start: ib starts at 10, by 5.
	second := s.Do(t, http.MethodPost, "/serials", `{"note":"x"}`).Row(t, http.StatusCreated)
	assert.Equal(t, strconv.Itoa(n+1), second["id"])
	for _, col := range []string{"s2", "s4", "ia"} {
		a, _ := strconv.Atoi(first[col])
		assert.Equal(t, strconv.Itoa(a+1), second[col], col)
	}
	ib, _ := strconv.Atoi(first["ib"])
	assert.Equal(t, strconv.Itoa(ib+5), second["ib"])

	// Serial and BY DEFAULT identity columns take a value; ALWAYS identity
	// columns are read-only.
	t.Cleanup(func() { s.exec(t, "DELETE FROM serials WHERE id = 9000000000000000000") })
	given := s.Do(t, http.MethodPost, "/serials", `{"id":9000000000000000000,"s2":32767,"s4":-1,"ib":-32768}`).Row(t, http.StatusCreated)
	assert.Equal(t, fields{"id": "9000000000000000000", "s2": "32767", "s4": "-1", "ia": given["ia"], "ib": "-32768", "note": "null"}, given)
	s.Send(t, http.MethodPost, "/serials", `{"ia":1}`).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("read_only", "body", "ia"))
	s.Send(t, http.MethodPatch, "/serials/"+id, `{"ia":1}`).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("read_only", "body", "ia"))
	s.Send(t, http.MethodPost, "/serials", `{"s2":32768}`).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("maximum", "body", "s2"))
	s.Send(t, http.MethodPost, "/serials", `{"s2":null}`).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("type", "body", "s2"))

	// PATCH sets them; PUT gives omitted ones their defaults again.
	patched := s.Do(t, http.MethodPatch, "/serials/"+id, `{"s2":7,"ib":8}`).Row(t, http.StatusOK)
	assert.Equal(t, "7", patched["s2"])
	assert.Equal(t, "8", patched["ib"])
	assert.Equal(t, first["ia"], patched["ia"])
	put := s.Do(t, http.MethodPut, "/serials/"+id, `{"s4":3}`).Row(t, http.StatusOK)
	assert.Equal(t, "3", put["s4"])
	assert.NotEqual(t, "7", put["s2"], "an omitted serial gets the next value of its sequence")
	assert.Equal(t, first["ia"], put["ia"], "PUT leaves an ALWAYS identity column alone")
	got, _ := s.stored(t, "serials", "s2", id)
	assert.Equal(t, put["s2"], got)

	// The path takes the key's range.
	s.Send(t, http.MethodGet, "/serials/9223372036854775808", nil).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("type", "path", "id"))
	s.Send(t, http.MethodGet, "/serials/x", nil).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("type", "path", "id"))
}

// Keys of other types in paths: a uuid (fallbacks) and an integer
// (domains) that the client chooses.
func TestKeysInPaths(t *testing.T) {
	s := newServer(t)
	t.Cleanup(func() { s.exec(t, "DELETE FROM fallbacks WHERE id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12'") })
	row := s.Do(t, http.MethodPost, "/fallbacks", `{"id":"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12","lt":"a"}`).Row(t, http.StatusCreated)
	assert.Equal(t, `"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12"`, row["id"])
	assert.Equal(t, row, s.Do(t, http.MethodGet, "/fallbacks/a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12", nil).Row(t, http.StatusOK))
	assert.Equal(t, row, s.Send(t, http.MethodGet, "/fallbacks/A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12", nil).Row(t, http.StatusOK))
	s.Send(t, http.MethodGet, "/fallbacks/not-a-uuid", nil).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("type", "path", "id"))
	s.Do(t, http.MethodGet, "/fallbacks/00000000-0000-0000-0000-000000000000", nil).ErrorsOf(t, http.StatusNotFound)
	s.Send(t, http.MethodPost, "/fallbacks", `{"id":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12","lt":"b"}`).ErrorsOf(t, http.StatusConflict, apitest.At("unique", "body", "id"))

	s.Send(t, http.MethodGet, "/domains/2147483648", nil).ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("type", "path", "id"))
}

// PostgreSQL keeps 63 bytes of a name and drops the rest without an error,
// so the API rejects longer names, counting bytes, not characters.
func TestNameLongerThan63BytesIsRejected(t *testing.T) {
	s := newServer(t)
	s.Send(t, http.MethodPost, "/scalars", body(scalars.base(), fields{"nm": q(repeat("n", 64))})).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("max_length", "body", "nm"))
	s.Send(t, http.MethodPost, "/scalars", body(scalars.base(), fields{"nm": q(repeat("é", 32))})).
		ErrorsOf(t, http.StatusUnprocessableEntity, apitest.At("max_length", "body", "nm"))
}
