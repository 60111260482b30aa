package sqlite

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/source"
	"github.com/crudgen/crudgen/internal/corpus"
)

// FuzzLoad runs arbitrary text as a schema: Load never panics, takes no
// more than seconds, and its errors point into the input.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT CHECK (x <> ''));",
		"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END; CREATE TABLE a (x);",
		"CREATE VIRTUAL TABLE v USING fts5(x); CREATE TABLE v_data (id);",
		"CREATE TABLE [a b] (`c` INT, \"d\" INT REFERENCES [a b] (`c`)) STRICT;",
		".read x\nCREATE TABLE t (x);",
		"CREATE TABLE t (x INT,, y);",
		"ALTER TABLE nope RENAME TO x;",
	} {
		f.Add(s)
	}
	// Every statement of the SQLite corpus, or a sample when fuzzing.
	var seeds []string
	for _, e := range corpus.SQLiteEntries(f) {
		files, err := e.Sources()
		require.NoError(f, err)
		for _, file := range files {
			stmts, _ := split(file)
			for _, st := range stmts {
				seeds = append(seeds, st.text+";")
			}
		}
	}
	if corpus.Fuzzing() {
		seeds = corpus.Sample(seeds, corpus.FuzzSeeds)
	}
	for _, s := range corpus.Unique(seeds) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		start := time.Now()
		_, err := Load([]source.File{{Name: "f.sql", Text: text}})
		require.Less(t, time.Since(start), 5*time.Second)
		if err == nil {
			return
		}
		var de *ddl.Error
		require.ErrorAs(t, err, &de, "%v", err)
		require.Equal(t, "f.sql", de.Pos.File)
		require.LessOrEqual(t, de.Pos.Line, strings.Count(text, "\n")+1, "%v", err)
	})
}
