package runtime

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/crudgen/crudgen/runtime/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hstoreCases are checked against Hstore and, by TestHstore, against
// PostgreSQL's hstore_in; they seed FuzzHstore.
var hstoreCases = []struct {
	in string
	ok bool
}{
	// Empty hstores and whitespace.
	{"", true}, {" ", true}, {" \t\n\r\f", true}, {"\v", false}, {",", false},
	// Plain pairs, and where whitespace may go.
	{"a=>b", true}, {" a => b ", true}, {"a=>b,c=>d", true}, {"a=>b , c=>d", true},
	{"\ta\n=>\rb\f", true}, {"a= >b", false}, {"a=b", false}, {"a>b", false},
	{"a=", false}, {"a", false}, {"a ", false}, {"a=>", false}, {"a=>  ", false},
	{"a b=>c", false}, {"a=>b c", false}, {"a=>b c=>d", false}, {"a=>b;c=>d", true},
	{"a\v=>b", true}, {"a=>b\v", true}, {"\va=>b", true}, // \v is not whitespace: part of the word
	// Commas: trailing ones, and where words may hold them.
	{"a=>b,", true}, {"a=>b, ", true}, {"a=>b ,", true}, {"a=>b,,", false}, {"a=>b, ,", false},
	{",a=>b", true}, {"a,b=>c", true}, {"a=>,", true}, {"a=>,b", true}, {"a=>,,", true}, {"a=>,,,", false},
	{"a=>b,c", false}, {"a=>b,c=>", false}, {"a=>b,=>c", false},
	// "=" and "=>" in words.
	{"=>a", false}, {" =>a", false}, {"=a=>b", false}, {"a==>b", false}, {"a=>=", true},
	{"a=>b=c", true}, {"a=>b=>c", true}, {"a=>=>", true}, {"a>=>b", true}, {"a=>>", true},
	{`\=a=>b`, true}, {`a\=b=>c`, true}, {`"="=>b`, true}, {`"=>"=>"=>"`, true},
	// Quoted words.
	{`"a"=>"b"`, true}, {`""=>""`, true}, {`"a" => "b"`, true}, {`"a"=>b`, true}, {`a=>"b"`, true},
	{`"a`, false}, {`"a"`, false}, {`"a"=`, false}, {`"a"=>`, false}, {`"a"=>"`, false}, {`"a"=>"b`, false},
	{`"a"b=>c`, false}, {`"a""b"=>c`, false}, {`"a"=>"b"c`, false}, {`"a"=>"b""c"`, false},
	{`"a"=>"b",`, true}, {`"a"=>"b","c"=>"d"`, true}, {`"a, b"=>"c=>d"`, true},
	{`a"b"=>c`, true}, {`a=>b"`, true}, {`a=>b"c"`, true}, {`a"=>b`, true},
	{`"a\"b"=>c`, true}, {`"a\\"=>c`, true}, {`"a\"=>c`, false}, {`"a\`, false}, {`"\\\\"=>""`, true},
	{"\"a\nb\"=>\"c\td\"", true},
	// Backslash escapes in unquoted words.
	{`\`, false}, {`a\`, false}, {`a=>b\`, false}, {`a=>\`, false}, {`\\=>\\`, true},
	{`a\ b=>c`, true}, {`a=>b\ c`, true}, {`a=>b\,c`, true}, {`a\=>b`, false}, {`a\==>b`, true},
	{`\"a=>b`, true}, {`a=>\"`, true}, {`a=>\null`, true}, {`\\\`, false},
	// NULL values, in any case, quoted or not.
	{"a=>NULL", true}, {"a=>null", true}, {"a=>nUlL", true}, {`a=>"NULL"`, true}, {"NULL=>NULL", true},
	{"a=>NULL,b=>NULLx", true}, {"a=>NULL b", false},
	// Non-ASCII: only ASCII bytes are special.
	{"ключ=>значение", true}, {"ключ значение", false}, {`"日本"=>"語"`, true}, {"\u00a0=>\u00a0", true},
	{"a=>\u00a0b", true}, {"a\u2028=>b", true}, {`\é=>\語`, true}, {"é", false}, {"é=>", false},
	// Duplicate keys are merged, not refused.
	{"a=>b,a=>c", true}, {`a=>1,"a"=>2`, true},
}

// hstoreConn connects to the package's database, with the hstore extension.
func hstoreConn(tb testing.TB) *pgx.Conn {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, pgtest.URL(tb))
	require.NoError(tb, err)
	_, err = conn.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS hstore")
	if err != nil {
		_ = conn.Close(ctx)
	}
	require.NoError(tb, err)
	return conn
}

// hstoreServerAccepts reports whether PostgreSQL accepts s as hstore text
// the way generated code sends it; anything but an error of the server
// fails tb.
func hstoreServerAccepts(tb testing.TB, conn *pgx.Conn, s string) bool {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out string
	err := conn.QueryRow(ctx, "SELECT $1::text::hstore", s).Scan(&out)
	if err == nil {
		return true
	}
	var pe *pgconn.PgError
	require.ErrorAs(tb, err, &pe, "%q", s)
	return false
}

// hstoreValid is the verdict of Hstore.
func hstoreValid(s string) bool {
	var errs FieldErrors
	Hstore(&errs, s, "body", "tags")
	return len(errs) == 0
}

func TestHstore(t *testing.T) {
	for _, c := range hstoreCases {
		assert.Equal(t, c.ok, hstoreValid(c.in), "%q", c.in)
	}
	conn := hstoreConn(t)
	defer conn.Close(context.Background())
	for _, c := range hstoreCases {
		assert.Equal(t, c.ok, hstoreServerAccepts(t, conn, c.in), "PostgreSQL on %q", c.in)
	}
}

// TestHstoreLarge checks inputs as large as a request body (1 MiB by
// default) against the server: no hstore limit is in reach.
func TestHstoreLarge(t *testing.T) {
	const mib = 1 << 20
	pairs := strings.Repeat("a=>b,", mib/5)
	cases := []struct {
		name string
		in   string
		ok   bool
	}{
		{"long key", strings.Repeat("k", mib-3) + "=>v", true},
		{"long quoted value", `k=>"` + strings.Repeat(`\"`, mib/2-4) + `"`, true},
		{"many pairs", pairs, true},
		{"many pairs, one bad", pairs + "a=>b c", false},
		{"many escapes, unterminated", strings.Repeat(`\`, mib-1), false},
		{"many escapes", strings.Repeat(`\\`, mib/2-2) + "=>v", true},
		{"many quotes", strings.Repeat(`""=>"",`, mib/7), true},
		{"unterminated quote", `"` + strings.Repeat("=>,", mib/3), false},
		{"a key of commas", strings.Repeat(",", mib-4) + "=>v,", true},
		{"commas after a value", "a=>" + strings.Repeat(",", mib-3), false},
		{"many arrows", "a=>" + strings.Repeat("=>", mib/2-2), true},
	}
	conn := hstoreConn(t)
	defer conn.Close(context.Background())
	for _, c := range cases {
		assert.Equal(t, c.ok, hstoreValid(c.in), c.name)
		assert.Equal(t, c.ok, hstoreServerAccepts(t, conn, c.in), "PostgreSQL on %s", c.name)
	}
}

// TestHstoreExhaustive compares Hstore with PostgreSQL on every text of
// up to hstoreExhaustiveLen bytes made of the bytes the grammar tells
// apart ("a" stands for any other byte).
func TestHstoreExhaustive(t *testing.T) {
	const alphabet = `a"\=>, `
	texts := []string{""}
	for prev := texts; len(prev[0]) < hstoreExhaustiveLen; {
		var next []string
		for _, s := range prev {
			for _, c := range []byte(alphabet) {
				next = append(next, s+string(c))
			}
		}
		texts, prev = append(texts, next...), next
	}
	conn := hstoreConn(t)
	defer conn.Close(context.Background())
	got := hstoreServerVerdicts(t, conn, texts)
	for i, s := range texts {
		if !assert.Equal(t, got[i], hstoreValid(s), "%q", s) {
			return
		}
	}
}

// hstoreExhaustiveLen keeps TestHstoreExhaustive at about 137,000 texts
// (a second): all 6.7 million of up to 8 bytes agreed too.
const hstoreExhaustiveLen = 6

// hstoreServerVerdicts is hstoreServerAccepts for many texts in one query:
// a function catches the errors.
func hstoreServerVerdicts(tb testing.TB, conn *pgx.Conn, texts []string) []bool {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	_, err := conn.Exec(ctx, `
		CREATE OR REPLACE FUNCTION pg_temp.hstore_ok(s text) RETURNS bool LANGUAGE plpgsql AS $$
		BEGIN
			PERFORM s::hstore;
			RETURN true;
		EXCEPTION WHEN OTHERS THEN
			RETURN false;
		END $$`)
	require.NoError(tb, err)
	var got []bool
	err = conn.QueryRow(ctx, `
		SELECT array_agg(pg_temp.hstore_ok(s) ORDER BY n) FROM unnest($1::text[]) WITH ORDINALITY AS t(s, n)`,
		texts).Scan(&got)
	require.NoError(tb, err)
	require.Len(tb, got, len(texts))
	return got
}

func TestHstoreMessages(t *testing.T) {
	for in, msg := range map[string]string{
		"a=>b c":   `must be hstore text: "key"=>"value" pairs separated by commas; unexpected "c" at character 6`,
		"ключ=b":   `must be hstore text: "key"=>"value" pairs separated by commas; unexpected "b" at character 6`,
		"a=>b,\né": `must be hstore text: "key"=>"value" pairs separated by commas; unexpected end of text`,
		"=>":       `must be hstore text: "key"=>"value" pairs separated by commas; unexpected "=" at character 1`,
		"a\tb":     `must be hstore text: "key"=>"value" pairs separated by commas; unexpected "b" at character 3`,
		"a\n":      `must be hstore text: "key"=>"value" pairs separated by commas; unexpected end of text`,
	} {
		var errs FieldErrors
		Hstore(&errs, in, "body", "tags")
		if assert.Len(t, errs, 1, "%q", in) {
			assert.Equal(t, FieldError{Loc: []any{"body", "tags"}, Code: CodeFormat, Message: msg}, errs[0], "%q", in)
		}
	}
}

// TestHstoreLimits checks the limits with small ones. hstore_in fails on
// the key that would be one pair too many, whatever follows; the length of
// a word is without quotes and escapes.
func TestHstoreLimits(t *testing.T) {
	for _, c := range []struct {
		in    string
		fault hstoreFault
	}{
		{"a=>b,c=>d", 0}, {"a=>b,c=>d,", 0}, {"a=>b,a=>b", 0},
		{"a=>b,c=>d,e", hstoreTooManyPairs},
		{"abc=>xyz", 0}, {`"abc"=>"xyz"`, 0}, {`\a\b\c=>"\x\y\z"`, 0}, {`""=>""`, 0},
		{"abcd=>x", hstoreTooLong}, {"x=>abcd", hstoreTooLong}, {`"abcd"=>x`, hstoreTooLong},
		{`x=>"ab\cd"`, hstoreTooLong}, {`x=>ab\cd`, hstoreTooLong},
		{`"abcd=>x`, hstoreSyntax}, {`x=>abcd\`, hstoreSyntax},
	} {
		_, fault := scanHstore(c.in, hstoreLimits{pairs: 2, word: 3})
		assert.Equal(t, c.fault, fault, "%q", c.in)
	}
	for fault, msg := range map[hstoreFault]string{
		hstoreTooManyPairs: "must be hstore text of at most 16777216 pairs",
		hstoreTooLong:      "must be hstore text with keys and values of at most 536870911 bytes",
	} {
		assert.Equal(t, msg, hstoreError("", 0, fault))
	}
}

func TestHstoreAllocations(t *testing.T) {
	s := `a=>b, "c d"=>"e\"f", g\ h=>NULL, ключ=>значение,`
	var errs FieldErrors
	allocs := testing.AllocsPerRun(100, func() { Hstore(&errs, s, "body", "tags") })
	assert.Zero(t, allocs)
	assert.Empty(t, errs)
}

func BenchmarkHstore(b *testing.B) {
	s := strings.Repeat(`key=>value, "quoted key"=>"quoted \"value\"", `, 100)
	b.SetBytes(int64(len(s)))
	var errs FieldErrors
	for b.Loop() {
		Hstore(&errs, s, "body", "tags")
	}
}

// FuzzHstore compares Hstore's verdict with PostgreSQL's on the same text.
func FuzzHstore(f *testing.F) {
	for _, c := range hstoreCases {
		f.Add(c.in)
	}
	var conn *pgx.Conn // opened on the first input, by the worker that runs it
	f.Cleanup(func() {
		if conn != nil {
			_ = conn.Close(context.Background())
		}
	})
	f.Fuzz(func(t *testing.T, s string) {
		valid := hstoreValid(s)
		if strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) {
			return // text cannot hold them; the API refuses them earlier
		}
		if conn == nil {
			conn = hstoreConn(t)
		}
		require.Equal(t, hstoreServerAccepts(t, conn, s), valid, "%q", s)
	})
}
