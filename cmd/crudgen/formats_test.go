package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each migration format, through crudgen.yaml: two migrations (a table,
// then a column), whose down parts must not count.
func TestMigrationFormatsThroughConfig(t *testing.T) {
	const create, alter = "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);\n", "ALTER TABLE items ADD COLUMN note text;\n"
	const down = "DROP TABLE items;\n"
	for format, files := range map[string]map[string]string{
		"goose": {
			"00001_init.sql": "-- +goose Up\n" + create + "-- +goose Down\n" + down,
			"00002_note.sql": "-- +goose Up\n" + alter + "-- +goose Down\nALTER TABLE items DROP COLUMN note;\n",
		},
		"golang-migrate": {
			"000001_init.up.sql": create, "000001_init.down.sql": down,
			"000002_note.up.sql": alter, "000002_note.down.sql": "ALTER TABLE items DROP COLUMN note;\n",
		},
		"dbmate": {
			"20240101000000_init.sql": "-- migrate:up\n" + create + "-- migrate:down\n" + down,
			"20240102000000_note.sql": "-- migrate:up\n" + alter + "-- migrate:down\nALTER TABLE items DROP COLUMN note;\n",
		},
		"sql-migrate": {
			"1_init.sql": "-- +migrate Up\n" + create + "-- +migrate Down\n" + down,
			"2_note.sql": "-- +migrate Up\n" + alter + "-- +migrate Down\nALTER TABLE items DROP COLUMN note;\n",
		},
		"diesel": {
			"2024-01-01-000000_init/up.sql": create, "2024-01-01-000000_init/down.sql": down,
			"2024-01-02-000000_note/up.sql": alter, "2024-01-02-000000_note/down.sql": "ALTER TABLE items DROP COLUMN note;\n",
		},
		"prisma": {
			"20240101000000_init/migration.sql": create,
			"20240102000000_note/migration.sql": alter,
			"migration_lock.toml":               "provider = \"postgresql\"\n",
		},
		"numbered": {"001_init.sql": create, "002_note.sql": alter},
		"flyway":   {"V1__init.sql": create, "V2__note.sql": alter},
	} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range files {
				path := filepath.Join(dir, "migrations", filepath.FromSlash(name))
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
			}
			cfg := filepath.Join(dir, "crudgen.yaml")
			require.NoError(t, os.WriteFile(cfg, []byte("version: 1\nschema: migrations\nmigrations: "+format+"\nout: api\n"), 0o644))
			code, out, errs := runCLI("generate", "-c", cfg)
			require.Equal(t, exitOK, code, errs)
			assert.Contains(t, out, "1 tables")
			items, err := os.ReadFile(filepath.Join(dir, "api", "items.go"))
			require.NoError(t, err)
			assert.Contains(t, string(items), "Note *string")
			code, _, errs = runCLI("check", "-c", cfg)
			assert.Equal(t, exitOK, code, errs)
		})
	}
}

// init starts from a given schema file or migration folder.
func TestInitFromSchema(t *testing.T) {
	src := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(src, "m"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(src, "m", "000001_init.up.sql"), []byte("CREATE TABLE things (id int PRIMARY KEY);\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(src, "m", "000001_init.down.sql"), []byte("DROP TABLE things;\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(src, "one.sql"), []byte("CREATE TABLE gadgets (id int PRIMARY KEY);\n"), 0o644))

	project := filepath.Join(t.TempDir(), "fromdir")
	code, _, errs := runCLI("init", project, "--schema", filepath.Join(src, "m"))
	require.Equal(t, exitOK, code, errs)
	assert.FileExists(t, filepath.Join(project, "db", "migrations", "000001_init.up.sql"))
	assert.FileExists(t, filepath.Join(project, "internal", "api", "things.go"))
	cfg, err := os.ReadFile(filepath.Join(project, "crudgen.yaml"))
	require.NoError(t, err)
	assert.Contains(t, string(cfg), "schema: db/migrations")

	project = filepath.Join(t.TempDir(), "fromfile")
	code, _, errs = runCLI("init", project, "--schema", filepath.Join(src, "one.sql"), "--module", "example.com/x")
	require.Equal(t, exitOK, code, errs)
	assert.FileExists(t, filepath.Join(project, "internal", "api", "gadgets.go"))
	// Existing files are kept unless --force.
	code, _, errs = runCLI("init", project)
	assert.Equal(t, exitFail, code)
	assert.Contains(t, errs, "already has")
	code, _, errs = runCLI("init", project, "--force", "--module", "example.com/x")
	assert.Equal(t, exitOK, code, errs)
	code, _, errs = runCLI("init", project, "--module", "not a module")
	assert.Equal(t, exitUsage, code, errs)
}
