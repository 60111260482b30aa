// Package sqlite is the SQLite engine of the crudgen runtime: what code
// generated for SQLite needs besides the engine-neutral package runtime.
// It opens databases (Open: WAL, foreign keys, a busy timeout, one writer
// connection so that concurrent writes queue instead of failing), gives
// them the method set the generated stores call (DB, Tx, Rows), runs and
// scans the stores' statements (Collect, QueryRow, Fetch, InTx), converts
// the runtime's value types to and from what SQLite stores, and reads
// SQLite's errors for runtime.API.Error: importing the package registers
// them (runtime.RegisterDriverErrors) and the engine runtime/server opens
// (runtime.RegisterEngine).
//
// The driver is modernc.org/sqlite, SQLite compiled to Go: projects need
// no C compiler.
package sqlite
