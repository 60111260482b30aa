package model

import (
	"fmt"

	"github.com/crudgen/crudgen/generator/dialect"
	"github.com/crudgen/crudgen/generator/schema"
)

// Engine is what the generated code of one database engine differs in
// from another's besides SQL text: the runtime adapter its stores call
// and its driver's types. The model decides every engine-dependent line
// through it, and templates print its fields: they know no engine.
type Engine struct {
	// Dialect is the engine's SQL.
	Dialect dialect.Dialect
	// DefaultSchema is the schema whose tables' names, routes and
	// configuration keys go unqualified.
	DefaultSchema string
	// Runtime is the name of the runtime's adapter package for the engine,
	// which qualifies what the stores call: Runtime.Collect, .Fetch,
	// .QueryRow, .InTx, .Flagged.
	Runtime string
	// Driver names the driver in comments.
	Driver string
	// Row, Rows, Tx and Result are the driver's types as the generated
	// code writes them: a scanned row, a query's rows, a transaction, and
	// what Exec returns (with RowsAffected() int64).
	Row, Rows, Tx, Result string
	// ErrNoRows is the driver's error for a missing row.
	ErrNoRows string
	// Pool is the type of the pools Handler takes, which the runtime's
	// server opens.
	Pool string
	// DBTXDoc says what implements DBTX, in the words of its doc comment.
	DBTXDoc []string
	// LockSuffix ends a read that locks the row until the transaction
	// ends ("" where a transaction holds the whole database).
	LockSuffix string

	// Upsert says the engine's stores can upsert (POST with Prefer:
	// resolution=merge-duplicates); Embeds that a list can read related
	// rows with its own (include).
	Upsert, Embeds bool
	// EmbedPackage holds the EmbedOne and EmbedMany that read included
	// relations; JSONEmbeds says they read them as JSON, for engines
	// without records (SQLite).
	EmbedPackage string
	JSONEmbeds   bool
	// EmbedDoc ends the doc comment of ScanIndex: who reads an embedded
	// row from what.
	EmbedDoc string
	// UpsertFunc runs an upsert and tells inserted rows from updated ones,
	// where one statement cannot ("" where it can: PostgreSQL's xmax);
	// UpsertHow says how, for the store's doc comment.
	UpsertFunc, UpsertHow string
	// DefaultKeyword says INSERT and UPDATE write DEFAULT for a column's
	// default; without it, the stores write the default expression.
	DefaultKeyword bool
	// EmptySelect says a SELECT may list no columns (SELECT FROM t), as
	// a test of whether rows exist needs none; without it, the select
	// lists the constant 1.
	EmptySelect bool

	// CreatesDatabase says the engine's server creates a database that
	// does not exist yet, from the schema the package embeds.
	CreatesDatabase bool
	// UnnamedConstraints says the engine's constraints may have no name:
	// its errors name an unnamed CHECK by its expression as written, and
	// the columns of the others.
	UnnamedConstraints bool

	// declared maps a type as another engine's schema declares it to the
	// PostgreSQL type that shares its Go type, JSON form and rules.
	declared func(schema.Type) schema.Type
}

var postgresEngine = Engine{
	Dialect:        dialect.Postgres,
	DefaultSchema:  "public",
	Runtime:        "postgres",
	Driver:         "pgx",
	Row:            "pgx.Row",
	Rows:           "pgx.Rows",
	Tx:             "pgx.Tx",
	Result:         "pgconn.CommandTag",
	ErrNoRows:      "pgx.ErrNoRows",
	Pool:           "*pgxpool.Pool",
	DBTXDoc:        []string{"a *pgxpool.Pool, a *pgx.Conn or a", "pgx.Tx (whose Begin starts a savepoint, for the hooks' transactions)."},
	LockSuffix:     " FOR UPDATE",
	Upsert:         true,
	UpsertHow:      "in one statement",
	Embeds:         true,
	EmbedPackage:   "runtime",
	EmbedDoc:       "pgx\n// reads the row from a record",
	DefaultKeyword: true,
	EmptySelect:    true,
	declared:       func(t schema.Type) schema.Type { return t },
}

var sqliteEngine = Engine{
	Dialect:            dialect.SQLite,
	DefaultSchema:      "main",
	Runtime:            "sqlite",
	Driver:             "database/sql",
	Row:                "sqlite.Row",
	Rows:               "sqlite.Rows",
	Tx:                 "sqlite.Tx",
	Result:             "sqlite.Result",
	ErrNoRows:          "sqlite.ErrNoRows",
	Pool:               "*sqlite.DB",
	DBTXDoc:            []string{"a *sqlite.DB or a sqlite.Tx (whose Begin", "starts a savepoint, for the hooks' transactions)."},
	LockSuffix:         "", // a transaction holds the writer, so the whole database
	UnnamedConstraints: true,
	Upsert:             true,
	UpsertFunc:         "sqlite.Upsert",
	UpsertHow:          "a row at a time, in one transaction",
	Embeds:             true,
	EmbedPackage:       "sqlite",
	EmbedDoc:           "the\n// runtime reads the row from a JSON array of its values",
	JSONEmbeds:         true,
	CreatesDatabase:    true,
	declared:           sqliteType,
}

// engineOf returns the engine that serves schemas of dialect d.
func engineOf(d dialect.Dialect) (*Engine, error) {
	switch d {
	case dialect.Postgres, "":
		e := postgresEngine
		return &e, nil
	case dialect.SQLite:
		e := sqliteEngine
		return &e, nil
	}
	return nil, fmt.Errorf("crudgen generates APIs from PostgreSQL schemas only so far; %s schemas can be read (crudgen inspect --dialect %s) but not yet served", d.Name(), d)
}
