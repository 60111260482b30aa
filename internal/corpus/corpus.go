// Package corpus gives tests access to the real-world schemas in
// ../shared/corpus (beside the repository), with the apply order,
// templating and psql variables each entry needs. The corpus is never
// copied into the repository.
package corpus

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/crudgen/crudgen/generator/source"
)

// Entry is one schema of the corpus.
type Entry struct {
	Name string
	Dir  string
	// Paths are what a user would hand to crudgen: files in apply order, or
	// one migration folder.
	Paths []string
	// Setup runs before the entry's own SQL (schemas its templates assume).
	Setup string
	// Vars are the psql variables the entry uses.
	Vars map[string]string
	// Roles are the cluster-wide roles the entry creates.
	Roles []string
	// Extensions are those the entry needs beyond PostgreSQL's contrib
	// (postgis); Load skips without them, or fails when CI=true.
	Extensions []string
	// Loads says whether the entry loads into PostgreSQL 15 here; when it
	// does not, LoadFailure says why.
	Loads       bool
	LoadFailure string

	render func(string) string
}

var (
	supabaseNamespace = regexp.MustCompile(`\{\{ *index \.Options "Namespace" *\}\}`)
	postgrestVars     = map[string]string{"DBNAME": "crudgen_corpus", "PGUSER": "postgres"}
)

func entries(root string) []*Entry {
	pg := filepath.Join(root, "postgres")
	e := func(name string, paths ...string) *Entry {
		dir := filepath.Join(pg, name)
		abs := make([]string, len(paths))
		for i, p := range paths {
			abs[i] = filepath.Join(dir, p)
		}
		return &Entry{Name: name, Dir: dir, Paths: abs, Loads: true}
	}
	fails := func(en *Entry, why string) *Entry {
		en.Loads, en.LoadFailure = false, why
		return en
	}
	supabaseAuth := e("supabase_auth", "migrations")
	supabaseAuth.Setup = "CREATE SCHEMA auth;"
	supabaseAuth.render = func(s string) string { return supabaseNamespace.ReplaceAllString(s, "auth") }
	omop := e("omop_cdm", "OMOPCDM_postgresql_5.4_ddl.sql", "OMOPCDM_postgresql_5.4_primary_keys.sql",
		"OMOPCDM_postgresql_5.4_constraints.sql", "OMOPCDM_postgresql_5.4_indices.sql")
	omop.Setup = "CREATE SCHEMA cdm;"
	omop.render = func(s string) string { return strings.ReplaceAll(s, "@cdmDatabaseSchema", "cdm") }
	bigSchema := e("postgrest_big_schema", "big_schema.sql")
	bigSchema.Vars = postgrestVars
	bigSchema.Roles = []string{"postgrest_test_anonymous"}
	fixtures := e("postgrest_fixtures", "database.sql", "roles.sql", "schema.sql", "jwt.sql", "jsonschema.sql", "privileges.sql")
	fixtures.Vars = postgrestVars
	fixtures.Extensions = []string{"postgis"}
	fixtures.Roles = []string{"postgrest_test_anonymous", "postgrest_test_default_role", "postgrest_test_author", "postgrest_test_superuser"}
	return []*Entry{
		e("adventureworks", "install.sql"),
		e("atuin", "migrations"),
		e("chinook", "Chinook_PostgreSql.sql"),
		e("chinook_identity", "Chinook_PostgreSql_AutoIncrementPKs.sql"),
		e("cratesio", "migrations"),
		e("cratesio_pgdump", "structure.sql"),
		e("memos", "LATEST.sql"),
		e("northwind", "northwind.sql"),
		omop,
		fails(e("pagila", "pagila-schema.sql"), "PostgreSQL 18 syntax and pgvector"),
		e("pagila_2024", "pagila-schema.sql"),
		bigSchema,
		fixtures,
		e("quartz", "tables_postgres.sql"),
		e("sakila_jooq", "postgres-sakila-schema.sql"),
		e("sqlc_authors", "schema.sql"),
		e("sqlc_batch", "schema.sql"),
		e("sqlc_booktest", "schema.sql"),
		e("sqlc_jets", "schema.sql"),
		e("sqlc_ondeck", "schema"),
		supabaseAuth,
		fails(e("supabase_base", "schema-15.sql"), `extensions pgsodium, pg_graphql, pgjwt and supabase_vault are not available`),
		e("synapse", "common/full.sql.postgres", "main/full.sql.postgres", "state/full.sql.postgres"),
	}
}

// Root finds shared/corpus beside the repository. When it is absent the
// test is skipped, or fails when CI=true.
func Root(tb testing.TB) string {
	tb.Helper()
	if root := find(tb); root != "" {
		return root
	}
	tb.Skip("corpus not found beside the repository (../shared/corpus)")
	return ""
}

// find returns shared/corpus beside the repository, or "" when it is
// absent, which fails tb when CI=true.
func find(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		candidate := filepath.Join(filepath.Dir(dir), "shared", "corpus")
		if st, err := os.Stat(filepath.Join(candidate, "postgres")); err == nil && st.IsDir() {
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if os.Getenv("CI") == "true" {
		tb.Fatal("corpus not found: ../shared/corpus must be beside the repository in CI")
	}
	return ""
}

// Entries returns every PostgreSQL entry of the corpus, by name.
func Entries(tb testing.TB) []*Entry {
	tb.Helper()
	return entries(Root(tb))
}

// SQLiteEntries returns every SQLite entry of the corpus, by name.
func SQLiteEntries(tb testing.TB) []*Entry {
	tb.Helper()
	dir := filepath.Join(Root(tb), "sqlite")
	e := func(name string, paths ...string) *Entry {
		abs := make([]string, len(paths))
		for i, p := range paths {
			abs[i] = filepath.Join(dir, name, p)
		}
		return &Entry{Name: name, Dir: filepath.Join(dir, name), Paths: abs, Loads: true}
	}
	return []*Entry{
		e("chinook", "Chinook_Sqlite.sql"),
		e("memos", "LATEST.sql"),
		e("sakila_jooq", "sqlite-sakila-schema.sql"),
		e("sqlc_authors", "schema.sql"),
		e("sqlc_booktest", "schema.sql"),
		e("synapse", "common/full.sql.sqlite", "main/full.sql.sqlite", "state/full.sql.sqlite"),
	}
}

// Sources reads the entry as crudgen would, with templates rendered and the
// setup SQL first.
func (e *Entry) Sources() ([]source.File, error) {
	res, err := source.Load(e.Paths, source.Options{})
	if err != nil {
		return nil, err
	}
	files := res.Files
	if e.render != nil {
		for i := range files {
			files[i].Text = e.render(files[i].Text)
		}
	}
	if e.Setup != "" {
		files = append([]source.File{{Name: e.Name + "-setup.sql", Text: e.Setup}}, files...)
	}
	return files, nil
}
