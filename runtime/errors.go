package runtime

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// ErrNotFound is returned (possibly wrapped) by generated stores when a row
// does not exist; API.Error answers it, like the drivers' "no rows" errors,
// with 404.
var ErrNotFound = errors.New("not found")

// Table describes a generated resource's table, so that API.Error can locate
// the database's constraint violations at the request's fields.
type Table struct {
	// Name is the table's name as the database reports it in errors:
	// unqualified.
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

// holds reports whether the database's name for the table of an error is t
// or one of its children.
func (t *Table) holds(name string) bool {
	return name == t.Name || slices.Contains(t.Children, name)
}

// fieldsOf returns the fields of t's one constraint of kind k, nil when t
// is nil or has none or several.
func (t *Table) fieldsOf(k ConstraintKind) []string {
	if t == nil {
		return nil
	}
	var fields []string
	n := 0
	for _, c := range t.Constraints {
		if c.Kind == k {
			fields = c.Fields
			n++
		}
	}
	if n != 1 {
		return nil
	}
	return fields
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
//   - ErrNotFound and a driver's "no rows" error: 404.
//   - A Violation the registered drivers read in err (see DriverErrors;
//     runtime/postgres lists PostgreSQL's SQLSTATEs): unique and exclusion
//     violations are 409 with code "unique" at the constraint's fields; a
//     foreign key violation is a 422 "foreign_key" at the foreign key's
//     fields when the written row points at a missing row, or a 409
//     "referenced" when the row is still referenced by another row; NOT
//     NULL is a 422 "required", CHECK a 422 "check"; values the column
//     cannot hold are 422s (too long "max_length", out of range
//     "maximum", not of the type "type", bad dates, times or characters
//     "format"); other integrity violations are 409.
//   - Conditions a retry can cure are 503 with Retry-After: connection
//     errors (net.Error, EOF), an exhausted or closed pool, timeouts
//     (context.DeadlineExceeded, whichever context ran out), and what the
//     drivers deem transient (a server shutting down, locks, deadlocks,
//     serialization failures, a database that is busy or read-only).
//   - A write (POST, PUT, PATCH, DELETE) whose connection was lost after
//     its statement, or the COMMIT of its transaction, was sent is a 503
//     of type TypeOutcomeUnknown: the database may have applied it before
//     the connection broke, so the client must not take the 503 for a
//     failure (see OutcomeUnknown).
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
// closes) and err is that cancellation as a driver or another layer
// reports it.
func clientGone(r *http.Request, err error) bool {
	if !errors.Is(r.Context().Err(), context.Canceled) {
		return false
	}
	return errors.Is(err, context.Canceled) || anyDriver(err, DriverErrors.Canceled)
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
	if errors.Is(err, ErrNotFound) || anyDriver(err, DriverErrors.NoRows) {
		return notFound(t)
	}
	var d *denied
	if errors.As(err, &d) {
		return Forbidden("")
	}
	if writes(r) && OutcomeUnknown(err) {
		return a.outcomeUnknown()
	}
	if v, ok := violationOf(err); ok {
		return violationProblem(r, &v, t)
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
// leaves it unknown whether the write was applied: the connection broke or
// the server ended the session after the statement was sent, as the
// registered drivers read their errors (see DriverErrors). A statement run
// outside a transaction block commits when it completes, and a COMMIT may
// have been carried out, before the answer was lost.
//
// It is false for errors that tell the outcome: nothing was sent, the
// server answered with an error (the statement and its transaction were
// rolled back: a constraint, a statement timeout, a deadlock), anything
// that is not about the connection, and errors InTx returns from before
// its COMMIT (see NotCommitted).
func OutcomeUnknown(err error) bool {
	var nc *notCommitted
	if err == nil || errors.As(err, &nc) {
		return false
	}
	if unknown, decided := outcomeOf(err); decided {
		return unknown
	}
	return transient(err)
}

// NotCommitted marks err as an error after which a transaction was
// certainly not committed (errors.Is and errors.As still see what it
// wraps): whatever it is, a lost connection included, API.Error answers a
// failure rather than an unknown outcome. Engine adapters' InTx return
// the errors of BEGIN and of the transaction's work so marked.
func NotCommitted(err error) error { return &notCommitted{err} }

type notCommitted struct{ err error }

func (e *notCommitted) Error() string { return e.err.Error() }
func (e *notCommitted) Unwrap() error { return e.err }

// violationProblem maps a violation the driver read.
func violationProblem(r *http.Request, v *Violation, t *Table) *Problem {
	switch v.Kind {
	case ViolationUnique, ViolationExclusion:
		return conflict(r, v, t)
	case ViolationForeignKey:
		if isReferenced(r, v, t) {
			return referenced(r, v, t)
		}
		return Invalid(constraintErrors(r, v, t, CodeForeignKey, "must reference an existing row")...)
	case ViolationNotNull:
		return Invalid(FieldError{Loc: columnLoc(r, v, t), Code: CodeRequired, Message: "must not be null"})
	case ViolationCheck:
		if v.Constraint == "" {
			// Partition routing reports a check violation without a
			// constraint: no partition takes the row.
			return Invalid(FieldError{Loc: []any{locRoot(r)}, Code: CodeCheck, Message: "belongs to no partition of the table"})
		}
		return Invalid(constraintErrors(r, v, t, CodeCheck, "violates check constraint "+v.Constraint)...)
	case ViolationDuplicateRows:
		return NewProblem(http.StatusConflict, "Two rows of the request have the same key.",
			FieldError{Loc: []any{locRoot(r)}, Code: CodeUnique, Message: "holds two rows with the same key"})
	case ViolationRefused:
		// The trigger's message may say more than a client should see, so
		// it stays in the log.
		return Invalid(FieldError{Loc: []any{locRoot(r)}, Code: CodeCheck, Message: "was refused by a rule of the database"})
	case ViolationData:
		return Invalid(FieldError{Loc: columnLoc(r, v, t), Code: v.Code, Message: v.Message})
	}
	return NewProblem(http.StatusConflict, "The request violates a database constraint.")
}

// conflict is the 409 of a unique or exclusion violation.
func conflict(r *http.Request, v *Violation, t *Table) *Problem {
	msg := "conflicts with an existing row"
	if v.Kind == ViolationUnique {
		msg = "must be unique"
	}
	errs := constraintErrors(r, v, t, CodeUnique, msg)
	return NewProblem(http.StatusConflict, "The request conflicts with an existing row.", errs...)
}

// isReferenced tells the two sides of a foreign key violation apart: true
// when the request's row is still referenced (a DELETE, or an UPDATE of a
// referenced key), false when it references a missing row.
func isReferenced(r *http.Request, v *Violation, t *Table) bool {
	switch r.Method {
	case http.MethodDelete:
		return true // deleting never points at a missing row
	case http.MethodPost:
		return false // a new row is referenced by nothing yet
	}
	if t != nil && v.Table != "" && !t.holds(v.Table) {
		return true // the database reports the referencing table
	}
	// A self-referencing table, no Table, or a trigger raising a foreign
	// key violation itself (no table): only the driver's reading tells.
	return v.StillReferenced
}

// referenced is the 409 of deleting (or re-keying) a row other rows point at.
func referenced(r *http.Request, v *Violation, t *Table) *Problem {
	by := v.Table
	if by == "" {
		by = "another table"
	}
	fields := keyFields(v, t, true)
	if len(fields) == 0 {
		// The database did not say which key (SQLite): the row's own.
		fields = t.fieldsOf(ConstraintPrimaryKey)
	}
	var errs []FieldError
	for _, f := range fields {
		errs = append(errs, FieldError{Loc: []any{locRoot(r), f}, Code: CodeReferenced, Message: "is still referenced by rows of " + by})
	}
	if errs == nil {
		errs = []FieldError{{Loc: []any{locRoot(r)}, Code: CodeReferenced, Message: "is still referenced by rows of " + by}}
	}
	return NewProblem(http.StatusConflict, "The row is still referenced by rows of "+by+".", errs...)
}

// constraintErrors locates a violation of v's constraint at its fields (from
// t, else from v's key), or at the root when they are unknown.
func constraintErrors(r *http.Request, v *Violation, t *Table, code, msg string) []FieldError {
	fields := keyFields(v, t, false)
	// Constraint names are unique per table only: a violation on another
	// table (raised by a trigger) says nothing about this table's fields.
	// Domain constraints name no table.
	if t != nil && (v.Table == "" || t.holds(v.Table)) {
		if c, ok := t.Constraints[v.Constraint]; ok {
			if len(c.Fields) > 0 {
				fields = c.Fields
			}
			if c.Message != "" {
				msg = c.Message
			}
		}
	}
	if len(fields) == 0 && v.Kind == ViolationForeignKey && v.Constraint == "" {
		// The database did not say which foreign key (SQLite): the
		// table's only one, if it has one only.
		fields = t.fieldsOf(ConstraintForeignKey)
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

// keyFields returns the JSON names of the columns of v's key. They are
// columns of v's table, or with parent set, of the referenced table, which
// must be t then. Columns t does not expose are left out; without a Table,
// column names are taken as field names.
func keyFields(v *Violation, t *Table, parent bool) []string {
	if t != nil && !parent && !t.holds(v.Table) {
		return nil
	}
	var fields []string
	for _, col := range v.Key {
		if f, ok := fieldOf(t, col); ok {
			fields = append(fields, f)
		}
	}
	return fields
}

// columnLoc locates an error the database reports with a column (NOT
// NULL), at the root when the column is not one of t's.
func columnLoc(r *http.Request, v *Violation, t *Table) []any {
	root := locRoot(r)
	if v.Column == "" || (t != nil && !t.holds(v.Table)) {
		return []any{root}
	}
	if f, ok := fieldOf(t, v.Column); ok {
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
