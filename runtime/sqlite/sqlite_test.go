package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/runtime"
)

// open opens a database file in the test's folder with schema applied.
func open(t *testing.T, schema string) *DB {
	t.Helper()
	db, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "test.db"), runtime.Settings{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	if schema != "" {
		_, err = db.Exec(context.Background(), schema)
		require.NoError(t, err)
	}
	return db
}

func TestDataSource(t *testing.T) {
	for in, want := range map[string]string{
		"sqlite:app.db":                 "file:app.db",
		"sqlite:/srv/app.db":            "file:/srv/app.db",
		"sqlite:///srv/app.db":          "file:/srv/app.db",
		"sqlite:data/my app.db?mode=ro": "file:data/my%20app.db?mode=ro",
		"file:app.db?cache=shared":      "file:app.db?cache=shared",
	} {
		got, err := dataSource(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"postgres://localhost/app", "sqlite:", "sqlite://host/app.db", "app.db"} {
		_, err := dataSource(bad)
		assert.Error(t, err, bad)
	}
}

func TestConnectionsArePrepared(t *testing.T) {
	db := open(t, "")
	ctx := context.Background()
	var fk int
	var mode string
	require.NoError(t, db.QueryRow(ctx, "SELECT foreign_keys FROM pragma_foreign_keys").Scan(&fk))
	require.NoError(t, db.QueryRow(ctx, "SELECT journal_mode FROM pragma_journal_mode").Scan(&mode))
	assert.Equal(t, 1, fk)
	assert.Equal(t, "wal", mode)
	// Reads run on read-only connections.
	_, err := db.read.ExecContext(ctx, "CREATE TABLE t (x)")
	require.Error(t, err)
}

func TestValuesRoundTrip(t *testing.T) {
	db := open(t, `CREATE TABLE v (id INTEGER PRIMARY KEY, price DECIMAL(10,2), day DATE, at DATETIME, u UUID, doc JSON, ok BOOLEAN)`)
	ctx := context.Background()
	price := runtime.MustDecimal("12.50")
	day, err := runtime.ParseDate("2024-02-29")
	require.NoError(t, err)
	at := time.Date(2024, 2, 29, 13, 14, 15, 500000000, time.FixedZone("", 3600))
	u, err := runtime.ParseUUID("0b4a3c5e-94a5-4f3e-a0c5-9b4d7b1e2f10")
	require.NoError(t, err)
	doc := []byte(`{"a": [1, 2]}`)
	_, err = db.Exec(ctx, "INSERT INTO v VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)", price, day, at, u, jsonRaw(doc), true)
	require.NoError(t, err)

	var (
		gotPrice runtime.Decimal
		gotDay   *runtime.Date
		gotAt    time.Time
		gotU     runtime.UUID
		gotDoc   jsonRaw
		gotOK    bool
	)
	require.NoError(t, db.QueryRow(ctx, "SELECT price, day, at, u, doc, ok FROM v").Scan(&gotPrice, &gotDay, &gotAt, &gotU, &gotDoc, &gotOK))
	assert.Equal(t, "12.5", gotPrice.String(), "NUMERIC affinity stores a real")
	require.NotNil(t, gotDay)
	assert.Equal(t, day, *gotDay)
	assert.True(t, at.Equal(gotAt), gotAt)
	assert.Equal(t, u, gotU)
	assert.JSONEq(t, string(doc), string(gotDoc))
	assert.True(t, gotOK)

	var raw string
	require.NoError(t, db.QueryRow(ctx, "SELECT at FROM v").Scan(&raw))
	assert.Equal(t, "2024-02-29T12:14:15.5Z", raw, "the driver reads DATETIME text as time.Time")
	require.NoError(t, db.QueryRow(ctx, "SELECT CAST(at AS TEXT) FROM v").Scan(&raw))
	assert.Equal(t, "2024-02-29 12:14:15.5", raw, "stored in UTC, as CURRENT_TIMESTAMP writes")

	_, err = db.Exec(ctx, "UPDATE v SET day = NULL")
	require.NoError(t, err)
	require.NoError(t, db.QueryRow(ctx, "SELECT day FROM v").Scan(&gotDay))
	assert.Nil(t, gotDay)
}

type jsonRaw = json.RawMessage

func TestSavepoints(t *testing.T) {
	db := open(t, `CREATE TABLE t (x INTEGER)`)
	ctx := context.Background()
	err := InTx(ctx, db, func(tx Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO t VALUES (1)"); err != nil {
			return err
		}
		inner := InTx(ctx, tx, func(tx Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO t VALUES (2)"); err != nil {
				return err
			}
			return errors.New("undo the inner write")
		})
		require.Error(t, inner)
		return InTx(ctx, tx, func(tx Tx) error {
			_, err := tx.Exec(ctx, "INSERT INTO t VALUES (3)")
			return err
		})
	})
	require.NoError(t, err)
	xs, err := Collect(ctx, db, "SELECT x FROM t ORDER BY x", nil, func(row Row, x *int64) error { return row.Scan(x) })
	require.NoError(t, err)
	assert.Equal(t, []int64{1, 3}, xs)
}

// TestConcurrentWritersQueue: writers share one connection, so none fails
// with SQLITE_BUSY however many write at once.
func TestConcurrentWritersQueue(t *testing.T) {
	db := open(t, `CREATE TABLE t (x INTEGER)`)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 16 {
		wg.Go(func() {
			for j := range 20 {
				err := InTx(ctx, db, func(tx Tx) error {
					var n int64
					if err := tx.QueryRow(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil {
						return err
					}
					_, err := tx.Exec(ctx, "INSERT INTO t VALUES (?1)", i*100+j)
					return err
				})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	var n int64
	require.NoError(t, db.QueryRow(ctx, "SELECT count(*) FROM t").Scan(&n))
	assert.Equal(t, int64(320), n)
}

func TestErrorsMapToProblems(t *testing.T) {
	db := open(t, `
CREATE TABLE authors (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, age INTEGER CONSTRAINT age_positive CHECK (age >= 0));
CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors (id), n INTEGER, CHECK (n > 0));
INSERT INTO authors VALUES (1, 'a@example.com', 30);
INSERT INTO books VALUES (1, 1, 1);
`)
	ctx := context.Background()
	table := &runtime.Table{
		Name:    "authors",
		Columns: map[string]string{"id": "id", "email": "email", "age": "age"},
		Constraints: map[string]runtime.Constraint{
			"age_positive": {Kind: runtime.ConstraintCheck, Fields: []string{"age"}, Message: "must be at least 0"},
		},
	}
	answer := func(method, sql string, args ...any) (int, runtime.FieldError) {
		t.Helper()
		_, err := db.Exec(ctx, sql, args...)
		require.Error(t, err)
		rec := httptest.NewRecorder()
		(&runtime.API{}).Error(rec, httptest.NewRequest(method, "/authors", nil), err, table)
		var p struct{ Errors []runtime.FieldError }
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p), rec.Body.String())
		require.NotEmpty(t, p.Errors, rec.Body.String())
		return rec.Code, p.Errors[0]
	}
	code, fe := answer(http.MethodPost, "INSERT INTO authors (email) VALUES ('a@example.com')")
	assert.Equal(t, http.StatusConflict, code)
	assert.Equal(t, []any{"body", "email"}, fe.Loc)
	assert.Equal(t, runtime.CodeUnique, fe.Code)

	code, fe = answer(http.MethodPost, "INSERT INTO authors (email) VALUES (NULL)")
	assert.Equal(t, http.StatusUnprocessableEntity, code)
	assert.Equal(t, []any{"body", "email"}, fe.Loc)
	assert.Equal(t, runtime.CodeRequired, fe.Code)

	code, fe = answer(http.MethodPost, "INSERT INTO authors (email, age) VALUES ('b@example.com', -1)")
	assert.Equal(t, http.StatusUnprocessableEntity, code)
	assert.Equal(t, []any{"body", "age"}, fe.Loc)
	assert.Equal(t, "must be at least 0", fe.Message)

	code, fe = answer(http.MethodPost, "INSERT INTO books (author_id, n) VALUES (9, 1)")
	assert.Equal(t, http.StatusUnprocessableEntity, code)
	assert.Equal(t, runtime.CodeForeignKey, fe.Code)

	code, fe = answer(http.MethodDelete, "DELETE FROM authors WHERE id = 1")
	assert.Equal(t, http.StatusConflict, code)
	assert.Equal(t, runtime.CodeReferenced, fe.Code)
	assert.Equal(t, []any{"path", "id"}, fe.Loc)
}

// TestForeignKeyAtFault: SQLite's foreign key error names nothing; the
// write runs again with the checks deferred to find the key at fault, in
// a statement, a RETURNING statement and a transaction, and leaves
// nothing behind.
func TestForeignKeyAtFault(t *testing.T) {
	db := open(t, `
CREATE TABLE people (id INTEGER PRIMARY KEY);
CREATE TABLE rooms (code TEXT PRIMARY KEY);
CREATE TABLE meetings (id INTEGER PRIMARY KEY, host INTEGER REFERENCES people, room TEXT REFERENCES rooms (code));
INSERT INTO people VALUES (1);
INSERT INTO rooms VALUES ('a');
`)
	ctx := context.Background()
	table := &runtime.Table{
		Name:    "meetings",
		Columns: map[string]string{"id": "id", "host": "host", "room": "room"},
		Constraints: map[string]runtime.Constraint{
			"FOREIGN KEY (host)": {Kind: runtime.ConstraintForeignKey, Fields: []string{"host"}},
			"FOREIGN KEY (room)": {Kind: runtime.ConstraintForeignKey, Fields: []string{"room"}},
		},
	}
	locOf := func(method string, err error) []any {
		t.Helper()
		require.Error(t, err)
		rec := httptest.NewRecorder()
		(&runtime.API{}).Error(rec, httptest.NewRequest(method, "/meetings", nil), err, table)
		var p struct{ Errors []runtime.FieldError }
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p), rec.Body.String())
		require.Len(t, p.Errors, 1, rec.Body.String())
		return p.Errors[0].Loc
	}
	_, err := db.Exec(ctx, "INSERT INTO main.meetings (host, room) VALUES ($1, $2)", 1, "zzz")
	assert.Equal(t, []any{"body", "room"}, locOf(http.MethodPost, err))
	_, err = Collect(ctx, db, "INSERT INTO main.meetings (host, room) VALUES ($1, $2) RETURNING id", []any{9, "a"}, func(row Row, id *int64) error { return row.Scan(id) })
	assert.Equal(t, []any{"body", "host"}, locOf(http.MethodPost, err))
	err = InTx(ctx, db, func(tx Tx) error {
		_, err := tx.Exec(ctx, `UPDATE main.meetings SET room = $1`, "a")
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO main.meetings (host, room) VALUES ($1, $2)`, 1, "nope")
		return err
	})
	assert.Equal(t, []any{"body", "room"}, locOf(http.MethodPost, err))
	var n int
	require.NoError(t, db.QueryRow(ctx, "SELECT count(*) FROM meetings").Scan(&n))
	assert.Zero(t, n, "the diagnosis wrote nothing")

	_, err = db.Exec(ctx, "INSERT INTO main.meetings (host, room) VALUES (1, 'a')")
	require.NoError(t, err)
	_, err = db.Exec(ctx, "DELETE FROM main.rooms WHERE code = $1", "a")
	rec := httptest.NewRecorder()
	(&runtime.API{}).Error(rec, httptest.NewRequest(http.MethodDelete, "/rooms/a", nil), err, &runtime.Table{
		Name: "rooms", Columns: map[string]string{"code": "code"},
		Constraints: map[string]runtime.Constraint{"PRIMARY KEY (code)": {Kind: runtime.ConstraintPrimaryKey, Fields: []string{"code"}}},
	})
	assert.Equal(t, http.StatusConflict, rec.Code)
	assert.Contains(t, rec.Body.String(), `"loc":["path","code"],"code":"referenced","message":"is still referenced by rows of meetings"`)
}

func TestNoRowsIsNotFound(t *testing.T) {
	db := open(t, `CREATE TABLE t (x INTEGER)`)
	var x int64
	err := db.QueryRow(context.Background(), "SELECT x FROM t").Scan(&x)
	require.ErrorIs(t, err, ErrNoRows)
	rec := httptest.NewRecorder()
	(&runtime.API{}).Error(rec, httptest.NewRequest(http.MethodGet, "/t/1", nil), err, nil)
	assert.Equal(t, http.StatusNotFound, rec.Code)
}

// TestBusyIs503: a lock another connection holds past the busy timeout
// is a 503 with Retry-After, and the write was not applied.
func TestBusyIs503(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.db")
	db, err := Open(context.Background(), "sqlite:"+path+"?_pragma=busy_timeout(100)", runtime.Settings{})
	require.NoError(t, err)
	defer db.Close()
	ctx := context.Background()
	_, err = db.Exec(ctx, "CREATE TABLE t (x INTEGER)")
	require.NoError(t, err)

	other, err := Open(ctx, "sqlite:"+path, runtime.Settings{})
	require.NoError(t, err)
	defer other.Close()
	tx, err := other.Begin(ctx) // BEGIN IMMEDIATE: holds the write lock
	require.NoError(t, err)
	_, err = db.Exec(ctx, "INSERT INTO t VALUES (1)")
	require.Error(t, err)
	require.NoError(t, tx.Rollback(ctx))

	rec := httptest.NewRecorder()
	(&runtime.API{}).Error(rec, httptest.NewRequest(http.MethodPost, "/t", nil), err, nil)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, "1", rec.Header().Get("Retry-After"))
	assert.False(t, runtime.OutcomeUnknown(err))
}

// TestCreateWith: a file that does not exist is created from the schema;
// one that exists is opened as it is; a schema that fails leaves no file.
func TestCreateWith(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	CreateWith("CREATE TABLE made (x INTEGER);")
	defer CreateWith("")

	db, err := Open(ctx, "sqlite:"+filepath.Join(dir, "new.db"), runtime.Settings{})
	require.NoError(t, err)
	var n int
	require.NoError(t, db.QueryRow(ctx, "SELECT count(*) FROM made").Scan(&n))
	require.NoError(t, db.Close())

	existing := filepath.Join(dir, "old.db")
	old, err := sql.Open("sqlite", existing)
	require.NoError(t, err)
	_, err = old.Exec("CREATE TABLE other (y TEXT)")
	require.NoError(t, err)
	require.NoError(t, old.Close())
	db, err = Open(ctx, "sqlite:"+existing, runtime.Settings{})
	require.NoError(t, err)
	err = db.QueryRow(ctx, "SELECT count(*) FROM made").Scan(&n)
	require.ErrorContains(t, err, "no such table")
	require.NoError(t, db.Close())

	CreateWith("") // another program
	CreateWith("CREATE TABLE broken (")
	_, err = Open(ctx, "sqlite:"+filepath.Join(dir, "broken.db"), runtime.Settings{})
	require.ErrorContains(t, err, "from the schema")
	assert.NoFileExists(t, filepath.Join(dir, "broken.db"))
}

// TestCreateWithTwoSchemas: two packages giving different schemas make
// Open fail for a new file rather than pick one; OpenWith says which.
func TestCreateWithTwoSchemas(t *testing.T) {
	defer func() {
		schema.Lock()
		schema.sql, schema.conflicts = "", false
		schema.Unlock()
	}()
	CreateWith("CREATE TABLE a (x INTEGER);")
	CreateWith("CREATE TABLE b (x INTEGER);")
	path := "sqlite:" + filepath.Join(t.TempDir(), "two.db")
	_, err := Open(context.Background(), path, runtime.Settings{})
	require.ErrorIs(t, err, errSchemas)
	db, err := OpenWith(context.Background(), path, runtime.Settings{}, "CREATE TABLE a (x INTEGER);")
	require.NoError(t, err)
	defer db.Close()
	var n int
	require.NoError(t, db.QueryRow(context.Background(), "SELECT count(*) FROM a").Scan(&n))
}

// TestStatementsArePrepared: a pool keeps one prepared statement per SQL
// text, up to maxStatements, runs the rest unprepared, and a kept
// statement follows the schema.
func TestStatementsArePrepared(t *testing.T) {
	db := open(t, `CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2)`)
	ctx := context.Background()
	kept := func(s *statements) int {
		s.mu.RLock()
		defer s.mu.RUnlock()
		return len(s.m)
	}
	for range 3 {
		var n int64
		require.NoError(t, db.QueryRow(ctx, "SELECT count(*) FROM t WHERE x > $1", 0).Scan(&n))
		assert.Equal(t, int64(2), n)
	}
	assert.Equal(t, 1, kept(db.reads))
	writes := kept(db.writes)
	for range 2 {
		_, err := db.Exec(ctx, "UPDATE t SET x = x + 1 WHERE x = $1", 0)
		require.NoError(t, err)
	}
	assert.Equal(t, writes+1, kept(db.writes), "the writer keeps its own")

	// A kept statement sees a column added after it was prepared.
	xs, err := Collect(ctx, db, "SELECT * FROM t ORDER BY x", nil, func(row Row, cols *[]any) error {
		*cols = make([]any, 1)
		return row.Scan(&(*cols)[0])
	})
	require.NoError(t, err)
	require.Len(t, xs, 2)
	_, err = db.Exec(ctx, "ALTER TABLE t ADD COLUMN y TEXT DEFAULT 'new'")
	require.NoError(t, err)
	var x int64
	var y string
	require.NoError(t, db.QueryRow(ctx, "SELECT * FROM t ORDER BY x").Scan(&x, &y))
	assert.Equal(t, "new", y)

	// Past maxStatements, statements run unprepared.
	for i := range maxStatements + 10 {
		var n int64
		require.NoError(t, db.QueryRow(ctx, fmt.Sprintf("SELECT %d + $1", i), 1).Scan(&n))
		require.Equal(t, int64(i+1), n)
	}
	assert.Equal(t, maxStatements, kept(db.reads))

	// A statement that does not prepare is an error, and is not kept.
	_, err = db.Query(ctx, "SELECT nope FROM t")
	require.ErrorContains(t, err, "no such column")
	require.NoError(t, db.Close())
	assert.Zero(t, kept(db.reads))
}

// TestScanReusesConverters: the rows of a query scan through the same
// converters, and no row's values alias another's.
func TestScanReusesConverters(t *testing.T) {
	db := open(t, `CREATE TABLE v (id INTEGER PRIMARY KEY, price DECIMAL(10,2), day DATE, at DATETIME, doc JSON);
INSERT INTO v VALUES (1, 1.5, '2024-01-02', '2024-01-02 03:04:05', '[1]'), (2, NULL, NULL, NULL, NULL), (3, 3, '2024-03-04', '2024-03-04 05:06:07.5', '{"a":3}')`)
	ctx := context.Background()
	type row struct {
		price *runtime.Decimal
		day   *runtime.Date
		at    *time.Time
		doc   json.RawMessage
	}
	rows, err := db.Query(ctx, "SELECT price, day, at, doc FROM v ORDER BY id")
	require.NoError(t, err)
	defer rows.Close()
	var got []row
	var first *converter
	for rows.Next() {
		var r row
		require.NoError(t, rows.Scan(&r.price, &r.day, &r.at, &r.doc))
		got = append(got, r)
		convs := rows.(*sqlRows).convs
		require.Len(t, convs, 4)
		if first == nil {
			first = &convs[0]
		}
		assert.Same(t, first, &convs[0], "the converters of the first row serve every row")
	}
	require.NoError(t, rows.Err())
	require.Len(t, got, 3)
	assert.Equal(t, "1.5", got[0].price.String())
	assert.Equal(t, "3", got[2].price.String())
	assert.Nil(t, got[1].price)
	assert.Nil(t, got[1].day)
	assert.Nil(t, got[1].at)
	assert.Nil(t, got[1].doc)
	assert.Equal(t, "2024-01-02", got[0].day.String())
	assert.Equal(t, "2024-03-04", got[2].day.String())
	assert.Equal(t, time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), *got[0].at)
	assert.Equal(t, time.Date(2024, 3, 4, 5, 6, 7, 500000000, time.UTC), *got[2].at)
	assert.JSONEq(t, `[1]`, string(got[0].doc))
	assert.JSONEq(t, `{"a":3}`, string(got[2].doc))
}
