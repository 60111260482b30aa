package sweep

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/model"
	"github.com/crudgen/crudgen/generator/schema"
	"github.com/crudgen/crudgen/generator/source"
	"github.com/crudgen/crudgen/generator/sqlite"
	rtsqlite "github.com/crudgen/crudgen/runtime/sqlite"
)

// engine is what the sweep does differently for one database engine: how
// it reads a schema, how the server binary opens a database, and how a
// round trip gets its database and reaches it without the API.
type engine struct {
	name string
	// catalog reads a schema's files, with the psql variables vars.
	catalog func(files []source.File, vars map[string]string) (*schema.Catalog, error)
	// main is the server binary's main.go (see writeModule): IMPORTS,
	// APIS and EMBEDS stand for one line per package of imports, api and
	// embed, formats of the package's name.
	main       string
	api, embed string
	// database makes the subject's database, gone when t ends, and
	// returns the URL the server opens.
	database func(t *testing.T, s *subject) string
	// connect reaches the database at url, once the server opened it.
	connect func(t *testing.T, url string) direct
	// skips are the keyed tables the round trip leaves out, by schema.
	skips map[string]map[string]string
}

var postgresEngine = &engine{
	name: "postgres",
	catalog: func(files []source.File, vars map[string]string) (*schema.Catalog, error) {
		res, err := ddl.Parse(files, ddl.Options{Vars: vars})
		if err != nil {
			return nil, err
		}
		return schema.Build(res)
	},
	main:     postgresMain,
	api:      "\t%[1]q: func(p *pgxpool.Pool) http.Handler { return %[1]s.NewRouter(p, %[1]s.Options{}) },\n",
	database: load,
	connect: func(t *testing.T, url string) direct {
		conn, err := pgx.Connect(context.Background(), url)
		require.NoError(t, err)
		t.Cleanup(func() { conn.Close(context.Background()) })
		return pgDirect{conn}
	},
	skips: skips,
}

var sqliteEngine = &engine{
	name: "sqlite",
	catalog: func(files []source.File, _ map[string]string) (*schema.Catalog, error) {
		return sqlite.Load(files)
	},
	main:  sqliteMain,
	api:   "\t%[1]q: {%[1]sSchema, func(db *sqlite.DB) http.Handler { return %[1]s.NewRouter(db, %[1]s.Options{}) }},\n",
	embed: "//go:embed %[1]s/schema.sql\nvar %[1]sSchema string\n\n",
	// A file that does not exist: the server creates it from the schema
	// the generated package embeds.
	database: func(t *testing.T, s *subject) string {
		return "sqlite:" + filepath.Join(t.TempDir(), s.name+".db")
	},
	connect: func(t *testing.T, dsn string) direct {
		path := strings.TrimPrefix(dsn, "sqlite:")
		// Foreign key checks off: a seeded row may point nowhere.
		db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=foreign_keys(0)&_pragma=busy_timeout(5000)")
		require.NoError(t, err)
		db.SetMaxOpenConns(1)
		t.Cleanup(func() { _ = db.Close() })
		var tables int
		require.NoError(t, db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").Scan(&tables))
		require.NotZero(t, tables, "the server did not create %s from the package's schema", path)
		return sqliteDirect{db}
	},
	skips: sqliteSkips,
}

// direct is a round trip's own access to the database the API serves.
type direct interface {
	// insert writes a row of r with SQL, foreign key checks off (and
	// triggers and rules, where the engine can), and returns its key as
	// text. values are the JSON values of fields.
	insert(r *model.Resource, fields []*model.Field, values []any) ([]string, error)
}

type pgDirect struct{ conn *pgx.Conn }

func (d pgDirect) insert(r *model.Resource, fields []*model.Field, values []any) ([]string, error) {
	cols, vals, args := make([]string, len(fields)), make([]string, len(fields)), make([]any, len(fields))
	for i, f := range fields {
		args[i] = sqlText(values[i])
		cols[i] = f.Quoted
		vals[i] = fmt.Sprintf("$%d::text::%s", i+1, f.Column.Type)
	}
	keys := make([]string, len(r.Key))
	for i, k := range r.Key {
		keys[i] = k.Quoted + "::text"
	}
	ctx := context.Background()
	if _, err := d.conn.Exec(ctx, "SET session_replication_role = replica"); err != nil {
		return nil, err
	}
	defer d.conn.Exec(ctx, "RESET session_replication_role") //nolint:errcheck // the next seed sets it again
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) RETURNING %s", r.SQLTable, strings.Join(cols, ", "), strings.Join(vals, ", "), strings.Join(keys, ", "))
	return scanText(d.conn.QueryRow(ctx, q, args...).Scan, len(keys))
}

// sqliteDirect writes on a connection with foreign key checks off;
// SQLite cannot turn triggers off.
type sqliteDirect struct{ db *sql.DB }

func (d sqliteDirect) insert(r *model.Resource, fields []*model.Field, values []any) ([]string, error) {
	cols, marks, args := make([]string, len(fields)), make([]string, len(fields)), make([]any, len(fields))
	for i, f := range fields {
		v, err := sqliteValue(f, values[i])
		if err != nil {
			return nil, err
		}
		cols[i], marks[i], args[i] = f.Quoted, "?", v
	}
	keys := make([]string, len(r.Key))
	for i, k := range r.Key {
		keys[i] = k.Quoted
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) RETURNING %s", r.SQLTable, strings.Join(cols, ", "), strings.Join(marks, ", "), strings.Join(keys, ", "))
	return scanText(d.db.QueryRow(q, args...).Scan, len(keys))
}

// sqliteValue converts a JSON value of f to what the API stores: times in
// UTC as SQLite writes them, bytes decoded, JSON documents as text.
func sqliteValue(f *model.Field, v any) (any, error) {
	switch x := v.(type) {
	case string:
		switch f.Type.Name {
		case "time.Time":
			t, err := rtsqlite.ParseTime(x)
			if err != nil {
				return nil, err
			}
			return t.Format(rtsqlite.TimeLayout), nil
		case "[]byte":
			return base64.StdEncoding.DecodeString(x)
		}
	case map[string]any, []any:
		b, err := json.Marshal(x)
		return string(b), err
	}
	return v, nil
}

// scanText scans n columns as text.
func scanText(scan func(...any) error, n int) ([]string, error) {
	out := make([]any, n)
	texts := make([]string, n)
	for i := range out {
		out[i] = &texts[i]
	}
	if err := scan(out...); err != nil {
		return nil, err
	}
	return texts, nil
}
