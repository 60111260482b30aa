package runtime

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"
)

// ErrNotFound is returned (possibly wrapped) by generated stores when a row
// does not exist; API.Error answers it, like pgx.ErrNoRows, with 404.
var ErrNotFound = errors.New("not found")

// Table describes a generated resource's table, so that API.Error can locate
// the database's constraint violations at the request's fields.
type Table struct {
	// Name is the table's name as PostgreSQL reports it in errors
	// (PgError.TableName): unqualified.
	Name string
	// Columns maps column names to JSON field names.
	Columns map[string]string
	// Constraints maps constraint names to what they are.
	Constraints map[string]Constraint
	// Children are the partitions and inheritance children of the table,
	// unqualified: errors about a row written through the table may name
	// the child that stores it.
	Children []string
}

// holds reports whether PostgreSQL's name for the table of an error is t
// or one of its children.
func (t *Table) holds(name string) bool {
	return name == t.Name || slices.Contains(t.Children, name)
}

// ConstraintKind tells what a table constraint enforces.
type ConstraintKind int

// Kinds of Constraint.
const (
	ConstraintPrimaryKey ConstraintKind = iota
	ConstraintUnique
	ConstraintForeignKey
	ConstraintCheck
	ConstraintExclusion
)

// Constraint describes one constraint of a Table.
type Constraint struct {
	Kind ConstraintKind
	// Fields are the JSON names of the constraint's columns; for a foreign
	// key, the referencing columns.
	Fields []string
	// Message, when set, replaces the default message of the field errors,
	// e.g. "must be at least 0" for a CHECK (price >= 0).
	Message string
}

// statusClientClosedRequest is what API.Error records, without a body, when
// the client went away (nginx's 499).
const statusClientClosedRequest = 499

// Error writes the response for err, which a handler could not recover from,
// as a problem (see API.Problem). t describes the table the handler works on
// and may be nil: the database's errors are then located by column names.
//
//   - A *Problem (possibly wrapped) is written as is.
//   - ErrNotFound and pgx.ErrNoRows: 404.
//   - A *pgconn.PgError by SQLSTATE: unique (23505) and exclusion (23P01)
//     violations are 409 with code "unique" at the constraint's fields; a
//     foreign key violation (23503) is a 422 "foreign_key" at the foreign
//     key's fields when the written row points at a missing row, or a 409
//     "referenced" when the row is still referenced by another row; NOT NULL
//     (23502) is a 422 "required", CHECK (23514) a 422 "check"; values the
//     column cannot hold are 422s: too long (22001, "max_length"), out of
//     range (22003, "maximum"), not of the type (22P02, "type"), bad dates,
//     times or characters (22007, 22008, 22021, 22P05, "format"); other
//     integrity violations (class 23) are 409.
//   - Conditions a retry can cure are 503 with Retry-After: connection
//     errors (class 08, *pgconn.ConnectError, net.Error, EOF, errors pgconn
//     deems safe to retry), an exhausted or closed pool, timeouts
//     (context.DeadlineExceeded, whichever context ran out), insufficient
//     resources (class 53, among them too_many_connections), shutdowns
//     (57P01, 57P02, 57P03), a canceled statement (57014, statement_timeout),
//     serialization failures and deadlocks (40001, 40P01), lock timeouts
//     (55P03), writes to a read-only server (25006, a standby after a
//     failover) and sessions the server closed for idling (57P05, 25P03).
//   - A write (POST, PUT, PATCH, DELETE) whose connection was lost after
//     its statement, or the COMMIT of its transaction, was sent is a 503
//     of type TypeOutcomeUnknown: the database may have applied it before
//     the connection broke, so the client must not take the 503 for a
//     failure (see OutcomeUnknown). A write is known to have failed, and
//     answered like any other 503, when pgx reports that nothing was sent
//     (no connection, a pool that is closed or gave none in time), when
//     the server answered with an ERROR (a statement that fails takes its
//     implicit transaction with it), and when the error comes out of InTx
//     before the COMMIT.
//   - Anything else is a 500 whose body says nothing more.
//
// Field errors are located at ["body", field] for POST, PUT and PATCH, at
// ["path", field] for DELETE and at ["query", field] otherwise; the loc of a
// violation whose columns are unknown is the root alone (["body"]). Rows of
// a bulk create are not told apart: the loc has no array index.
//
// When the client went away (the request's context is canceled) and err
// comes from that cancellation, Error logs at debug level and records
// status 499 without a body, so access logs and metrics tell abandoned
// requests from served ones. A context.Canceled while the request's context
// is still alive is a 500: the handler canceled its own work.
//
// Bodies never hold SQL, database messages, values from the database's
// error details or Go error texts; the log does. They name no more than a
// referencing table (a 409 "referenced") and, for a CHECK the Table does
// not describe, the constraint. Error logs 5xx at error level (503 at warn)
// and client errors at debug level, with the error, method, path and
// request ID. A nil err is a bug, answered with 500.
func (a *API) Error(w http.ResponseWriter, r *http.Request, err error, t *Table) {
	if err == nil {
		err = errors.New("runtime: API.Error called with a nil error")
	}
	if clientGone(r, err) {
		a.log(w, r, slog.LevelDebug, "client closed request", statusClientClosedRequest, err)
		w.WriteHeader(statusClientClosedRequest)
		return
	}
	p := a.problemFor(r, err, t)
	msg := "request failed"
	if p.Type == TypeOutcomeUnknown {
		msg = "request failed; the write may have been applied"
	}
	a.log(w, r, levelOf(p.Status), msg, p.Status, err)
	a.Problem(w, r, p)
}

// clientGone reports whether err results from the client going away: the
// request's context was canceled (net/http does that when the connection
// closes) and err is that cancellation as pgx or another layer reports it.
func clientGone(r *http.Request, err error) bool {
	if !errors.Is(r.Context().Err(), context.Canceled) {
		return false
	}
	return errors.Is(err, context.Canceled) || pgconn.Timeout(err) || sqlState(err) == pgerrcode.QueryCanceled
}

func levelOf(status int) slog.Level {
	switch {
	case status == http.StatusServiceUnavailable:
		return slog.LevelWarn
	case status >= 500:
		return slog.LevelError
	default:
		return slog.LevelDebug
	}
}

// problemFor maps err to the problem to write.
func (a *API) problemFor(r *http.Request, err error, t *Table) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	if errors.Is(err, ErrNotFound) || errors.Is(err, pgx.ErrNoRows) {
		return notFound(t)
	}
	var d *denied
	if errors.As(err, &d) {
		return Forbidden("")
	}
	if writes(r) && OutcomeUnknown(err) {
		return a.outcomeUnknown()
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		if p := a.pgProblem(r, pgErr, t); p != nil {
			return p
		}
	}
	if transient(err) {
		return a.unavailable()
	}
	return internalError()
}

func notFound(t *Table) *Problem {
	if t == nil || t.Name == "" {
		return NewProblem(http.StatusNotFound, "The requested row does not exist.")
	}
	return NewProblem(http.StatusNotFound, "The requested "+t.Name+" row does not exist.")
}

func internalError() *Problem {
	return NewProblem(http.StatusInternalServerError, "An internal error occurred.")
}

// unavailable is a 503 with Retry-After in whole seconds (at least 1).
func (a *API) unavailable() *Problem {
	p := NewProblem(http.StatusServiceUnavailable, "The service is temporarily unavailable; retry later.")
	secs := max(math.Ceil(a.retryAfter().Seconds()), 1)
	p.Header = http.Header{"Retry-After": {strconv.FormatFloat(secs, 'f', 0, 64)}}
	return p
}

// TypeOutcomeUnknown is the type of the problem that answers a write
// whose outcome is unknown: the connection to the database broke after the
// write was sent and before its result came back, so the database may
// have applied it, or not. The status is 503 with Retry-After, as for
// other outages, and the detail says the same. A client must not take it
// for a failure: before it retries a write that is not idempotent (a POST
// that creates a row, say), it reads what it wrote to find out. Every
// other 503 is a write that was not applied.
const TypeOutcomeUnknown = "https://pkg.go.dev/github.com/crudgen/crudgen/runtime#TypeOutcomeUnknown"

// outcomeUnknown is the 503 of a write that may or may not have been
// applied.
func (a *API) outcomeUnknown() *Problem {
	p := a.unavailable()
	p.Type = TypeOutcomeUnknown
	p.Title = "Outcome Unknown"
	p.Detail = "The connection to the database was lost while the change was being made: it may or may not have been applied. Read the resource to find out before retrying."
	return p
}

// writes reports whether r's method changes data.
func writes(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	return true
}

// OutcomeUnknown reports whether err, returned by a write to the database,
// leaves it unknown whether the write was applied: the connection broke
// (end of file, a network error, a timeout that closed it) or the server
// ended the session (a FATAL or PANIC error, such as 57P01 after
// pg_terminate_backend or 57P02 after a crash) after the statement was
// sent. A statement run outside a transaction block commits when it
// completes, and a COMMIT may have been carried out, before the answer
// was lost.
//
// It is false for errors that tell the outcome: nothing was sent (a
// connection that could not be made, a closed pool, a wait for a
// connection that ended, a connection busy with another statement), the
// server answered with an ERROR (the statement and its transaction were
// rolled back: a constraint, statement_timeout, a deadlock), anything
// that is not about the connection, and errors InTx returns from before
// its COMMIT.
func OutcomeUnknown(err error) bool {
	var rb *rolledBack
	if err == nil || errors.As(err, &rb) || notSent(err) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch severity(pgErr) {
		case "FATAL", "PANIC":
			return true
		}
		return false
	}
	return transient(err)
}

// notSent reports connection errors that happened before anything of a
// statement was sent.
func notSent(err error) bool {
	var connectErr *pgconn.ConnectError
	switch {
	case errors.Is(err, pgconn.ErrConnClosed):
		// pgx says "conn closed", safe to retry, when the connection
		// breaks while it reads the answer to a statement sent with the
		// simple protocol: a COMMIT, a statement without arguments, any
		// statement with DB_EXEC_MODE=simple_protocol.
		return false
	case pgconn.SafeToRetry(err), errors.As(err, &connectErr), errors.Is(err, puddle.ErrClosedPool):
		return true
	}
	// pgxpool returns its context's error as it is when the wait for a
	// connection ends; once a statement is under way, pgconn wraps it
	// (pgconn.Timeout).
	return errors.Is(err, context.DeadlineExceeded) && !pgconn.Timeout(err)
}

// severity is e's severity in English, whatever the server's language.
func severity(e *pgconn.PgError) string {
	if e.SeverityUnlocalized != "" {
		return e.SeverityUnlocalized
	}
	return e.Severity
}

// pgProblem maps a server error by its SQLSTATE; nil means no particular
// mapping.
func (a *API) pgProblem(r *http.Request, e *pgconn.PgError, t *Table) *Problem {
	switch e.Code {
	case pgerrcode.UniqueViolation, pgerrcode.ExclusionViolation:
		return conflict(r, e, t)
	case pgerrcode.ForeignKeyViolation:
		if isReferenced(r, e, t) {
			return referenced(r, e, t)
		}
		return Invalid(constraintErrors(r, e, t, CodeForeignKey, "must reference an existing row")...)
	case pgerrcode.NotNullViolation:
		return Invalid(FieldError{Loc: columnLoc(r, e, t), Code: CodeRequired, Message: "must not be null"})
	case pgerrcode.CheckViolation:
		if e.ConstraintName == "" {
			// Partition routing reports a check violation without a
			// constraint: no partition takes the row.
			return Invalid(FieldError{Loc: []any{locRoot(r)}, Code: CodeCheck, Message: "belongs to no partition of the table"})
		}
		return Invalid(constraintErrors(r, e, t, CodeCheck, "violates check constraint "+e.ConstraintName)...)
	case pgerrcode.CardinalityViolation:
		// An upsert of several rows with the same key: ON CONFLICT DO
		// UPDATE cannot update one row twice.
		return NewProblem(http.StatusConflict, "Two rows of the request have the same key.",
			FieldError{Loc: []any{locRoot(r)}, Code: CodeUnique, Message: "holds two rows with the same key"})
	case pgerrcode.RaiseException, pgerrcode.AssertFailure:
		// A trigger or rule refused the row. Its message may say more than a
		// client should see, so it stays in the log.
		return Invalid(FieldError{Loc: []any{locRoot(r)}, Code: CodeCheck, Message: "was refused by a rule of the database"})
	}
	if code, msg := dataError(e); code != "" {
		return Invalid(FieldError{Loc: columnLoc(r, e, t), Code: code, Message: msg})
	}
	if retryable(e.Code) {
		return a.unavailable()
	}
	if pgerrcode.IsIntegrityConstraintViolation(e.Code) {
		return NewProblem(http.StatusConflict, "The request violates a database constraint.")
	}
	return nil
}

// dataError returns the field error code and message of an error caused
// by a value the column cannot hold: a SQLSTATE of class 22 raised by a
// type's input or length check, or a syntax error without a position in
// the statement, which the input functions of ltree, tsquery and jsonpath
// raise for text they cannot read (the SQL crudgen writes has no syntax
// errors, and those would have a position).
func dataError(e *pgconn.PgError) (string, string) {
	switch e.Code {
	case pgerrcode.StringDataRightTruncationDataException:
		return CodeMaxLength, "is too long"
	case pgerrcode.NumericValueOutOfRange:
		return CodeMaximum, "is out of range"
	case pgerrcode.InvalidTextRepresentation:
		return CodeType, "is not a valid value of its type"
	case pgerrcode.SyntaxError:
		if e.Position == 0 && e.InternalPosition == 0 {
			return CodeType, "is not a valid value of its type"
		}
	case pgerrcode.InvalidDatetimeFormat, pgerrcode.DatetimeFieldOverflow, pgerrcode.InvalidTimeZoneDisplacementValue,
		pgerrcode.IntervalFieldOverflow:
		return CodeFormat, "is not a valid date or time"
	case pgerrcode.CharacterNotInRepertoire, pgerrcode.UntranslatableCharacter:
		return CodeFormat, "has characters the database cannot store"
	case pgerrcode.StringDataLengthMismatch:
		return CodeFormat, "does not have the length of its type"
	case pgerrcode.InvalidEscapeSequence, pgerrcode.InvalidEscapeCharacter, pgerrcode.InvalidRegularExpression:
		// A LIKE pattern ending in its escape character, a bad regular
		// expression: what a filter or a hook's query got from a client.
		return CodeFormat, "is not a valid pattern"
	case pgerrcode.DataException, pgerrcode.InvalidXMLContent, pgerrcode.InvalidXMLDocument, pgerrcode.NotAnXMLDocument:
		// Range bounds out of order, XML that does not parse.
		return CodeFormat, "is not a valid value of its type"
	}
	return "", ""
}

// retryable reports SQLSTATEs that a later attempt can succeed after.
func retryable(code string) bool {
	switch code {
	case pgerrcode.AdminShutdown, pgerrcode.CrashShutdown, pgerrcode.CannotConnectNow,
		pgerrcode.QueryCanceled, pgerrcode.SerializationFailure, pgerrcode.DeadlockDetected,
		pgerrcode.LockNotAvailable, pgerrcode.ReadOnlySQLTransaction,
		pgerrcode.IdleSessionTimeout, pgerrcode.IdleInTransactionSessionTimeout:
		return true
	}
	return pgerrcode.IsConnectionException(code) || pgerrcode.IsInsufficientResources(code)
}

// transient reports errors of the connection to the database, of the pool
// and of timeouts: a retry may succeed.
func transient(err error) bool {
	var (
		connectErr *pgconn.ConnectError
		netErr     net.Error
	)
	switch {
	case errors.As(err, &connectErr), errors.As(err, &netErr):
		return true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, pgconn.ErrConnClosed), errors.Is(err, puddle.ErrClosedPool),
		errors.Is(err, context.DeadlineExceeded):
		return true
	}
	return pgconn.SafeToRetry(err) || pgconn.Timeout(err)
}

func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// conflict is the 409 of a unique or exclusion violation.
func conflict(r *http.Request, e *pgconn.PgError, t *Table) *Problem {
	msg := "conflicts with an existing row"
	if e.Code == pgerrcode.UniqueViolation {
		msg = "must be unique"
	}
	errs := constraintErrors(r, e, t, CodeUnique, msg)
	return NewProblem(http.StatusConflict, "The request conflicts with an existing row.", errs...)
}

// isReferenced tells the two sides of a foreign key violation apart: true
// when the request's row is still referenced (a DELETE, or an UPDATE of a
// referenced key), false when it references a missing row.
func isReferenced(r *http.Request, e *pgconn.PgError, t *Table) bool {
	switch r.Method {
	case http.MethodDelete:
		return true // deleting never points at a missing row
	case http.MethodPost:
		return false // a new row is referenced by nothing yet
	}
	if t != nil && e.TableName != "" && !t.holds(e.TableName) {
		return true // PostgreSQL reports the referencing table
	}
	// A self-referencing table, no Table, or a trigger raising
	// foreign_key_violation itself (no table): only the detail tells.
	return strings.Contains(e.Detail, " is still referenced from table ")
}

// referenced is the 409 of deleting (or re-keying) a row other rows point at.
func referenced(r *http.Request, e *pgconn.PgError, t *Table) *Problem {
	by := e.TableName
	if by == "" {
		by = "another table"
	}
	var errs []FieldError
	for _, f := range keyFields(e, t, true) {
		errs = append(errs, FieldError{Loc: []any{locRoot(r), f}, Code: CodeReferenced, Message: "is still referenced by rows of " + by})
	}
	if errs == nil {
		errs = []FieldError{{Loc: []any{locRoot(r)}, Code: CodeReferenced, Message: "is still referenced by rows of " + by}}
	}
	return NewProblem(http.StatusConflict, "The row is still referenced by rows of "+by+".", errs...)
}

// constraintErrors locates a violation of e's constraint at its fields (from
// t, else from the key in e's detail), or at the root when they are unknown.
func constraintErrors(r *http.Request, e *pgconn.PgError, t *Table, code, msg string) []FieldError {
	fields := keyFields(e, t, false)
	// Constraint names are unique per table only: a violation on another
	// table (raised by a trigger) says nothing about this table's fields.
	// Domain constraints name no table.
	if t != nil && (e.TableName == "" || t.holds(e.TableName)) {
		if c, ok := t.Constraints[e.ConstraintName]; ok {
			if len(c.Fields) > 0 {
				fields = c.Fields
			}
			if c.Message != "" {
				msg = c.Message
			}
		}
	}
	root := locRoot(r)
	if len(fields) == 0 {
		return []FieldError{{Loc: []any{root}, Code: code, Message: msg}}
	}
	errs := make([]FieldError, len(fields))
	for i, f := range fields {
		errs[i] = FieldError{Loc: []any{root, f}, Code: code, Message: together(msg, fields, i)}
	}
	return errs
}

// together says which other fields a unique combination includes.
func together(msg string, fields []string, i int) string {
	if msg != "must be unique" || len(fields) < 2 {
		return msg
	}
	others := make([]string, 0, len(fields)-1)
	others = append(others, fields[:i]...)
	others = append(others, fields[i+1:]...)
	return msg + " together with " + strings.Join(others, ", ")
}

// keyFields returns the JSON names of the columns in the "Key (a, b)=(…)"
// of e's detail. They are columns of e's table, or with parent set, of the
// referenced table, which must be t then. Columns t does not expose are left
// out; without a Table, column names are taken as field names.
func keyFields(e *pgconn.PgError, t *Table, parent bool) []string {
	if t != nil && !parent && !t.holds(e.TableName) {
		return nil
	}
	var fields []string
	for _, col := range keyColumns(e.Detail) {
		if f, ok := fieldOf(t, col); ok {
			fields = append(fields, f)
		}
	}
	return fields
}

// columnLoc locates an error PostgreSQL reports with a column (NOT NULL),
// at the root when the column is not one of t's.
func columnLoc(r *http.Request, e *pgconn.PgError, t *Table) []any {
	root := locRoot(r)
	if e.ColumnName == "" || (t != nil && !t.holds(e.TableName)) {
		return []any{root}
	}
	if f, ok := fieldOf(t, e.ColumnName); ok {
		return []any{root, f}
	}
	return []any{root}
}

func fieldOf(t *Table, column string) (string, bool) {
	if t == nil {
		return column, true
	}
	f, ok := t.Columns[column]
	return f, ok
}

// locRoot is where a request's values come from: the body of writes, the
// path of DELETE, the query string otherwise.
func locRoot(r *http.Request) string {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		return "body"
	case http.MethodDelete:
		return "path"
	}
	return "query"
}

// keyColumns returns the column names of a detail such as
// `Key (a, "B c")=(1, 2) already exists.`, nil when the detail has another
// form or the key holds an expression.
func keyColumns(detail string) []string {
	rest, ok := strings.CutPrefix(detail, "Key (")
	if !ok {
		return nil
	}
	var cols []string
	for {
		col, n := identifier(rest)
		if n == 0 {
			return nil
		}
		cols = append(cols, col)
		rest = rest[n:]
		if strings.HasPrefix(rest, ")=(") {
			return cols
		}
		if rest, ok = strings.CutPrefix(rest, ", "); !ok {
			return nil
		}
	}
}

// identifier reads a column name as PostgreSQL prints it, bare or in double
// quotes, and returns it with the number of bytes read (0: none).
func identifier(s string) (string, int) {
	if !strings.HasPrefix(s, `"`) {
		n := strings.IndexAny(s, `,()" `)
		if n <= 0 {
			return "", 0
		}
		return s[:n], n
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '"' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '"' {
			b.WriteByte('"')
			i++
			continue
		}
		return b.String(), i + 1
	}
	return "", 0
}
