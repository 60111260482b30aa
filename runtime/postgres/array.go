package postgres

import (
	"errors"
	"reflect"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5/pgtype"
)

// pgx reads and writes arrays through its ArrayCodec, which works on
// values implementing pgtype.ArrayGetter and targets implementing
// pgtype.ArraySetter. runtime.Array, which knows no pgx, does not
// implement them; RegisterTypes adds plan wrappers that hand pgx an
// adapter for each Array, made of the methods with which an Array is read
// and filled without naming its element type, and that let NULL elements
// land in Nulls.

// arrayValue is implemented by every runtime.Array and *runtime.Array,
// and arrayTarget by every *runtime.Array, whatever the element type.
type (
	arrayValue interface {
		Shape() []runtime.ArrayDim
		Elem(i int) any
		Check() error
	}
	arrayTarget interface {
		Reset(dims []runtime.ArrayDim)
		ElemPtr(i int) any
		SetNull(i int)
	}
)

// scratchArray returns a new one-element array of the type of a, an
// Array[T] or a *Array[T]: pgx plans the elements' encoding and scanning
// with a value or a target of T.
func scratchArray(a any) arrayTarget {
	t := reflect.TypeOf(a)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	s := reflect.New(t).Interface().(arrayTarget)
	s.Reset([]runtime.ArrayDim{{Length: 1, Lower: 1}})
	return s
}

// tryWrapArrayEncodePlan and tryWrapArrayScanPlan go ahead of pgx's own
// plan wrappers, one of which would take an Array, a struct, for a
// composite value.
func tryWrapArrayEncodePlan(m *pgtype.Map) pgtype.TryWrapEncodePlanFunc {
	return func(value any) (pgtype.WrappedEncodePlanNextSetter, any, bool) {
		a, ok := value.(arrayValue)
		if !ok {
			return nil, nil, false
		}
		return &arrayEncodePlan{m: m}, arrayGetter{a: a, m: m}, true
	}
}

func tryWrapArrayScanPlan(target any) (pgtype.WrappedScanPlanNextSetter, any, bool) {
	switch t := target.(type) {
	case arrayTarget:
		return &arrayScanPlan{}, newArraySetter(t), true
	case *arrayCursor:
		return &elementScanPlan{}, t.target(), true
	}
	return nil, nil, false
}

// arrayEncodePlan encodes an Array as its getter.
type arrayEncodePlan struct {
	m    *pgtype.Map
	next pgtype.EncodePlan
}

func (p *arrayEncodePlan) SetNext(next pgtype.EncodePlan) { p.next = next }

func (p *arrayEncodePlan) Encode(value any, buf []byte) ([]byte, error) {
	return p.next.Encode(arrayGetter{a: value.(arrayValue), m: p.m}, buf)
}

// arrayGetter is an Array as pgx's ArrayCodec encodes it: NULL elements are
// nil.
type arrayGetter struct {
	a arrayValue
	m *pgtype.Map
}

func (g arrayGetter) Dimensions() []pgtype.ArrayDimension {
	shape := g.a.Shape()
	dims := make([]pgtype.ArrayDimension, len(shape)) // never nil: nil is NULL
	for i, d := range shape {
		dims[i] = pgtype.ArrayDimension{Length: d.Length, LowerBound: d.Lower}
	}
	return dims
}

func (g arrayGetter) Index(i int) any { return g.a.Elem(i) }

func (g arrayGetter) IndexType() any { return scratchArray(g.a).(arrayValue).Elem(0) }

// TextValue writes the array in PostgreSQL's text form. pgx uses it where
// it knows no PostgreSQL type for the parameter (the simple protocol, or
// QueryExecModeExec): then the server reads the text as the column's type.
// The elements are written as values of the type pgx maps their Go type
// to, or as text (enums, which are strings).
func (g arrayGetter) TextValue() (pgtype.Text, error) {
	if err := g.a.Check(); err != nil {
		return pgtype.Text{}, err
	}
	elem, ok := g.m.TypeForValue(g.IndexType())
	if !ok {
		elem, _ = g.m.TypeForOID(pgtype.TextOID)
	}
	codec := &pgtype.ArrayCodec{ElementType: elem}
	plan := codec.PlanEncode(g.m, 0, pgtype.TextFormatCode, arrayElems{g})
	if plan == nil {
		return pgtype.Text{}, errors.New("runtime: no text encoding for the elements of an array")
	}
	buf, err := plan.Encode(arrayElems{g}, nil)
	if err != nil {
		return pgtype.Text{}, err
	}
	return pgtype.Text{String: string(buf), Valid: true}, nil
}

// arrayElems is an arrayGetter without its TextValue, for pgx's text
// encoding of the elements.
type arrayElems struct{ g arrayGetter }

func (e arrayElems) Dimensions() []pgtype.ArrayDimension { return e.g.Dimensions() }
func (e arrayElems) Index(i int) any                     { return e.g.Index(i) }
func (e arrayElems) IndexType() any                      { return e.g.IndexType() }

// arrayScanPlan scans into an *Array through its setter.
type arrayScanPlan struct{ next pgtype.ScanPlan }

func (p *arrayScanPlan) SetNext(next pgtype.ScanPlan) { p.next = next }

func (p *arrayScanPlan) Scan(src []byte, target any) error {
	return p.next.Scan(src, newArraySetter(target.(arrayTarget)))
}

// arraySetter fills an Array as pgx's ArrayCodec reads one. ScanIndex
// returns the same cursor for every element, moved to it: pgx scans each
// element before asking for the next, so no target is allocated per
// element.
type arraySetter struct {
	a      arrayTarget
	cursor arrayCursor
}

func newArraySetter(a arrayTarget) *arraySetter {
	return &arraySetter{a: a, cursor: arrayCursor{a: a}}
}

func (s *arraySetter) SetDimensions(dims []pgtype.ArrayDimension) error {
	if dims == nil {
		return errScanNull("Array")
	}
	shape := make([]runtime.ArrayDim, len(dims))
	for i, d := range dims {
		shape[i] = runtime.ArrayDim{Length: d.Length, Lower: d.LowerBound}
	}
	s.a.Reset(shape)
	return nil
}

func (s *arraySetter) ScanIndex(i int) any {
	s.cursor.i = i
	return &s.cursor
}

func (s *arraySetter) ScanIndexType() any { return &arrayCursor{a: scratchArray(s.a)} }

// arrayCursor is element i of an Array being scanned.
type arrayCursor struct {
	a arrayTarget
	i int
}

// target is where a non-NULL element goes: a *T.
func (c *arrayCursor) target() any { return c.a.ElemPtr(c.i) }

func (c *arrayCursor) setNull() { c.a.SetNull(c.i) }

// elementScanPlan scans one element: NULL into Nulls, a value with the
// element type's plan.
type elementScanPlan struct{ next pgtype.ScanPlan }

func (p *elementScanPlan) SetNext(next pgtype.ScanPlan) { p.next = next }

func (p *elementScanPlan) Scan(src []byte, target any) error {
	c := target.(*arrayCursor)
	if src == nil {
		c.setNull()
		return nil
	}
	return p.next.Scan(src, c.target())
}
