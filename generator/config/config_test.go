package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func write(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "crudgen.yaml")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

func TestLoad(t *testing.T) {
	path := write(t, "version: 1\nschema: db/schema.sql\nout: internal/api\n")
	c, err := Load(path)
	require.NoError(t, err)
	assert.Equal(t, Paths{"db/schema.sql"}, c.Schema)
	assert.Equal(t, "api", c.Package)
	assert.Equal(t, filepath.Join(filepath.Dir(path), "db/schema.sql"), c.Resolve("db/schema.sql"))

	c, err = Load(write(t, "version: 1\nschema: [a.sql, migrations]\nout: gen/v1\npackage: v1api\n"))
	require.NoError(t, err)
	assert.Equal(t, Paths{"a.sql", "migrations"}, c.Schema)
	assert.Equal(t, "v1api", c.Package)
}

func TestLoadErrors(t *testing.T) {
	for content, want := range map[string]string{
		"version: 2\n":                                      "version: must be 1, got 2",
		"version: 1\nschemas: x.sql\n":                      `field schemas not found`,
		"version: 1\npackage: my-api\n":                     `package: "my-api" is not a valid Go package name`,
		"version: 1\nout: x/func\n":                         `out: "x/func" ends in "func", which is not a valid Go package name`,
		"version: [\n":                                      "crudgen.yaml",
		"version: 1\ntables:\n  exclud: [x]\n":              "line 3: field exclud not found",
		"version: 1\nbase_path: api\n":                      `base_path: "api" is not a path`,
		"version: 1\nauth: basic\n":                         `auth: "basic" is neither none nor bearer`,
		"version: 1\njson_names: snake\n":                   `json_names: "snake" is neither columns nor camel`,
		"version: 1\ndialect: postgresql\n":                 `dialect: "postgresql" is not a dialect: postgres, sqlite or mysql`,
		"version: 1\ntables:\n  include: [\"[a\"]\n":        `tables: "[a" is not a glob`,
		"version: 1\ntables: {require_if_match: [\"[\"]}\n": `tables: "[" is not a glob`,
		"version: 1\nroutes:\n  people: persons\n":          `routes: people: "persons" is not a route`,
		"version: 1\nfields:\n  title: headline\n":          `fields: "title" is not table.column`,
		"version: 1\nfields:\n  posts.title: \"a,b\"\n":     `fields: posts.title: "a,b" cannot name a field`,
		"version: 1\ncolumns:\n  users.password: secret\n":  `columns: users.password: "secret" is not hidden, write_only, read_only or read_write`,
		"version: 1\nrelations:\n  posts.author: \"a/b\"\n": `relations: posts.author: "a/b" cannot name a relation`,
		"version: 1\ncolumns: [a]\n":                        "cannot unmarshal",
	} {
		_, err := Load(write(t, content))
		require.Error(t, err, content)
		assert.Contains(t, err.Error(), want, content)
	}
	_, err := Load(filepath.Join(t.TempDir(), "missing.yaml"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestVersionIsRequired(t *testing.T) {
	_, err := Load(write(t, ""))
	assert.ErrorContains(t, err, "version: missing: the file starts with version: 1")
	_, err = Load(write(t, "out: x\n"))
	assert.ErrorContains(t, err, "version: missing")
}
