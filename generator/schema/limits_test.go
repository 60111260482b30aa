package schema_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/model"
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

// A table with many foreign keys to itself gets a relation and a child
// list per key, named apart, in work linear in their number: the names
// once took a search from the first suffix each, and each relation a scan
// of every child list.
func TestManySelfReferences(t *testing.T) {
	catalog := func(n int) *schema.Catalog {
		var b strings.Builder
		b.WriteString("CREATE TABLE node (id int PRIMARY KEY")
		for i := range n {
			fmt.Fprintf(&b, ", p%d int REFERENCES node", i)
		}
		b.WriteString(");")
		res, err := ddl.Parse([]source.File{{Name: "self.sql", Text: b.String()}}, ddl.Options{})
		require.NoError(t, err)
		cat, err := schema.Build(res)
		require.NoError(t, err)
		return cat
	}
	pkg, err := model.Build(catalog(50), model.Options{})
	require.NoError(t, err)
	r := pkg.Resources[0]
	require.Len(t, r.Relations, 100)
	require.Len(t, r.Nested, 50)
	names := map[string]bool{}
	for _, rel := range r.Relations {
		require.False(t, names[rel.Name], rel.Name)
		names[rel.Name] = true
	}
	for _, n := range r.Nested {
		require.True(t, names[n.Name], "child list %s names no relation", n.Name)
	}

	allocs := func(n int) float64 {
		cat := catalog(n)
		return testing.AllocsPerRun(1, func() { _, _ = model.Build(cat, model.Options{}) })
	}
	small, large := allocs(200), allocs(800)
	require.Less(t, large/small, 6.0, "allocations for 200 and 800 foreign keys: %.0f, %.0f", small, large)
}

// Many tables whose names convert to one Go name and one route get
// suffixes in work linear in their number.
func TestManyCollidingNames(t *testing.T) {
	catalog := func(n int) *schema.Catalog {
		var b strings.Builder
		for i := range n {
			// "a" and punctuation: the Go name A, the route /as.
			name := "a"
			for j := i; j > 0; j /= 8 {
				name += string("!#%&*+-."[j%8])
			}
			fmt.Fprintf(&b, "CREATE TABLE %s (id int PRIMARY KEY);\n", ddl.QuoteIdent(name))
		}
		res, err := ddl.Parse([]source.File{{Name: "names.sql", Text: b.String()}}, ddl.Options{})
		require.NoError(t, err)
		cat, err := schema.Build(res)
		require.NoError(t, err)
		return cat
	}
	pkg, err := model.Build(catalog(20), model.Options{})
	require.NoError(t, err)
	require.Equal(t, "A", pkg.Resources[0].GoName)
	require.Equal(t, "A20", pkg.Resources[19].GoName)

	allocs := func(n int) float64 {
		cat := catalog(n)
		return testing.AllocsPerRun(1, func() { _, _ = model.Build(cat, model.Options{}) })
	}
	small, large := allocs(200), allocs(800)
	require.Less(t, large/small, 6.0, "allocations for 200 and 800 tables: %.0f, %.0f", small, large)
}
