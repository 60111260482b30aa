package ddl

import (
	"strings"
	"testing"

	"github.com/crudgen/crudgen/generator/source"
)

var fuzzSeeds = []string{
	"CREATE TABLE t (id int PRIMARY KEY, name text DEFAULT 'x;y');",
	"\\restrict k\nSELECT pg_catalog.set_config('search_path', '', false);\nCOPY t FROM stdin;\n1\t2\n\\.\n",
	"CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END;",
	"DO $$ BEGIN IF true THEN CREATE TABLE x (a int); END IF; EXECUTE 'CREATE TABLE y ()'; END $$;",
	"SET standard_conforming_strings = off; CREATE TABLE l (q text DEFAULT 'It\\'s');",
	"GRANT ALL ON t TO :\"PGUSER\"; \\set v 1\nSELECT :v, :'v', :\"v\";",
	"/* nested /* comment */ still */ CREATE TYPE e AS ENUM ('a', 'b'); -- trailing",
	"CREATE TABLE \"we\"\"ird\" (\"a b\" int); $tag$ unterminated",
	"CREATE TABLE t (a int GENERATED ALWAYS AS (1) VIRTUAL);",
	"E'\\\\' ; U&'d\\0061t' ; B'101' ; x'ff'; ((;))",
}

// FuzzSplit checks that the splitter never panics, that every statement it
// returns lies inside the file, and that positions stay in range.
func FuzzSplit(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		sp := &splitter{sess: &session{stdStrings: true, vars: map[string]string{}}}
		txt := newText("fuzz.sql", src)
		sp.split(txt)
		for _, it := range sp.items {
			if it.chunk == nil {
				continue
			}
			c := it.chunk
			if c.start < 0 || c.start+len(c.body) > len(src) {
				t.Fatalf("statement %q at %d out of range", c.body, c.start)
			}
			if strings.Count(c.body, "\n") != strings.Count(src[c.start:c.start+len(c.body)], "\n") {
				t.Fatalf("statement %q changed its line count", c.body)
			}
			for _, v := range c.vars {
				if v.start < 0 || v.end > len(c.body) || v.start > v.end {
					t.Fatalf("variable reference %+v out of range", v)
				}
			}
			p := txt.pos(c.start)
			if p.Line < 1 || p.Line > len(txt.lines) || p.Col < 1 {
				t.Fatalf("bad position %v", p)
			}
		}
	})
}

// FuzzParse checks that parsing never panics and that every error it
// reports points at a line of the input.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		lines := strings.Count(src, "\n") + 1
		res, err := Parse([]source.File{{Name: "fuzz.sql", Text: src}}, Options{ReadFile: func(string) ([]byte, error) {
			return []byte("CREATE TABLE included (id int);"), nil
		}})
		if err != nil {
			list, ok := err.(ErrorList)
			if !ok {
				t.Fatalf("error %T is not an ErrorList: %v", err, err)
			}
			for _, e := range list {
				if e.Pos.File == "fuzz.sql" && (e.Pos.Line < 1 || e.Pos.Line > lines || e.Pos.Col < 1) {
					t.Fatalf("error outside the input: %v", e)
				}
			}
			return
		}
		for _, s := range res.Statements {
			if s.Pos.File == "fuzz.sql" && (s.Pos.Line < 1 || s.Pos.Line > lines) {
				t.Fatalf("statement outside the input: %v", s.Pos)
			}
		}
	})
}
