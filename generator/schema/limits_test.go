package schema_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/schema"
	"github.com/crudgen/crudgen/generator/source"
)

// failingDo is n tables, each followed by a DO block whose statement
// fails.
func failingDo(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "CREATE TABLE t%d (id int);\nDO $$ BEGIN DROP TABLE missing%d; END $$;\n", i, i)
	}
	return b.String()
}

// Statements of DO blocks that fail are left out and noted; past a few,
// the build does not start over for each, which took time quadratic in
// their number.
func TestManyFailingDoStatements(t *testing.T) {
	build := func(n int) *schema.Catalog {
		res, err := ddl.Parse([]source.File{{Name: "do.sql", Text: failingDo(n)}}, ddl.Options{})
		require.NoError(t, err)
		cat, err := schema.Build(res)
		require.NoError(t, err)
		return cat
	}
	cat := build(100)
	require.Len(t, cat.Tables, 100)
	failed := 0
	for _, n := range cat.Notes {
		if strings.Contains(n.Msg, `table "missing`) {
			failed++
		}
	}
	require.Equal(t, 100, failed)
	require.Equal(t, `do.sql:2:13: statement in DO block not applied: table "missing0" does not exist`, cat.Notes[0].Error())

	// The work, counted in allocations, grows with the input, not with
	// its square.
	allocs := func(n int) float64 {
		res, err := ddl.Parse([]source.File{{Name: "do.sql", Text: failingDo(n)}}, ddl.Options{})
		require.NoError(t, err)
		return testing.AllocsPerRun(1, func() { _, _ = schema.Build(res) })
	}
	small, large := allocs(200), allocs(800)
	require.Less(t, large/small, 6.0, "allocations for 200 and 800 failing statements: %.0f, %.0f", small, large)
}
