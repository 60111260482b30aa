package ddl

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator/source"
)

// A DO body holding the tag crudgen quotes it with is read whole: the tag
// must not end the quote early.
func TestDoBodyHoldingTheTag(t *testing.T) {
	src := "DO $x$ BEGIN CREATE TABLE a (t text DEFAULT '$crudgen_do$', u text DEFAULT '$crudgen_do2$'); END $x$;"
	res, err := Parse([]source.File{{Name: "do.sql", Text: src}}, Options{})
	require.NoError(t, err)
	require.Len(t, res.Statements, 1)
	do := res.Statements[0].Node.(*Do)
	require.Empty(t, do.Error)
	require.Len(t, do.Body, 1)
	require.IsType(t, &CreateTable{}, do.Body[0].Statement.Node)
}

// \i and \ir without a file name are errors at the meta-command, as in
// psql.
func TestIncludeWithoutName(t *testing.T) {
	_, err := Parse([]source.File{{Name: "inc.sql", Text: "SELECT 1;\n\\ir  \n"}}, Options{ReadFile: func(string) ([]byte, error) {
		return []byte("CREATE TABLE included (id int);"), nil
	}})
	require.EqualError(t, err, `inc.sql:2:1: \ir: missing the file name`)
}
