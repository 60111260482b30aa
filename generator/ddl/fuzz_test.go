package ddl

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/crudgen/crudgen/generator/source"
	"github.com/crudgen/crudgen/internal/corpus"
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

// maxSeed bounds the size of a seed cut from the corpus.
const maxSeed = 2048

// corpusSeeds cuts every file of the corpus into pieces of whole
// statements, as the splitter finds them: all of them for go test, a
// sample when fuzzing. Outside CI a missing corpus gives none; with CI=true
// it gives some or fails.
func corpusSeeds(f *testing.F) []string {
	var seeds []string
	for _, e := range corpus.Present(f) {
		files, err := e.Sources()
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			sp := &splitter{sess: &session{stdStrings: true, vars: map[string]string{}}}
			sp.split(newText(file.Name, file.Text))
			var starts []int
			for _, it := range sp.items {
				if it.chunk != nil {
					starts = append(starts, it.chunk.start)
				}
			}
			seeds = append(seeds, corpus.Pieces(file.Text, starts, maxSeed)...)
		}
	}
	seeds = corpus.Unique(seeds)
	if corpus.Fuzzing() {
		seeds = corpus.Sample(seeds, corpus.FuzzSeeds)
	}
	if os.Getenv("CI") == "true" && len(seeds) == 0 {
		f.Fatal("CI=true and the corpus gave no seeds")
	}
	return seeds
}

// FuzzSplit checks that the splitter never panics, that every statement it
// returns lies inside the file, and that positions stay in range.
func FuzzSplit(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, s := range corpusSeeds(f) {
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
	for _, s := range corpusSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		defer func() {
			// An input of a few kilobytes parses in milliseconds; seconds
			// mean work super-linear in its size.
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("%d bytes took %s", len(src), d)
			}
		}()
		lines := strings.Count(src, "\n") + 1
		res, err := Parse([]source.File{{Name: "fuzz.sql", Text: src}}, Options{ReadFile: func(string) ([]byte, error) {
			return []byte("CREATE TABLE included (id int);"), nil
		}})
		// Every position is file:line:col, inside the input when it is
		// the input's.
		checkPos := func(what string, p Pos) {
			t.Helper()
			if p.File == "" || p.Line < 1 || p.Col < 1 || p.File == "fuzz.sql" && p.Line > lines {
				t.Fatalf("%s at %q outside the input", what, p)
			}
		}
		if err != nil {
			list, ok := err.(ErrorList)
			if !ok {
				t.Fatalf("error %T is not an ErrorList: %v", err, err)
			}
			if len(list) == 0 {
				t.Fatal("empty ErrorList")
			}
			for _, e := range list {
				checkPos("error "+e.Msg, e.Pos)
			}
			return
		}
		for _, s := range res.Statements {
			checkPos("statement", s.Pos)
		}
		for _, n := range res.Notes {
			checkPos("note "+n.Msg, n.Pos)
		}
	})
}
