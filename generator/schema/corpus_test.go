package schema

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/internal/corpus"
)

// load parses and builds a corpus entry.
func load(t *testing.T, e *corpus.Entry) (*Catalog, error) {
	t.Helper()
	files, err := e.Sources()
	require.NoError(t, err)
	res, err := ddl.Parse(files, ddl.Options{Vars: e.Vars})
	if err != nil {
		return nil, err
	}
	return Build(res)
}

func TestCorpusBuilds(t *testing.T) {
	for _, e := range corpus.Entries(t) {
		t.Run(e.Name, func(t *testing.T) {
			cat, err := load(t, e)
			if e.Name == "pagila" {
				require.ErrorContains(t, err, "PostgreSQL 18")
				return
			}
			require.NoError(t, err)
			kinds := map[TableKind]int{}
			for _, tb := range cat.Tables {
				kinds[tb.Kind]++
			}
			t.Logf("%v enums=%d domains=%d notes=%d", kinds, len(cat.Enums), len(cat.Domains), len(cat.Notes))
		})
	}
}
