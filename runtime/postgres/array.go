package runtime

import (
	"errors"

	"github.com/jackc/pgx/v5/pgtype"
)

// pgx reads and writes arrays through its ArrayCodec, which works on
// values implementing pgtype.ArrayGetter and targets implementing
// pgtype.ArraySetter. Array does not implement them itself (its API stays
// the database's business); RegisterTypes adds plan wrappers that hand pgx
// an adapter for each Array, and that let NULL elements land in Nulls.

// pgArray is implemented by every Array, and pgArrayTarget by a pointer to
// one: they make the adapters.
type (
	pgArray interface {
		arrayGetter(m *pgtype.Map) pgtype.ArrayGetter
	}
	pgArrayTarget interface {
		arraySetter() pgtype.ArraySetter
	}
)

func (a Array[T]) arrayGetter(m *pgtype.Map) pgtype.ArrayGetter { return arrayGetter[T]{a: a, m: m} }

func (a *Array[T]) arraySetter() pgtype.ArraySetter { return &arraySetter[T]{a: a} }

// registerArrays adds Array's plan wrappers to m, ahead of pgx's own (one
// of which would take a struct for a composite value).
func registerArrays(m *pgtype.Map) {
	m.TryWrapEncodePlanFuncs = append([]pgtype.TryWrapEncodePlanFunc{
		func(value any) (pgtype.WrappedEncodePlanNextSetter, any, bool) {
			a, ok := value.(pgArray)
			if !ok {
				return nil, nil, false
			}
			return &arrayEncodePlan{m: m}, a.arrayGetter(m), true
		},
	}, m.TryWrapEncodePlanFuncs...)
	m.TryWrapScanPlanFuncs = append([]pgtype.TryWrapScanPlanFunc{
		func(target any) (pgtype.WrappedScanPlanNextSetter, any, bool) {
			switch t := target.(type) {
			case pgArrayTarget:
				return &arrayScanPlan{}, t.arraySetter(), true
			case arrayElement:
				return &elementScanPlan{}, t.target(), true
			}
			return nil, nil, false
		},
	}, m.TryWrapScanPlanFuncs...)
}

// arrayEncodePlan encodes an Array as its getter.
type arrayEncodePlan struct {
	m    *pgtype.Map
	next pgtype.EncodePlan
}

func (p *arrayEncodePlan) SetNext(next pgtype.EncodePlan) { p.next = next }

func (p *arrayEncodePlan) Encode(value any, buf []byte) ([]byte, error) {
	return p.next.Encode(value.(pgArray).arrayGetter(p.m), buf)
}

// arrayGetter is an Array as pgx's ArrayCodec encodes it: NULL elements are
// nil.
type arrayGetter[T any] struct {
	a Array[T]
	m *pgtype.Map
}

func (g arrayGetter[T]) Dimensions() []pgtype.ArrayDimension {
	shape := g.a.Shape()
	dims := make([]pgtype.ArrayDimension, len(shape)) // never nil: nil is NULL
	for i, d := range shape {
		dims[i] = pgtype.ArrayDimension{Length: d.Length, LowerBound: d.Lower}
	}
	return dims
}

func (g arrayGetter[T]) Index(i int) any {
	if g.a.IsNull(i) {
		return nil
	}
	return g.a.Elems[i]
}

func (g arrayGetter[T]) IndexType() any {
	var zero T
	return zero
}

// TextValue writes the array in PostgreSQL's text form. pgx uses it where
// it knows no PostgreSQL type for the parameter (the simple protocol, or
// QueryExecModeExec): then the server reads the text as the column's type.
// The elements are written as values of the type pgx maps their Go type
// to, or as text (enums, which are strings).
func (g arrayGetter[T]) TextValue() (pgtype.Text, error) {
	if err := g.a.Check(); err != nil {
		return pgtype.Text{}, err
	}
	var zero T
	elem, ok := g.m.TypeForValue(zero)
	if !ok {
		elem, _ = g.m.TypeForOID(pgtype.TextOID)
	}
	codec := &pgtype.ArrayCodec{ElementType: elem}
	plan := codec.PlanEncode(g.m, 0, pgtype.TextFormatCode, arrayElems[T]{g})
	if plan == nil {
		return pgtype.Text{}, errors.New("runtime: no text encoding for the elements of an array")
	}
	buf, err := plan.Encode(arrayElems[T]{g}, nil)
	if err != nil {
		return pgtype.Text{}, err
	}
	return pgtype.Text{String: string(buf), Valid: true}, nil
}

// arrayElems is an arrayGetter without its TextValue, for pgx's text
// encoding of the elements.
type arrayElems[T any] struct{ g arrayGetter[T] }

func (e arrayElems[T]) Dimensions() []pgtype.ArrayDimension { return e.g.Dimensions() }
func (e arrayElems[T]) Index(i int) any                     { return e.g.Index(i) }
func (e arrayElems[T]) IndexType() any                      { return e.g.IndexType() }

// arrayScanPlan scans into an *Array through its setter.
type arrayScanPlan struct{ next pgtype.ScanPlan }

func (p *arrayScanPlan) SetNext(next pgtype.ScanPlan) { p.next = next }

func (p *arrayScanPlan) Scan(src []byte, target any) error {
	return p.next.Scan(src, target.(pgArrayTarget).arraySetter())
}

// arraySetter fills an Array as pgx's ArrayCodec reads one. ScanIndex
// returns the same cursor for every element, moved to it: pgx scans each
// element before asking for the next, so no target is allocated per
// element.
type arraySetter[T any] struct {
	a      *Array[T]
	cursor arrayCursor[T]
}

func (s *arraySetter[T]) SetDimensions(dims []pgtype.ArrayDimension) error {
	if dims == nil {
		return errScanNull("Array")
	}
	n := 1
	shape := make([]ArrayDim, len(dims))
	for i, d := range dims {
		shape[i] = ArrayDim{Length: d.Length, Lower: d.LowerBound}
		n *= int(d.Length)
	}
	if len(dims) == 0 {
		n = 0
	}
	*s.a = Array[T]{Elems: make([]T, n), Dims: normalDims(shape)}
	s.cursor.a = s.a
	return nil
}

func (s *arraySetter[T]) ScanIndex(i int) any {
	s.cursor.i = i
	return &s.cursor
}

func (s *arraySetter[T]) ScanIndexType() any { return &arrayCursor[T]{} }

// arrayCursor is element i of an Array being scanned.
type arrayCursor[T any] struct {
	a *Array[T]
	i int
}

// arrayElement is implemented by every *arrayCursor.
type arrayElement interface {
	target() any // where a non-NULL element goes: a *T
	setNull()
}

func (c *arrayCursor[T]) target() any {
	if c.a == nil { // while planning
		return new(T)
	}
	return &c.a.Elems[c.i]
}

func (c *arrayCursor[T]) setNull() {
	if c.a.Nulls == nil {
		c.a.Nulls = make([]bool, len(c.a.Elems))
	}
	c.a.Nulls[c.i] = true
	var zero T
	c.a.Elems[c.i] = zero
}

// elementScanPlan scans one element: NULL into Nulls, a value with the
// element type's plan.
type elementScanPlan struct{ next pgtype.ScanPlan }

func (p *elementScanPlan) SetNext(next pgtype.ScanPlan) { p.next = next }

func (p *elementScanPlan) Scan(src []byte, target any) error {
	e := target.(arrayElement)
	if src == nil {
		e.setNull()
		return nil
	}
	return p.next.Scan(src, e.target())
}
