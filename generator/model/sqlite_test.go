package model

import (
	"database/sql"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator/source"
	"github.com/crudgen/crudgen/generator/sqlite"
)

// sqliteModel builds the model of a SQLite schema.
func sqliteModel(t *testing.T, schema string) *Package {
	t.Helper()
	cat, err := sqlite.Load([]source.File{{Name: "schema.sql", Text: schema}})
	require.NoError(t, err)
	pkg, err := Build(cat, Options{})
	require.NoError(t, err)
	return pkg
}

func resourceOf(t *testing.T, pkg *Package, table string) *Resource {
	t.Helper()
	for _, r := range pkg.Resources {
		if r.Table.Name == table {
			return r
		}
	}
	t.Fatalf("no resource for table %s", table)
	return nil
}

// An empty nested list asks whether its parent exists, with a statement
// SQLite runs: it has no SELECT of no columns.
func TestSQLiteParentExists(t *testing.T) {
	const schema = `CREATE TABLE authors (id INTEGER PRIMARY KEY);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES authors (id));`
	posts := resourceOf(t, sqliteModel(t, schema), "posts")
	require.Len(t, posts.Nested, 1)
	exists := posts.Nested[0].ExistsSQL()
	assert.Equal(t, `SELECT EXISTS (SELECT 1 FROM main.authors WHERE id = $1)`, exists)

	db, err := sql.Open("sqlite", ":memory:")
	require.NoError(t, err)
	defer db.Close()
	db.SetMaxOpenConns(1) // one in-memory database
	_, err = db.Exec(schema + `INSERT INTO authors (id) VALUES (1);`)
	require.NoError(t, err)
	for id, want := range map[int64]bool{1: true, 2: false} {
		var got bool
		require.NoError(t, db.QueryRow(exists, id).Scan(&got))
		assert.Equal(t, want, got, "author %d", id)
	}
}

// SQLite lets the primary key columns of a rowid table hold NULL, unless
// they are the rowid; the API does not: a row it writes has a key its
// routes reach.
func TestSQLitePrimaryKeyNotNull(t *testing.T) {
	pkg := sqliteModel(t, `CREATE TABLE destinations (destination TEXT PRIMARY KEY, retry INTEGER);
CREATE TABLE rules (id BIGINT PRIMARY KEY, name TEXT);
CREATE TABLE members (room TEXT, member TEXT, PRIMARY KEY (room, member));`)
	for table, key := range map[string][]string{"destinations": {"destination"}, "rules": {"id"}, "members": {"room", "member"}} {
		r := resourceOf(t, pkg, table)
		require.Len(t, r.Key, len(key), table)
		for i, k := range r.Key {
			assert.Equal(t, key[i], k.Name)
			assert.False(t, k.Column.NotNull, "%s.%s: the catalog says what SQLite does", table, k.Name)
			assert.False(t, k.Nullable, "%s.%s", table, k.Name)
			assert.False(t, k.HasDefault, "%s.%s", table, k.Name)
		}
		for _, f := range r.Create.Fields {
			if f.Column.Name != "retry" && f.Column.Name != "name" {
				assert.Equal(t, Required, f.Mode, "%s.%s", table, f.Name)
			}
		}
	}
}
