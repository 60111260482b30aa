package postgres

import (
	"context"
	"errors"
	"strings"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgerrcode"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"
)

func init() { runtime.RegisterDriverErrors(driverErrors{}) }

// driverErrors reads pgx's errors for runtime.API.Error:
//
//   - pgx.ErrNoRows is a 404.
//   - A *pgconn.PgError by SQLSTATE: unique (23505) and exclusion (23P01)
//     violations, foreign keys (23503), NOT NULL (23502), CHECK (23514),
//     two rows of an upsert with one key (21000), a trigger's RAISE
//     (P0001, P0004); values the column cannot hold: too long (22001),
//     out of range (22003), not of the type (22P02, or a syntax error
//     without a position, as ltree, tsquery and jsonpath raise), bad
//     dates, times or characters (22007, 22008, 22009, 22015, 22021,
//     22P05, 22026), bad patterns (22025, 22019, 2201B), other data
//     exceptions (22000, 2200N, 2200M, 2200L); other integrity
//     violations (class 23).
//   - Transient: connection errors (class 08, *pgconn.ConnectError,
//     errors pgconn deems safe to retry, a closed connection or pool),
//     insufficient resources (class 53, among them too_many_connections),
//     shutdowns (57P01, 57P02, 57P03), a canceled statement (57014,
//     statement_timeout), serialization failures and deadlocks (40001,
//     40P01), lock timeouts (55P03), writes to a read-only server (25006,
//     a standby after a failover) and sessions the server closed for
//     idling (57P05, 25P03).
//   - The outcome of a write is unknown when the connection broke, or the
//     server ended the session (a FATAL or PANIC error, such as 57P01
//     after pg_terminate_backend or 57P02 after a crash), after the
//     statement was sent. It is known to have failed when pgx reports that
//     nothing was sent (no connection, a pool that is closed or gave none
//     in time) and when the server answered with an ERROR.
type driverErrors struct{}

func (driverErrors) NoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

func (driverErrors) Canceled(err error) bool {
	return pgconn.Timeout(err) || sqlState(err) == pgerrcode.QueryCanceled
}

func (driverErrors) Transient(err error) bool {
	var connectErr *pgconn.ConnectError
	switch {
	case errors.As(err, &connectErr), errors.Is(err, pgconn.ErrConnClosed), errors.Is(err, puddle.ErrClosedPool):
		return true
	}
	if code := sqlState(err); code != "" && retryable(code) {
		return true
	}
	return pgconn.SafeToRetry(err) || pgconn.Timeout(err)
}

func (driverErrors) OutcomeUnknown(err error) (unknown, decided bool) {
	if notSent(err) {
		return false, true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch severity(pgErr) {
		case "FATAL", "PANIC":
			return true, true
		}
		return false, true
	}
	return false, false
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

func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
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

func (driverErrors) Violation(err error) (runtime.Violation, bool) {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return runtime.Violation{}, false
	}
	v := runtime.Violation{Table: e.TableName, Constraint: e.ConstraintName, Column: e.ColumnName}
	switch e.Code {
	case pgerrcode.UniqueViolation:
		v.Kind = runtime.ViolationUnique
	case pgerrcode.ExclusionViolation:
		v.Kind = runtime.ViolationExclusion
	case pgerrcode.ForeignKeyViolation:
		v.Kind = runtime.ViolationForeignKey
		v.StillReferenced = strings.Contains(e.Detail, " is still referenced from table ")
	case pgerrcode.NotNullViolation:
		v.Kind = runtime.ViolationNotNull
	case pgerrcode.CheckViolation:
		v.Kind = runtime.ViolationCheck
	case pgerrcode.CardinalityViolation:
		// An upsert of several rows with the same key: ON CONFLICT DO
		// UPDATE cannot update one row twice.
		v.Kind = runtime.ViolationDuplicateRows
	case pgerrcode.RaiseException, pgerrcode.AssertFailure:
		v.Kind = runtime.ViolationRefused
	default:
		if v.Code, v.Message = dataError(e); v.Code != "" {
			v.Kind = runtime.ViolationData
		} else if pgerrcode.IsIntegrityConstraintViolation(e.Code) {
			v.Kind = runtime.ViolationIntegrity
		} else {
			return runtime.Violation{}, false
		}
	}
	v.Key = keyColumns(e.Detail)
	return v, true
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
		return runtime.CodeMaxLength, "is too long"
	case pgerrcode.NumericValueOutOfRange:
		return runtime.CodeMaximum, "is out of range"
	case pgerrcode.InvalidTextRepresentation:
		return runtime.CodeType, "is not a valid value of its type"
	case pgerrcode.SyntaxError:
		if e.Position == 0 && e.InternalPosition == 0 {
			return runtime.CodeType, "is not a valid value of its type"
		}
	case pgerrcode.InvalidDatetimeFormat, pgerrcode.DatetimeFieldOverflow, pgerrcode.InvalidTimeZoneDisplacementValue,
		pgerrcode.IntervalFieldOverflow:
		return runtime.CodeFormat, "is not a valid date or time"
	case pgerrcode.CharacterNotInRepertoire, pgerrcode.UntranslatableCharacter:
		return runtime.CodeFormat, "has characters the database cannot store"
	case pgerrcode.StringDataLengthMismatch:
		return runtime.CodeFormat, "does not have the length of its type"
	case pgerrcode.InvalidEscapeSequence, pgerrcode.InvalidEscapeCharacter, pgerrcode.InvalidRegularExpression:
		// A LIKE pattern ending in its escape character, a bad regular
		// expression: what a filter or a hook's query got from a client.
		return runtime.CodeFormat, "is not a valid pattern"
	case pgerrcode.DataException, pgerrcode.InvalidXMLContent, pgerrcode.InvalidXMLDocument, pgerrcode.NotAnXMLDocument:
		// Range bounds out of order, XML that does not parse.
		return runtime.CodeFormat, "is not a valid value of its type"
	}
	return "", ""
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
