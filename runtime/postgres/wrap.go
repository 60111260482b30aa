package postgres

import (
	"errors"
	"strconv"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5/pgtype"
)

// The runtime's value types implement none of pgx's interfaces, which
// would tie the engine-neutral package to pgx. Each has a wrapper here
// (pgDate for runtime.Date, ...) that does, and RegisterTypes adds plan
// wrappers that hand pgx the wrapper of each value and target.

// pgTarget returns the wrapper of target, a pointer to one of the
// runtime's value types, or nil.
func pgTarget(target any) any {
	switch t := target.(type) {
	case *runtime.Decimal:
		return (*pgDecimal)(t)
	case *runtime.Date:
		return (*pgDate)(t)
	case *runtime.TimeOfDay:
		return (*pgTimeOfDay)(t)
	case *runtime.Interval:
		return (*pgInterval)(t)
	case *runtime.UUID:
		return (*pgUUID)(t)
	}
	return nil
}

// pgValue returns the wrapper of value, one of the runtime's value types,
// or nil.
func pgValue(value any) any {
	switch v := value.(type) {
	case runtime.Decimal:
		return pgDecimal(v)
	case runtime.Date:
		return pgDate(v)
	case runtime.TimeOfDay:
		return pgTimeOfDay(v)
	case runtime.Interval:
		return pgInterval(v)
	case runtime.UUID:
		return pgUUID(v)
	}
	return nil
}

func tryWrapValueScanPlan(target any) (pgtype.WrappedScanPlanNextSetter, any, bool) {
	if t := pgTarget(target); t != nil {
		return &valueScanPlan{}, t, true
	}
	return nil, nil, false
}

type valueScanPlan struct{ next pgtype.ScanPlan }

func (p *valueScanPlan) SetNext(next pgtype.ScanPlan) { p.next = next }

func (p *valueScanPlan) Scan(src []byte, target any) error {
	return p.next.Scan(src, pgTarget(target))
}

func tryWrapValueEncodePlan(value any) (pgtype.WrappedEncodePlanNextSetter, any, bool) {
	if v := pgValue(value); v != nil {
		return &valueEncodePlan{}, v, true
	}
	return nil, nil, false
}

type valueEncodePlan struct{ next pgtype.EncodePlan }

func (p *valueEncodePlan) SetNext(next pgtype.EncodePlan) { p.next = next }

func (p *valueEncodePlan) Encode(value any, buf []byte) ([]byte, error) {
	return p.next.Encode(pgValue(value), buf)
}

// errScanNull is returned when a database NULL is scanned into one of the
// runtime's types rather than into a pointer to it.
func errScanNull(typ string) error {
	return errors.New("runtime: cannot scan NULL into " + typ + " (scan nullable columns into *" + typ + ")")
}

// errInvalid reports a value of type what that PostgreSQL or the runtime
// cannot take, in the words of the runtime's own parse errors.
func errInvalid(what, input, msg string) error {
	if len(input) > 64 {
		input = input[:64] + "..."
	}
	return errors.New("runtime: invalid " + what + " " + strconv.Quote(input) + ": " + msg)
}
