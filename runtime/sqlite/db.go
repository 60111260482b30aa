package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	goruntime "runtime"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the driver, registered as "sqlite"

	"github.com/crudgen/crudgen/runtime"
)

// DefaultBusyTimeout is how long a statement waits for a lock another
// connection or process holds before it fails with SQLITE_BUSY, which
// runtime.API.Error answers with 503 and Retry-After. A URL sets its own
// with _pragma=busy_timeout(MILLISECONDS).
const DefaultBusyTimeout = 5 * time.Second

// DB is a SQLite database as the generated stores use it: statements that
// read (SELECT) run on a pool of read-only connections, every other
// statement and every transaction on the one writer connection. Writers
// therefore queue in Go, in the order they come, rather than fail with
// SQLITE_BUSY; readers never wait for them (WAL).
//
// Every connection has foreign_keys=ON, the busy timeout and WAL; the
// writer begins its transactions with BEGIN IMMEDIATE, so that a
// transaction that reads before it writes cannot fail halfway for a lock.
// Statements outside transactions run prepared: each SQL text is parsed
// and planned once per connection, and kept (see statements).
// Durability is synchronous=NORMAL: a committed write survives a crash of
// the program, and may be lost, with the writes after it, when the
// machine loses power before the next checkpoint. A URL that needs more
// sets _pragma=synchronous(FULL).
type DB struct {
	read, write *sql.DB
	// The pools again, running statements prepared (see statements).
	reads, writes *statements
	// writer holds the writer connection: a token in the channel is the
	// right to use it. Waiting for it is bounded by acquire.
	writer  chan struct{}
	acquire time.Duration
}

// Open opens the SQLite database at url: sqlite:PATH (relative to the working directory, or absolute:
// sqlite:/srv/app.db), sqlite:///srv/app.db, or a SQLite file: URI, each
// with the URI's query options (such as mode=ro, or _pragma=...) if any.
// A file that does not exist yet is created, with the statements given to
// CreateWith (the generated package's schema) in one transaction; a file
// that exists is opened as it is, never altered.
// settings.AcquireTimeout bounds the wait for the writer connection: a
// write that waits longer fails, having sent nothing, with an error that
// runtime.API.Error answers with 503.
func Open(ctx context.Context, rawURL string, settings runtime.Settings) (*DB, error) {
	statements, err := createStatements()
	if err != nil {
		return nil, err
	}
	return OpenWith(ctx, rawURL, settings, statements)
}

// OpenWith is Open with the statements that create a new file given,
// rather than those of CreateWith: for programs that serve several
// generated packages.
func OpenWith(ctx context.Context, rawURL string, settings runtime.Settings, statements string) (*DB, error) {
	dsn, err := dataSource(rawURL)
	if err != nil {
		return nil, err
	}
	path, onDisk := fileOf(dsn)
	isNew := !onDisk
	if onDisk {
		found, err := exists(path)
		if err != nil {
			return nil, err
		}
		isNew = !found
	}
	write, err := sql.Open("sqlite", withParams(dsn, "_txlock=immediate"))
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", withParams(dsn, "_pragma=query_only(1)"))
	if err != nil {
		_ = write.Close()
		return nil, err
	}
	conns := max(4, goruntime.GOMAXPROCS(0))
	read.SetMaxOpenConns(conns)
	read.SetMaxIdleConns(conns)
	db := &DB{
		read: read, write: write, reads: newStatements(read), writes: newStatements(write),
		writer: make(chan struct{}, 1), acquire: settings.AcquireTimeout,
	}
	// The writer connection opens first: it sets WAL, which the read-only
	// connections cannot, and creates the file.
	if err := db.Ping(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	if isNew && statements != "" {
		if err := db.create(ctx, path, statements); err != nil {
			return nil, err
		}
	}
	return db, nil
}

// dataSource turns the forms of DATABASE_URL Open accepts into the
// driver's file: URI.
func dataSource(raw string) (string, error) {
	if strings.HasPrefix(raw, "file:") {
		return raw, nil
	}
	rest, ok := strings.CutPrefix(raw, "sqlite:")
	if !ok {
		return "", fmt.Errorf("%q is not a SQLite URL: give sqlite:PATH, such as sqlite:app.db or sqlite:/srv/app.db", raw)
	}
	if r, ok := strings.CutPrefix(rest, "//"); ok {
		if !strings.HasPrefix(r, "/") {
			return "", fmt.Errorf("%q names a host: give sqlite:///ABSOLUTE/PATH or sqlite:RELATIVE/PATH", raw)
		}
		rest = r
	}
	path, query, _ := strings.Cut(rest, "?")
	if path == "" {
		return "", fmt.Errorf("%q names no file: give sqlite:PATH, such as sqlite:app.db", raw)
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath()
	if query != "" {
		dsn += "?" + query
	}
	return dsn, nil
}

// withParams adds the pragmas every connection needs, and extra, to a
// file: URI; pragmas the URI sets itself win (the driver runs them last).
func withParams(dsn string, extra ...string) string {
	params := []string{"_pragma=foreign_keys(1)", "_pragma=journal_mode(WAL)", "_pragma=synchronous(NORMAL)"}
	if !strings.Contains(dsn, "busy_timeout") {
		params = append(params, fmt.Sprintf("_pragma=busy_timeout(%d)", DefaultBusyTimeout.Milliseconds()))
	}
	params = append(params, extra...)
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + strings.Join(params, "&")
}

// Ping checks that the database answers, on the writer and a reader.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return err
	}
	return db.read.PingContext(ctx)
}

// Close closes the connections.
func (db *DB) Close() error {
	return errors.Join(db.writes.Close(), db.reads.Close())
}

// SQL returns the database/sql handles: the pool of read-only connections
// and the writer's, for what the stores do not do (migrations, tests).
func (db *DB) SQL() (read, write *sql.DB) { return db.read, db.write }

// ErrWriterBusy is the error of a write that waited longer than the
// acquire timeout for the writer connection; nothing was sent.
var ErrWriterBusy = errors.New("sqlite: timed out waiting for the writer connection")

// lockWriter waits for the writer connection and returns its release.
func (db *DB) lockWriter(ctx context.Context) (func(), error) {
	if db.acquire > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, db.acquire)
		defer cancel()
	}
	select {
	case db.writer <- struct{}{}:
		return func() { <-db.writer }, nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) && db.acquire > 0 {
			return nil, ErrWriterBusy
		}
		return nil, ctx.Err()
	}
}

// reads reports whether a statement only reads, so that it may run on a
// read-only connection: the stores' reads start with SELECT.
func reads(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	return len(q) >= 6 && strings.EqualFold(q[:6], "SELECT")
}

// Exec runs a statement that returns no rows, on the writer.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (Result, error) {
	args, err := bindArgs(args)
	if err != nil {
		return Result{}, err
	}
	release, err := db.lockWriter(ctx)
	if err != nil {
		return Result{}, err
	}
	defer release()
	res, err := exec(ctx, db.writes, query, args)
	return res, db.locateFK(ctx, query, args, err)
}

// locateFK is locateFK on the writer's connection, which the caller holds.
func (db *DB) locateFK(ctx context.Context, query string, args []any, err error) error {
	if code(err) != codeConstraintFK {
		return err
	}
	conn, cerr := db.write.Conn(ctx)
	if cerr != nil {
		return err
	}
	defer conn.Close()
	return locateFK(ctx, conn, query, args, err)
}

// Query runs a statement that returns rows: a SELECT on a reader, any
// other (INSERT ... RETURNING) on the writer, which it holds until the
// rows are closed.
func (db *DB) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	args, err := bindArgs(args) // before the writer is held: it converts values
	if err != nil {
		return nil, err
	}
	if reads(query) {
		return runQuery(ctx, db.reads, query, args, nil, nil)
	}
	release, err := db.lockWriter(ctx)
	if err != nil {
		return nil, err
	}
	locate := func(err error) error { return db.locateFK(ctx, query, args, err) }
	rows, err := runQuery(ctx, db.writes, query, args, release, locate)
	if err != nil {
		// runQuery released the writer: take it again to find the key.
		if code(err) == codeConstraintFK {
			if release, lerr := db.lockWriter(ctx); lerr == nil {
				err = locate(err)
				release()
			}
		}
		return nil, err
	}
	return rows, nil
}

// QueryRow runs Query and scans its first row.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) Row {
	rows, err := db.Query(ctx, query, args...)
	return &firstRow{rows: rows, err: err}
}

// Begin starts a transaction on the writer, which it holds until Commit or
// Rollback.
func (db *DB) Begin(ctx context.Context) (Tx, error) {
	release, err := db.lockWriter(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		release()
		return nil, err
	}
	return &sqlTx{tx: tx, release: release}, nil
}
