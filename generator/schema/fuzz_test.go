package schema_test

import (
	"errors"
	"go/token"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/model"
	"github.com/crudgen/crudgen/generator/schema"
	"github.com/crudgen/crudgen/generator/source"
	"github.com/crudgen/crudgen/internal/corpus"
)

// maxSeed bounds the size of a seed cut from the corpus.
const maxSeed = 2048

// slowInput is how long one input of a few kilobytes may take to go
// through the front end. Such an input takes milliseconds; one that takes
// seconds does super-linear work.
const slowInput = 5 * time.Second

// buildSeeds are inputs written for the builder: statements that depend
// on each other, DO blocks, renames and drops.
var buildSeeds = []string{
	"CREATE TABLE a (id int PRIMARY KEY, b_id int); CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a); ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b;",
	"CREATE TYPE mood AS ENUM ('ok', 'func', 'type'); CREATE TABLE m (id serial PRIMARY KEY, mood mood NOT NULL, moods mood[]);",
	"CREATE DOMAIN d AS text CHECK (length(VALUE) < 10); CREATE TABLE t (x d PRIMARY KEY, y int[][], z text[3][3]);",
	"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'e') THEN CREATE TYPE e AS ENUM ('x'); END IF; DROP TABLE nope; END $$; CREATE TABLE u (e e);",
	"CREATE SCHEMA s; SET search_path = s; CREATE TABLE t (id int); CREATE VIEW v AS SELECT * FROM t; ALTER TABLE t RENAME TO t2; ALTER TABLE t2 RENAME COLUMN id TO key;",
	"CREATE TABLE p (id int, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at); CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');",
	"CREATE TABLE router (id int PRIMARY KEY, options text, store int); CREATE VIEW \"Router\" AS SELECT * FROM router; CREATE TYPE routers AS ENUM ('a');",
	"CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, s text GENERATED ALWAYS AS (id::text) STORED, UNIQUE (s)); COMMENT ON TABLE t IS 'x'; DROP TABLE t;",
}

// FuzzBuild runs the front end, parse then build, and the decisions of the
// model on what it built: no input panics or takes long, every error is
// positioned in the input (or, from the model, names the table), and the
// Go names the model picks are identifiers, unique where they share a
// scope.
func FuzzBuild(f *testing.F) {
	for _, s := range buildSeeds {
		f.Add(s)
	}
	for _, s := range corpusSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > slowInput {
				t.Fatalf("%d bytes took %s", len(src), d)
			}
		}()
		lines := strings.Count(src, "\n") + 1
		res, err := ddl.Parse([]source.File{{Name: "fuzz.sql", Text: src}}, ddl.Options{ReadFile: func(string) ([]byte, error) {
			return nil, os.ErrNotExist
		}})
		if err != nil {
			return // FuzzParse checks the parser's errors
		}
		cat, err := schema.Build(res)
		if err != nil {
			var e *ddl.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not located: %v", err, err)
			}
			if e.Pos.File != "fuzz.sql" || e.Pos.Line < 1 || e.Pos.Line > lines || e.Pos.Col < 1 {
				t.Fatalf("error outside the input: %v", err)
			}
			return
		}
		for _, n := range cat.Notes {
			if n.Pos.File != "fuzz.sql" || n.Pos.Line < 1 || n.Pos.Line > lines || n.Pos.Col < 1 {
				t.Fatalf("note outside the input: %v", n)
			}
		}
		pkg, err := model.Build(cat, model.Options{})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "table ") {
				t.Fatalf("model error names no table: %v", err)
			}
			return
		}
		checkNames(t, pkg)
	})
}

// checkNames checks the Go names, routes and operations of a package.
func checkNames(t *testing.T, pkg *model.Package) {
	t.Helper()
	ident := func(what, name string, exported bool) {
		t.Helper()
		if !token.IsIdentifier(name) || exported != token.IsExported(name) {
			t.Fatalf("%s: %q is not an identifier (exported %v)", what, name, exported)
		}
	}
	pkgNames := map[string]string{}
	unique := func(scope map[string]string, what, name string) {
		t.Helper()
		if other, ok := scope[name]; ok {
			t.Fatalf("%s and %s are both %s", other, what, name)
		}
		scope[name] = what
	}
	files, paths := map[string]string{}, map[string]string{}
	ops, ids := map[string]string{}, map[string]string{}
	for _, e := range pkg.Enums {
		ident("enum "+e.Type.Name, e.GoName, true)
		unique(pkgNames, "enum "+e.Type.Name, e.GoName)
		for _, v := range e.Values {
			ident("enum label "+v.Value, v.GoName, true)
			unique(pkgNames, "enum label "+v.Value, v.GoName)
		}
	}
	for _, r := range pkg.Resources {
		what := "table " + r.Table.QualifiedName()
		ident(what, r.GoName, true)
		ident(what, r.GoPlural, true)
		ident(what, r.Var, false)
		unique(pkgNames, what, r.GoName)
		if !strings.HasSuffix(r.File, ".go") || strings.HasSuffix(r.File, "_test.go") {
			t.Fatalf("%s: file %q", what, r.File)
		}
		unique(files, what, r.File)
		unique(paths, what, r.Path)
		fields := map[string]string{}
		for _, fd := range r.Inputs {
			fw := what + " column " + fd.Name
			ident(fw, fd.GoName, true)
			unique(fields, fw, fd.GoName)
		}
		keys := map[string]string{}
		for _, k := range r.Key {
			ident(what+" key "+k.Name, k.PathVar, false)
			unique(keys, what+" key "+k.Name, k.PathVar)
		}
		for _, op := range r.Ops {
			unique(ops, what+" "+op.Name, op.Method+" "+op.Path)
			unique(ids, what+" "+op.Name, op.OperationID)
		}
		for _, n := range r.Nested {
			unique(ops, what+" under "+n.Parent.Table.QualifiedName(), "GET "+n.Path)
			unique(ids, what+" under "+n.Parent.Table.QualifiedName(), n.OperationID)
		}
	}
}

// corpusSeeds cuts the corpus into pieces of whole statements, as the
// parser finds them: all of them for go test, a sample when fuzzing.
// Outside CI a missing corpus gives none; with CI=true it gives some or
// fails.
func corpusSeeds(f *testing.F) []string {
	var seeds []string
	for _, e := range corpus.Present(f) {
		files, err := e.Sources()
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			res, err := ddl.Parse([]source.File{file}, ddl.Options{Vars: e.Vars})
			if err != nil {
				continue // pagila's PostgreSQL 18 syntax: FuzzParse has it
			}
			lineStart := []int{0}
			for i := 0; i < len(file.Text); i++ {
				if file.Text[i] == '\n' {
					lineStart = append(lineStart, i+1)
				}
			}
			var starts []int
			for _, s := range res.Statements {
				if off := lineStart[s.Pos.Line-1]; len(starts) == 0 || off > starts[len(starts)-1] {
					starts = append(starts, off)
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
