package runtime

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
)

// DriverErrors reads the errors of one database driver for API.Error and
// OutcomeUnknown, which know no driver themselves. Each engine adapter
// (runtime/postgres, runtime/sqlite) registers one with RegisterDriverErrors
// when its package is initialized, as database/sql drivers register
// themselves.
type DriverErrors interface {
	// NoRows reports the driver's error for a row that a statement
	// expected and did not find: a 404.
	NoRows(err error) bool
	// Canceled reports a statement the database or driver stopped because
	// its context was canceled or a statement timeout ran out.
	Canceled(err error) bool
	// Violation reads a constraint or data error of the database.
	Violation(err error) (Violation, bool)
	// Transient reports errors a later retry may not meet: the connection,
	// the pool, locks, timeouts, a server shutting down. They are 503s.
	Transient(err error) bool
	// OutcomeUnknown tells whether a write's error leaves it unknown
	// whether the database applied it (see the package's OutcomeUnknown),
	// with decided false when the driver cannot tell: the error is then
	// taken as unknown when it is transient.
	OutcomeUnknown(err error) (unknown, decided bool)
}

var drivers struct {
	sync.RWMutex
	list []DriverErrors
}

// RegisterDriverErrors adds d to the drivers whose errors API.Error maps.
func RegisterDriverErrors(d DriverErrors) {
	drivers.Lock()
	defer drivers.Unlock()
	drivers.list = append(drivers.list, d)
}

// anyDriver reports whether a registered driver says yes about err.
func anyDriver(err error, says func(DriverErrors, error) bool) bool {
	drivers.RLock()
	defer drivers.RUnlock()
	for _, d := range drivers.list {
		if says(d, err) {
			return true
		}
	}
	return false
}

// outcomeOf asks the registered drivers whether err leaves a write's
// outcome unknown.
func outcomeOf(err error) (unknown, decided bool) {
	drivers.RLock()
	defer drivers.RUnlock()
	for _, d := range drivers.list {
		if unknown, decided := d.OutcomeUnknown(err); decided {
			return unknown, true
		}
	}
	return false, false
}

// violationOf returns the violation a registered driver reads in err.
func violationOf(err error) (Violation, bool) {
	drivers.RLock()
	defer drivers.RUnlock()
	for _, d := range drivers.list {
		if v, ok := d.Violation(err); ok {
			return v, true
		}
	}
	return Violation{}, false
}

// ViolationKind tells which rule of the database a write broke.
type ViolationKind int

// Kinds of Violation, each answered as API.Error documents.
const (
	// ViolationUnique: a unique index or constraint (409 "unique").
	ViolationUnique ViolationKind = iota + 1
	// ViolationExclusion: an exclusion constraint (409 "unique").
	ViolationExclusion
	// ViolationForeignKey: the row points at a missing row (422
	// "foreign_key"), or another row still points at it (409
	// "referenced").
	ViolationForeignKey
	// ViolationNotNull: a NULL where the column allows none (422
	// "required").
	ViolationNotNull
	// ViolationCheck: a CHECK constraint, or no partition takes the row
	// when the violation names no constraint (422 "check").
	ViolationCheck
	// ViolationDuplicateRows: one statement wrote two rows with the same
	// key, such as an upsert of both (409 "unique").
	ViolationDuplicateRows
	// ViolationRefused: a trigger or rule refused the row (422 "check").
	ViolationRefused
	// ViolationData: a value the column cannot hold; Code and Message say
	// how (422).
	ViolationData
	// ViolationIntegrity: another integrity rule (409).
	ViolationIntegrity
)

// Violation is a constraint or data error as an engine adapter reads it
// from its driver's error: what API.Error needs to locate it at the
// request's fields. Names are as the database reports them.
type Violation struct {
	Kind ViolationKind
	// Table is the table the error names, unqualified: for a foreign key,
	// the referencing table. Empty when the database names none.
	Table string
	// Constraint is the constraint's name, when the database gives it.
	Constraint string
	// Column is the column of a NOT NULL or data error, when known.
	Column string
	// Key holds the columns of the key the error reports: the violated
	// unique key's, or a foreign key's (of the referenced table when
	// StillReferenced). Nil when unknown.
	Key []string
	// StillReferenced tells, for a foreign key, that the database said the
	// row is still referenced (rather than that it points at a missing
	// row), when the request's method cannot tell.
	StillReferenced bool
	// Code and Message are the field error of a ViolationData.
	Code, Message string
}

// transient reports errors of the connection to the database, of the pool
// and of timeouts, whatever the driver: a retry may succeed.
func transient(err error) bool {
	var netErr net.Error
	switch {
	case errors.As(err, &netErr), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, context.DeadlineExceeded):
		return true
	}
	return anyDriver(err, DriverErrors.Transient)
}
