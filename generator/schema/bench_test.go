package schema

import (
	"testing"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/internal/corpus"
)

// BenchmarkBuild measures the whole front end (parse and build) on the
// largest corpus schemas.
func BenchmarkBuild(b *testing.B) {
	for _, e := range corpus.Entries(b) {
		switch e.Name {
		case "postgrest_big_schema", "adventureworks", "cratesio_pgdump", "cratesio", "postgrest_fixtures":
		default:
			continue
		}
		files, err := e.Sources()
		if err != nil {
			b.Fatal(err)
		}
		size := 0
		for _, f := range files {
			size += len(f.Text)
		}
		b.Run(e.Name, func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				res, err := ddl.Parse(files, ddl.Options{Vars: e.Vars})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Build(res); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
