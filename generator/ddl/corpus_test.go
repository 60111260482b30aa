package ddl

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/corpus"
)

// Every corpus schema parses, except pagila's PostgreSQL 18 syntax, which
// must fail with a positioned error that names the cause.
func TestCorpusParses(t *testing.T) {
	for _, e := range corpus.Entries(t) {
		t.Run(e.Name, func(t *testing.T) {
			files, err := e.Sources()
			require.NoError(t, err)
			res, err := Parse(files, Options{Vars: e.Vars})
			if e.Name == "pagila" {
				require.Error(t, err)
				require.Contains(t, err.Error(), `pagila-schema.sql:453:77:`)
				require.Contains(t, err.Error(), "PostgreSQL 18")
				return
			}
			require.NoError(t, err)
			require.NotEmpty(t, res.Statements)
			kinds := map[string]int{}
			for _, s := range res.Statements {
				if o, ok := s.Node.(*Other); ok {
					kinds[o.Kind]++
				}
			}
			t.Logf("%d statements, %d notes, skipped kinds %v", len(res.Statements), len(res.Notes), kinds)
		})
	}
}
