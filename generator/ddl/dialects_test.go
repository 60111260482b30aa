package ddl

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator/source"
)

// SQL of another engine fails where it shows, with the dialect named.
func TestOtherDialectHints(t *testing.T) {
	for _, tc := range []struct{ sql, want string }{
		{"CREATE TABLE a (id int);\nCREATE TABLE `b` (id int);", "x.sql:2:14: syntax error at or near \"`\" (this looks like MySQL (backtick-quoted names)"},
		{"CREATE TABLE t (\n  id INTEGER PRIMARY KEY AUTOINCREMENT\n);", `x.sql:2:26: syntax error at or near "AUTOINCREMENT" (this looks like SQLite (AUTOINCREMENT)`},
		{"CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY);", `x.sql:1:24: syntax error at or near "AUTO_INCREMENT" (this looks like MySQL (AUTO_INCREMENT)`},
		{"CREATE TABLE t (id int) ENGINE = InnoDB;", `x.sql:1:25: syntax error at or near "ENGINE" (this looks like MySQL (ENGINE=)`},
		{"CREATE TABLE t (n int unsigned);", `x.sql:1:23: syntax error at or near "unsigned" (this looks like MySQL (UNSIGNED)`},
		// Markers inside strings, quoted names, comments and dollar quotes
		// are text: the error stays PostgreSQL's own.
		{"-- `x` AUTOINCREMENT\nCREATE TABLE t (a text DEFAULT '`', \"AUTOINCREMENT\" int, b int /* ENGINE= */ oops);", `x.sql:2:78: syntax error at or near "oops"`},
	} {
		_, err := Parse([]source.File{{Name: "x.sql", Text: tc.sql}}, Options{})
		require.Error(t, err, tc.sql)
		assert.Contains(t, err.Error(), tc.want)
		if tc.want[len(tc.want)-1] == '"' {
			assert.NotContains(t, err.Error(), "looks like", tc.sql)
		}
	}
}

func TestParseExpr(t *testing.T) {
	e, err := ParseExpr("status IN ('a', 'b')", Pos{File: "x.sql", Line: 3, Col: 4})
	require.NoError(t, err)
	assert.Equal(t, ExprIn, e.Kind)
	assert.Equal(t, "status IN ('a', 'b')", e.Text)
	e, err = ParseExpr("length(name) BETWEEN 1 AND 10", Pos{})
	require.NoError(t, err)
	assert.Equal(t, ExprBetween, e.Kind)
	for _, bad := range []string{"x GLOB 'a'", "1; DROP TABLE t", "x FROM t", ""} {
		_, err := ParseExpr(bad, Pos{})
		assert.Error(t, err, bad)
	}
}
