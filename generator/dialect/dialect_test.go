package dialect

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	for s, want := range map[string]Dialect{"": Postgres, "postgres": Postgres, "sqlite": SQLite, "mysql": MySQL} {
		d, err := Parse(s)
		require.NoError(t, err)
		assert.Equal(t, want, d)
	}
	for _, bad := range []string{"postgresql", "SQLite", "maria"} {
		_, err := Parse(bad)
		assert.EqualError(t, err, `"`+bad+`" is not a dialect: postgres, sqlite or mysql`)
	}
	assert.Equal(t, "SQLite", SQLite.Name())
	assert.Equal(t, "this looks like MySQL (ENGINE=), and the dialect is sqlite: use --dialect mysql, or dialect: mysql in crudgen.yaml",
		Hint(SQLite, MySQL, "ENGINE="))
}
