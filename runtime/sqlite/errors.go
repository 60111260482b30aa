package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"modernc.org/sqlite"

	"github.com/crudgen/crudgen/runtime"
)

func init() { runtime.RegisterDriverErrors(driverErrors{}) }

// SQLite's result codes that errors are told apart by (sqlite3.h).
const (
	codeBusy              = 5
	codeLocked            = 6
	codeReadOnly          = 8
	codeInterrupt         = 9
	codeIOErr             = 10
	codeFull              = 13
	codeTooBig            = 18
	codeConstraint        = 19
	codeMismatch          = 20
	codeConstraintCheck   = 275
	codeConstraintFK      = 787
	codeConstraintNotNull = 1299
	codeConstraintPK      = 1555
	codeConstraintTrigger = 1811
	codeConstraintUnique  = 2067
	codeConstraintRowID   = 2579
	codeConstraintType    = 3091
)

// driverErrors reads the errors of modernc.org/sqlite for
// runtime.API.Error:
//
//   - sql.ErrNoRows is a 404.
//   - Constraints by extended result code: UNIQUE and PRIMARY KEY (2067,
//     1555, 2579) with the columns SQLite names ("UNIQUE constraint
//     failed: t.a, t.b"), NOT NULL (1299) with its column, CHECK (275)
//     with the constraint's name or expression, FOREIGN KEY (787), which
//     names nothing, a trigger's RAISE (1811); values: a STRICT table's
//     type mismatch (3091) and a non-integer rowid (20) are "type", a
//     value over SQLite's size limit (18) "max_length".
//   - Transient: SQLITE_BUSY and SQLITE_LOCKED (a lock held past the busy
//     timeout), I/O errors, a full disk, a read-only database, and a wait
//     for the writer connection past the acquire timeout (ErrWriterBusy).
//   - An interrupted statement (9) was canceled.
//
// The outcome of a write is never unknown: SQLite runs in the process, so
// a statement that fails is rolled back, and one whose answer came back
// was applied.
type driverErrors struct{}

func (driverErrors) NoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

func (driverErrors) Canceled(err error) bool { return code(err) == codeInterrupt }

func (driverErrors) Transient(err error) bool {
	if errors.Is(err, ErrWriterBusy) {
		return true
	}
	switch code(err) & 0xff {
	case codeBusy, codeLocked, codeIOErr, codeFull, codeReadOnly:
		return true
	}
	return false
}

func (driverErrors) OutcomeUnknown(err error) (unknown, decided bool) {
	var e *sqlite.Error
	if errors.As(err, &e) || errors.Is(err, ErrWriterBusy) {
		return false, true
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false, true // the statement was interrupted, and rolled back
	}
	return false, false
}

func code(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

func (driverErrors) Violation(err error) (runtime.Violation, bool) {
	switch {
	case errors.Is(err, errDuplicateRows):
		return runtime.Violation{Kind: runtime.ViolationDuplicateRows}, true
	case errors.Is(err, errNaN):
		return runtime.Violation{Kind: runtime.ViolationData, Code: runtime.CodeType, Message: "is NaN, which the database cannot store"}, true
	}
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return runtime.Violation{}, false
	}
	msg := message(e)
	var v runtime.Violation
	switch e.Code() {
	case codeConstraintUnique, codeConstraintPK, codeConstraintRowID:
		v.Kind = runtime.ViolationUnique
		v.Table, v.Key = columnsOf(strings.TrimPrefix(msg, "UNIQUE constraint failed: "))
	case codeConstraintNotNull:
		v.Kind = runtime.ViolationNotNull
		var cols []string
		v.Table, cols = columnsOf(strings.TrimPrefix(msg, "NOT NULL constraint failed: "))
		if len(cols) == 1 {
			v.Column = cols[0]
		}
	case codeConstraintCheck:
		v.Kind = runtime.ViolationCheck
		v.Constraint = strings.TrimPrefix(msg, "CHECK constraint failed: ")
	case codeConstraintFK:
		v.Kind = runtime.ViolationForeignKey
		var fk *fkError
		if errors.As(err, &fk) {
			v.Table, v.Key, v.StillReferenced = fk.table, fk.from, fk.referenced
			if fk.referenced {
				v.Key = fk.to // the columns of the row the write changed
			}
		}
	case codeConstraintTrigger:
		v.Kind = runtime.ViolationRefused
	case codeConstraintType, codeMismatch:
		v.Kind, v.Code, v.Message = runtime.ViolationData, runtime.CodeType, "is not a valid value of its type"
		if i := strings.LastIndex(msg, " column "); i >= 0 {
			var cols []string
			v.Table, cols = columnsOf(msg[i+len(" column "):])
			if len(cols) == 1 {
				v.Column = cols[0]
			}
		}
	case codeTooBig:
		v.Kind, v.Code, v.Message = runtime.ViolationData, runtime.CodeMaxLength, "is too long"
	default:
		if e.Code()&0xff != codeConstraint {
			return runtime.Violation{}, false
		}
		v.Kind = runtime.ViolationIntegrity
	}
	return v, true
}

// message is sqlite3_errmsg of e: the driver writes "errstr: errmsg
// (code)".
func message(e *sqlite.Error) string {
	msg := e.Error()
	if i := strings.LastIndex(msg, " ("); i >= 0 {
		msg = msg[:i]
	}
	if _, m, ok := strings.Cut(msg, ": "); ok {
		msg = m
	}
	return msg
}

// columnsOf reads "t.a, t.b" as SQLite names a constraint's columns; a
// unique index on expressions is "index 'name'", which names none.
func columnsOf(s string) (table string, cols []string) {
	for part := range strings.SplitSeq(s, ", ") {
		t, c, ok := strings.Cut(part, ".")
		if !ok {
			return "", nil
		}
		table = t
		cols = append(cols, c)
	}
	return table, cols
}
