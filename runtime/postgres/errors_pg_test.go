package postgres

import (
	"context"
	"errors"
	"github.com/crudgen/crudgen/runtime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/crudgen/crudgen/runtime/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"
)

// These tests provoke each error through PostgreSQL and pgx, so that the
// mapping is checked against what the server really reports (table,
// column and constraint names, details). They use a database of their own
// (pgtest.Fresh), so they do not depend on the package's TestMain.

const errorsSchema = `
CREATE TABLE authors (
	id int PRIMARY KEY,
	email text NOT NULL,
	name varchar(5),
	age smallint,
	born date,
	hidden text NOT NULL DEFAULT 'x',
	CONSTRAINT authors_email_key UNIQUE (email),
	CONSTRAINT age_positive CHECK (age >= 0)
);
CREATE UNIQUE INDEX authors_lower_name ON authors (lower(name));
CREATE TABLE books (
	id int PRIMARY KEY,
	author_id int REFERENCES authors (id),
	title text,
	CONSTRAINT books_title_author UNIQUE (author_id, title)
);
CREATE TABLE nodes (id int PRIMARY KEY, parent_id int REFERENCES nodes (id));
CREATE TABLE bookings (id int PRIMARY KEY, during tsrange, EXCLUDE USING gist (during WITH &&));
CREATE TABLE "Odd" ("Weird, col" int, b int, UNIQUE ("Weird, col", b));
CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE TABLE payments (id int, at date, author_id int, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE payments_2024 PARTITION OF payments FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
-- A foreign key of the partition only, as old pg_dumps of pagila have.
ALTER TABLE payments_2024 ADD CONSTRAINT payments_2024_author FOREIGN KEY (author_id) REFERENCES authors (id);
INSERT INTO authors (id, email, name) VALUES (1, 'a@example.com', 'ann');
INSERT INTO books VALUES (1, 1, 'One');
INSERT INTO nodes VALUES (1, NULL), (2, 1);
INSERT INTO bookings VALUES (1, '[2024-01-01, 2024-01-10)');
INSERT INTO "Odd" VALUES (1, 2);
INSERT INTO payments VALUES (1, '2024-03-01', 1);
`

// authorsTable maps columns to JSON names that differ, to tell them apart.
var authorsTable = &runtime.Table{
	Name:    "authors",
	Columns: map[string]string{"id": "authorId", "email": "emailAddress", "name": "name", "age": "age", "born": "born"},
	Constraints: map[string]runtime.Constraint{
		"authors_pkey":      {Kind: runtime.ConstraintPrimaryKey, Fields: []string{"authorId"}},
		"authors_email_key": {Kind: runtime.ConstraintUnique, Fields: []string{"emailAddress"}},
		"age_positive":      {Kind: runtime.ConstraintCheck, Fields: []string{"age"}, Message: "must be at least 0"},
	},
}

var booksTable = &runtime.Table{
	Name:    "books",
	Columns: map[string]string{"id": "id", "author_id": "author_id", "title": "title"},
}

var paymentsTable = &runtime.Table{
	Name:     "payments",
	Columns:  map[string]string{"id": "id", "at": "at", "author_id": "author_id"},
	Children: []string{"payments_2024"},
}

var nodesTable = &runtime.Table{
	Name:    "nodes",
	Columns: map[string]string{"id": "id", "parent_id": "parent_id"},
}

// TestErrorFromPostgreSQL runs its parts on one database: creating and
// dropping one is slow on a busy server.
func TestErrorFromPostgreSQL(t *testing.T) {
	ctx := context.Background()
	u := pgtest.Fresh(t)
	pool, err := pgxpool.New(ctx, u)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	_, err = pool.Exec(ctx, errorsSchema)
	require.NoError(t, err)

	t.Run("SQLSTATEs", func(t *testing.T) { testSQLStates(t, pool) })
	t.Run("no rows", func(t *testing.T) { testNoRows(t, pool) })
	t.Run("closed pool", func(t *testing.T) { testClosedPool(t, u) })
	t.Run("client gone during a query", func(t *testing.T) { testClientGoneDuringAQuery(t, pool) })
}

// pgErr runs sql (in a transaction rolled back at once, so cases do not
// interfere) and returns the error pgx reports, which must be a PgError.
func pgErr(t *testing.T, pool *pgxpool.Pool, sql string) error {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback(ctx) }()
	_, err = tx.Exec(ctx, sql)
	var pe *pgconn.PgError
	require.ErrorAs(t, err, &pe, sql)
	return err
}

func testSQLStates(t *testing.T, pool *pgxpool.Pool) {
	api, logs := testAPI()

	for _, tc := range []struct {
		name   string
		sql    string
		method string
		table  *runtime.Table
		state  string
		status int
		want   []located
		msgs   []string
	}{
		{
			name: "unique, constraint known", state: "23505", status: 409,
			sql:    `INSERT INTO authors (id, email) VALUES (2, 'a@example.com')`,
			method: http.MethodPost, table: authorsTable,
			want: []located{{[]any{"body", "emailAddress"}, "unique"}}, msgs: []string{"must be unique"},
		},
		{
			name: "unique, primary key", state: "23505", status: 409,
			sql:    `INSERT INTO authors (id, email) VALUES (1, 'b@example.com')`,
			method: http.MethodPost, table: authorsTable,
			want: []located{{[]any{"body", "authorId"}, "unique"}},
		},
		{
			name: "unique, columns from the detail", state: "23505", status: 409,
			sql:    `INSERT INTO authors (id, email) VALUES (2, 'a@example.com')`,
			method: http.MethodPost, table: &runtime.Table{Name: "authors", Columns: authorsTable.Columns},
			want: []located{{[]any{"body", "emailAddress"}, "unique"}},
		},
		{
			name: "unique, no table", state: "23505", status: 409,
			sql:    `INSERT INTO authors (id, email) VALUES (2, 'a@example.com')`,
			method: http.MethodPost,
			want:   []located{{[]any{"body", "email"}, "unique"}},
		},
		{
			name: "unique over two columns", state: "23505", status: 409,
			sql:    `INSERT INTO books VALUES (2, 1, 'One')`,
			method: http.MethodPost, table: booksTable,
			want: []located{{[]any{"body", "author_id"}, "unique"}, {[]any{"body", "title"}, "unique"}},
			msgs: []string{"must be unique together with title", "must be unique together with author_id"},
		},
		{
			name: "unique index on an expression", state: "23505", status: 409,
			sql:    `INSERT INTO authors (id, email, name) VALUES (2, 'b@example.com', 'ANN')`,
			method: http.MethodPost, table: authorsTable,
			want: []located{{[]any{"body"}, "unique"}},
		},
		{
			name: "unique on quoted columns", state: "23505", status: 409,
			sql:    `INSERT INTO "Odd" VALUES (1, 2)`,
			method: http.MethodPost,
			want:   []located{{[]any{"body", "Weird, col"}, "unique"}, {[]any{"body", "b"}, "unique"}},
		},
		{
			name: "unique violated by another table (a trigger, say)", state: "23505", status: 409,
			sql:    `INSERT INTO books VALUES (1, NULL, 'x')`,
			method: http.MethodPost, table: authorsTable,
			want: []located{{[]any{"body"}, "unique"}},
		},
		{
			name: "exclusion", state: "23P01", status: 409,
			sql:    `INSERT INTO bookings VALUES (2, '[2024-01-05, 2024-01-06)')`,
			method: http.MethodPost, table: &runtime.Table{Name: "bookings", Columns: map[string]string{"id": "id", "during": "during"}},
			want: []located{{[]any{"body", "during"}, "unique"}}, msgs: []string{"conflicts with an existing row"},
		},
		{
			name: "foreign key target missing", state: "23503", status: 422,
			sql:    `INSERT INTO books VALUES (2, 99, 'Two')`,
			method: http.MethodPost, table: booksTable,
			want: []located{{[]any{"body", "author_id"}, "foreign_key"}}, msgs: []string{"must reference an existing row"},
		},
		{
			name: "foreign key target missing, constraint known", state: "23503", status: 422,
			sql:    `UPDATE books SET author_id = 99`,
			method: http.MethodPatch,
			table: &runtime.Table{Name: "books", Columns: booksTable.Columns, Constraints: map[string]runtime.Constraint{
				"books_author_id_fkey": {Kind: runtime.ConstraintForeignKey, Fields: []string{"author"}, Message: "must be an existing author"},
			}},
			want: []located{{[]any{"body", "author"}, "foreign_key"}}, msgs: []string{"must be an existing author"},
		},
		{
			name: "foreign key target missing, no table", state: "23503", status: 422,
			sql:    `INSERT INTO books VALUES (2, 99, 'Two')`,
			method: http.MethodPost,
			want:   []located{{[]any{"body", "author_id"}, "foreign_key"}},
		},
		{
			name: "delete of a referenced row", state: "23503", status: 409,
			sql:    `DELETE FROM authors WHERE id = 1`,
			method: http.MethodDelete, table: authorsTable,
			want: []located{{[]any{"path", "authorId"}, "referenced"}}, msgs: []string{"is still referenced by rows of books"},
		},
		{
			name: "delete of a referenced row, no table", state: "23503", status: 409,
			sql:    `DELETE FROM authors WHERE id = 1`,
			method: http.MethodDelete,
			want:   []located{{[]any{"path", "id"}, "referenced"}},
		},
		{
			name: "update of a referenced key", state: "23503", status: 409,
			sql:    `UPDATE authors SET id = 5 WHERE id = 1`,
			method: http.MethodPut, table: authorsTable,
			want: []located{{[]any{"body", "authorId"}, "referenced"}},
		},
		{
			name: "self reference: parent missing", state: "23503", status: 422,
			sql:    `INSERT INTO nodes VALUES (3, 99)`,
			method: http.MethodPost, table: nodesTable,
			want: []located{{[]any{"body", "parent_id"}, "foreign_key"}},
		},
		{
			name: "self reference: delete of a parent", state: "23503", status: 409,
			sql:    `DELETE FROM nodes WHERE id = 1`,
			method: http.MethodDelete, table: nodesTable,
			want: []located{{[]any{"path", "id"}, "referenced"}},
		},
		{
			name: "self reference: update of a parent's key", state: "23503", status: 409,
			sql:    `UPDATE nodes SET id = 7 WHERE id = 1`,
			method: http.MethodPatch, table: nodesTable,
			want: []located{{[]any{"body", "id"}, "referenced"}},
		},
		{
			name: "partition: no partition takes the row", state: "23514", status: 422,
			sql:    `INSERT INTO payments VALUES (2, '2030-01-01', 1)`,
			method: http.MethodPost, table: paymentsTable,
			want: []located{{[]any{"body"}, "check"}}, msgs: []string{"belongs to no partition of the table"},
		},
		{
			name: "partition: foreign key of the partition, target missing", state: "23503", status: 422,
			sql:    `INSERT INTO payments VALUES (2, '2024-02-01', 99)`,
			method: http.MethodPost, table: paymentsTable,
			want: []located{{[]any{"body", "author_id"}, "foreign_key"}},
		},
		{
			name: "partition: foreign key of the partition, target missing on update", state: "23503", status: 422,
			sql:    `UPDATE payments SET author_id = 99`,
			method: http.MethodPatch, table: paymentsTable,
			want: []located{{[]any{"body", "author_id"}, "foreign_key"}},
		},
		{
			name: "foreign key violation raised by a trigger", state: "23503", status: 422,
			sql:    `DO $$ BEGIN RAISE foreign_key_violation USING MESSAGE = 'unknown role: secret'; END $$`,
			method: http.MethodPatch, table: authorsTable,
			want: []located{{[]any{"body"}, "foreign_key"}},
		},
		{
			name: "not null", state: "23502", status: 422,
			sql:    `INSERT INTO authors (id, email) VALUES (2, NULL)`,
			method: http.MethodPost, table: authorsTable,
			want: []located{{[]any{"body", "emailAddress"}, "required"}}, msgs: []string{"must not be null"},
		},
		{
			name: "not null on a column the API does not expose", state: "23502", status: 422,
			sql:    `INSERT INTO authors (id, email, hidden) VALUES (2, 'b@example.com', NULL)`,
			method: http.MethodPost, table: authorsTable,
			want: []located{{[]any{"body"}, "required"}},
		},
		{
			name: "not null, no table", state: "23502", status: 422,
			sql:    `UPDATE authors SET email = NULL`,
			method: http.MethodPatch,
			want:   []located{{[]any{"body", "email"}, "required"}},
		},
		{
			name: "check, constraint known", state: "23514", status: 422,
			sql:    `INSERT INTO authors (id, email, age) VALUES (2, 'b@example.com', -1)`,
			method: http.MethodPost, table: authorsTable,
			want: []located{{[]any{"body", "age"}, "check"}}, msgs: []string{"must be at least 0"},
		},
		{
			name: "check, constraint unknown", state: "23514", status: 422,
			sql:    `INSERT INTO authors (id, email, age) VALUES (2, 'b@example.com', -1)`,
			method: http.MethodPost,
			want:   []located{{[]any{"body"}, "check"}}, msgs: []string{"violates check constraint age_positive"},
		},
		{
			name: "domain check", state: "23514", status: 422,
			sql:    `SELECT 0::positive`,
			method: http.MethodPost, table: authorsTable,
			want: []located{{[]any{"body"}, "check"}}, msgs: []string{"violates check constraint positive_check"},
		},
		{
			name: "string too long", state: "22001", status: 422,
			sql:    `INSERT INTO authors (id, email, name) VALUES (2, 'b@example.com', 'toolong')`,
			method: http.MethodPost, table: authorsTable,
			want: []located{{[]any{"body"}, "max_length"}},
		},
		{
			name: "number out of range", state: "22003", status: 422,
			sql:    `INSERT INTO authors (id, email, age) VALUES (2, 'b@example.com', 100000)`,
			method: http.MethodPost, table: authorsTable,
			want: []located{{[]any{"body"}, "maximum"}},
		},
		{
			name: "invalid text representation", state: "22P02", status: 422,
			sql:    `SELECT 'abc'::int`,
			method: http.MethodGet, table: authorsTable,
			want: []located{{[]any{"query"}, "type"}},
		},
		{
			name: "invalid datetime format", state: "22007", status: 422,
			sql:    `SELECT 'yesterday-ish'::date`,
			method: http.MethodPost,
			want:   []located{{[]any{"body"}, "format"}},
		},
		{
			name: "datetime field overflow", state: "22008", status: 422,
			sql:    `SELECT '2024-13-45'::date`,
			method: http.MethodPost,
			want:   []located{{[]any{"body"}, "format"}},
		},
		{
			name: "character not in repertoire", state: "22021", status: 422,
			sql:    `SELECT convert_from('\xff'::bytea, 'UTF8')`,
			method: http.MethodPost,
			want:   []located{{[]any{"body"}, "format"}},
		},
		{
			name: "value a type's input rejects as a syntax error", state: "42601", status: 422,
			sql:    `SELECT '&&'::text::tsquery`,
			method: http.MethodPatch,
			want:   []located{{[]any{"body"}, "type"}},
		},
		{
			name: "range bounds out of order", state: "22000", status: 422,
			sql:    `SELECT '[5,1]'::text::int4range`,
			method: http.MethodPost,
			want:   []located{{[]any{"body"}, "format"}},
		},
		{
			name: "invalid XML", state: "2200N", status: 422,
			sql:    `SELECT '<a>'::text::xml`,
			method: http.MethodPost,
			want:   []located{{[]any{"body"}, "format"}},
		},
		{
			name: "bit string length", state: "22026", status: 422,
			sql:    `SELECT '10'::text::"bit" & B'1010'`,
			method: http.MethodPost,
			want:   []located{{[]any{"body"}, "format"}},
		},
		{
			name: "time zone displacement", state: "22009", status: 422,
			sql:    `SELECT '12:00+25'::text::timetz`,
			method: http.MethodPost,
			want:   []located{{[]any{"body"}, "format"}},
		},
		{
			name: "other integrity violation", state: "23001", status: 409,
			sql:    `DO $$ BEGIN RAISE EXCEPTION 'restricted: secret' USING ERRCODE = 'restrict_violation'; END $$`,
			method: http.MethodDelete,
		},
		{name: "too many connections", state: "53300", status: 503, sql: raise("too_many_connections"), method: http.MethodGet},
		{name: "out of memory", state: "53200", status: 503, sql: raise("out_of_memory"), method: http.MethodGet},
		{name: "admin shutdown", state: "57P01", status: 503, sql: raise("admin_shutdown"), method: http.MethodGet},
		{name: "crash shutdown", state: "57P02", status: 503, sql: raise("crash_shutdown"), method: http.MethodGet},
		{name: "cannot connect now", state: "57P03", status: 503, sql: raise("cannot_connect_now"), method: http.MethodGet},
		{name: "connection failure", state: "08006", status: 503, sql: raise("connection_failure"), method: http.MethodGet},
		{name: "serialization failure", state: "40001", status: 503, sql: raise("serialization_failure"), method: http.MethodPost},
		{name: "deadlock", state: "40P01", status: 503, sql: raise("deadlock_detected"), method: http.MethodPost},
		{name: "lock timeout", state: "55P03", status: 503, sql: raise("lock_not_available"), method: http.MethodPost},
		{name: "idle session timeout", state: "57P05", status: 503, sql: raise("idle_session_timeout"), method: http.MethodGet},
		{name: "idle in transaction timeout", state: "25P03", status: 503, sql: raise("idle_in_transaction_session_timeout"), method: http.MethodPost},
		{
			name: "statement timeout", state: "57014", status: 503,
			sql:    `SET LOCAL statement_timeout = '20ms'; SELECT pg_sleep(5)`,
			method: http.MethodGet,
		},
		{
			name: "read-only transaction", state: "25006", status: 503,
			sql:    `SET TRANSACTION READ ONLY; INSERT INTO nodes VALUES (9, NULL)`,
			method: http.MethodPost,
		},
		{name: "syntax error", state: "42601", status: 500, sql: `SELEC secret FROM authors`, method: http.MethodGet},
		{name: "undefined table", state: "42P01", status: 500, sql: `SELECT * FROM secret`, method: http.MethodGet},
		{
			// A trigger refusing a row is a rule about the row: 422 at the
			// body, with the trigger's own words kept in the log.
			name: "raised by a trigger or function", state: "P0001", status: 422,
			sql:    `DO $$ BEGIN RAISE EXCEPTION 'secret %', 42 USING DETAIL = 'secret detail', HINT = 'secret hint'; END $$`,
			method: http.MethodPost,
			want:   []located{{[]any{"body"}, "check"}}, msgs: []string{"was refused by a rule of the database"},
		},
		{name: "division by zero", state: "22012", status: 500, sql: `SELECT 1 / (SELECT count(*) FROM authors WHERE email = 'secret')`, method: http.MethodGet},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := pgErr(t, pool, tc.sql)
			require.Equal(t, tc.state, sqlState(err))
			logs.Reset()
			m := mapError(t, api, tc.method, err, tc.table)
			require.Equal(t, tc.status, m.rec.Code, m.rec.Body.String())
			require.Equal(t, tc.want, m.located())
			if tc.msgs != nil {
				require.Equal(t, tc.msgs, m.messages())
			}
			if tc.status == http.StatusServiceUnavailable {
				require.Equal(t, "1", m.rec.Header().Get("Retry-After"))
			} else {
				require.Empty(t, m.rec.Header().Get("Retry-After"))
			}
			requireNoLeak(t, m.rec.Body.String(), err)
			require.Contains(t, logs.String(), tc.state, "the log has the database's error")
		})
	}
}

// raise is a statement that fails with the condition name.
func raise(condition string) string {
	return `DO $$ BEGIN RAISE EXCEPTION 'secret' USING ERRCODE = '` + condition + `'; END $$`
}

// requireNoLeak checks that body says nothing of what the database said.
func requireNoLeak(t *testing.T, body string, err error) {
	t.Helper()
	require.NotContains(t, body, "secret")
	require.NotContains(t, body, "SQLSTATE")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return
	}
	require.NotContains(t, body, pe.Message)
	for _, s := range []string{pe.Detail, pe.Hint, pe.Where} {
		if s != "" {
			require.NotContains(t, body, s)
		}
	}
	require.NotContains(t, body, "a@example.com", "no values from the detail")
}

func testNoRows(t *testing.T, pool *pgxpool.Pool) {
	api, _ := testAPI()
	var id int
	err := pool.QueryRow(context.Background(), `SELECT id FROM authors WHERE id = 99`).Scan(&id)
	require.ErrorIs(t, err, pgx.ErrNoRows)
	m := mapError(t, api, http.MethodGet, err, authorsTable)
	require.Equal(t, http.StatusNotFound, m.rec.Code)
}

func testClosedPool(t *testing.T, u string) {
	pool, err := pgxpool.New(context.Background(), u)
	require.NoError(t, err)
	pool.Close()
	api, _ := testAPI()
	_, err = pool.Exec(context.Background(), `SELECT 1`)
	require.Error(t, err)
	m := mapError(t, api, http.MethodGet, err, nil)
	require.Equal(t, http.StatusServiceUnavailable, m.rec.Code, err)
	require.Equal(t, "1", m.rec.Header().Get("Retry-After"))
}

func testClientGoneDuringAQuery(t *testing.T, pool *pgxpool.Pool) {
	api, logs := testAPI()
	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequestWithContext(ctx, http.MethodGet, "/things/1", nil)
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := pool.Exec(r.Context(), `SELECT pg_sleep(5)`)
	require.Error(t, err)

	m := mapErrorRequest(t, api, r, err, nil)
	require.Equal(t, 499, m.rec.Code, err)
	require.Zero(t, m.rec.Body.Len())
	require.False(t, strings.Contains(logs.String(), `"level":"ERROR"`), logs.String())
}
