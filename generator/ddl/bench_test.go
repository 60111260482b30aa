package ddl

import (
	"testing"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/crudgen/crudgen/internal/corpus"
)

// largest are the biggest single-file schemas of the corpus.
var largest = []string{"postgrest_big_schema", "adventureworks", "cratesio_pgdump", "pagila_2024"}

// BenchmarkParse measures Parse on the largest corpus files against a
// baseline of libpg_query alone parsing the same statements, so the cost
// of splitting, psql handling and conversion shows as a ratio.
func BenchmarkParse(b *testing.B) {
	for _, e := range corpus.Entries(b) {
		if !contains(largest, e.Name) {
			continue
		}
		files, err := e.Sources()
		if err != nil {
			b.Fatal(err)
		}
		size := 0
		var stmts []string
		for _, f := range files {
			size += len(f.Text)
			sp := &splitter{sess: &session{stdStrings: true, vars: map[string]string{}}}
			sp.split(newText(f.Name, f.Text))
			for _, it := range sp.items {
				if it.chunk != nil {
					stmts = append(stmts, it.chunk.body)
				}
			}
		}
		b.Run(e.Name+"/libpg_query", func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				for _, s := range stmts {
					pg.Parse(s) //nolint:errcheck // statements with unset psql variables fail; that costs the same
				}
			}
		})
		b.Run(e.Name+"/ddl.Parse", func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				if _, err := Parse(files, Options{Vars: e.Vars}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
