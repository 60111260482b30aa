package runtime

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"strings"
)

// Array is the value of an array column. Most arrays are a list of
// values, which is Elems; PostgreSQL arrays may also hold NULL elements
// and have several dimensions, each with its own lower bound, and Array
// keeps those too, so that every value reads back and writes back as it
// is:
//
//	ArrayOf("go", "sql")                          // {go,sql}
//	Array[string]{Elems: []string{"a", ""}, Nulls: []bool{false, true}} // {a,NULL}
//	Array[int32]{Elems: []int32{1, 2, 3, 4}, Dims: []ArrayDim{{2, 1}, {2, 1}}} // {{1,2},{3,4}}
//	Array[int32]{Elems: []int32{7}, Dims: []ArrayDim{{Length: 1, Lower: 0}}}  // [0:0]={7}
//
// The zero value is the empty array. A nullable column is a *Array, nil
// for NULL.
type Array[T any] struct {
	// Elems are the elements, in row-major order when there are several
	// dimensions (the last index varies fastest). A NULL element holds T's
	// zero value.
	Elems []T
	// Nulls, when not nil, has one entry per element, true where the
	// element is NULL. Arrays read from the database or a request have nil
	// Nulls when no element is NULL.
	Nulls []bool
	// Dims, when not nil, are the dimensions, outermost first. Nil stands
	// for the usual shape: one dimension of len(Elems) numbered from 1, or
	// none for an empty array. Arrays read from the database or a request
	// have nil Dims when they have that shape.
	Dims []ArrayDim
}

// ArrayDim is one dimension of an array: how many elements it has and the
// index of the first (1 unless the array was built with other bounds).
type ArrayDim struct {
	Length int32
	Lower  int32
}

// maxArrayDims is PostgreSQL's limit on the dimensions of an array (MAXDIM).
const maxArrayDims = 6

// ArrayOf returns the one-dimensional array of elems, without NULLs.
func ArrayOf[T any](elems ...T) Array[T] {
	if elems == nil {
		elems = []T{}
	}
	return Array[T]{Elems: elems}
}

// IsNull reports whether element i is NULL.
func (a Array[T]) IsNull(i int) bool { return i < len(a.Nulls) && a.Nulls[i] }

// HasNulls reports whether some element is NULL.
func (a Array[T]) HasNulls() bool {
	for i := range a.Elems {
		if a.IsNull(i) {
			return true
		}
	}
	return false
}

// Values yields the elements that are not NULL, with their indexes in
// Elems.
func (a Array[T]) Values() iter.Seq2[int, T] {
	return func(yield func(int, T) bool) {
		for i, v := range a.Elems {
			if !a.IsNull(i) && !yield(i, v) {
				return
			}
		}
	}
}

// Shape returns the dimensions of the array: Dims, or what nil Dims stand
// for (one dimension from 1, none when the array is empty).
func (a Array[T]) Shape() []ArrayDim {
	if a.Dims != nil {
		return a.Dims
	}
	if len(a.Elems) == 0 {
		return nil
	}
	return []ArrayDim{{Length: int32(min(len(a.Elems), math.MaxInt32)), Lower: 1}} // #nosec G115 -- bounded by min
}

// Check reports whether the array can be stored: Nulls, when set, has an
// entry per element; Dims, when set, are at most 6, each at least one
// element long, with upper bounds that fit an int32, and hold exactly
// len(Elems) elements.
func (a Array[T]) Check() error {
	if a.Nulls != nil && len(a.Nulls) != len(a.Elems) {
		return fmt.Errorf("runtime: array has %d elements but %d null flags", len(a.Elems), len(a.Nulls))
	}
	if a.Dims == nil {
		if len(a.Elems) > math.MaxInt32 {
			return errors.New("runtime: array has too many elements")
		}
		return nil
	}
	if msg := dimsProblem(a.Dims, len(a.Elems)); msg != "" {
		return errors.New("runtime: array " + msg)
	}
	return nil
}

// dimsProblem says what is wrong with dimensions holding n elements, or
// returns "".
func dimsProblem(dims []ArrayDim, n int) string {
	if len(dims) > maxArrayDims {
		return fmt.Sprintf("must have at most %d dimensions", maxArrayDims)
	}
	count := 1 // capped at n+1
	for _, d := range dims {
		if d.Length < 1 {
			return "dimensions must have a length of at least 1"
		}
		if int64(d.Lower)+int64(d.Length) > math.MaxInt32 {
			return "dimensions must have lower + length at most 2147483647"
		}
		count = int(min(int64(count)*int64(d.Length), int64(n)+1))
	}
	switch {
	case len(dims) == 0 && n != 0:
		return fmt.Sprintf("must have dimensions: there are %d elements", n)
	case len(dims) > 0 && count > n:
		return fmt.Sprintf("dimensions hold more than the %d elements", n)
	case len(dims) > 0 && count < n:
		return fmt.Sprintf("dimensions hold %d elements, not %d", count, n)
	}
	return ""
}

// plain reports whether the array has dims dimensions (or none, being
// empty), all numbered from 1: whether nested JSON arrays say all of it.
func (a Array[T]) plain(dims int) bool {
	if a.Dims == nil {
		return dims == 1 || len(a.Elems) == 0
	}
	if len(a.Dims) != dims && len(a.Elems) != 0 {
		return false
	}
	for _, d := range a.Dims {
		if d.Lower != 1 {
			return false
		}
	}
	return a.Check() == nil
}

// normalDims returns dims, or nil when they have the usual shape (one
// dimension from 1, or none).
func normalDims(dims []ArrayDim) []ArrayDim {
	if len(dims) == 0 || len(dims) == 1 && dims[0].Lower == 1 {
		return nil
	}
	return dims
}

// Code that does not know T, as a database adapter's, reaches any Array
// through an interface of these methods, with Shape and Check: Elem reads
// the elements, Reset, ElemPtr and SetNull fill them.

// Elem returns element i as an any holding a T, or nil when it is NULL.
func (a Array[T]) Elem(i int) any {
	if a.IsNull(i) {
		return nil
	}
	return a.Elems[i]
}

// Reset makes a the array of the dimensions dims, outermost first, with as
// many elements as they hold, each T's zero value and none NULL. Dims is
// dims itself, or nil for the usual shape.
func (a *Array[T]) Reset(dims []ArrayDim) {
	n := 0
	if len(dims) > 0 {
		n = 1
		for _, d := range dims {
			n *= int(d.Length)
		}
	}
	*a = Array[T]{Elems: make([]T, n), Dims: normalDims(dims)}
}

// ElemPtr returns a pointer to element i, a *T, as an any.
func (a *Array[T]) ElemPtr(i int) any { return &a.Elems[i] }

// SetNull makes element i NULL: true in Nulls, made when nil, and T's zero
// value in Elems.
func (a *Array[T]) SetNull(i int) {
	if a.Nulls == nil {
		a.Nulls = make([]bool, len(a.Elems))
	}
	a.Nulls[i] = true
	var zero T
	a.Elems[i] = zero
}

// The JSON of an array column is nested arrays, as deep as the column
// declares dimensions (one unless its type says more): [1,null,3],
// [[1,2],[3,4]]. NULL elements are null. When nested arrays cannot say an
// array's shape, a second field, named after the column with "@dims"
// appended, gives its dimensions, outermost first: for lower bounds other
// than 1, and for another number of dimensions than the column's. In the
// second case the nested arrays hold the elements in row-major order (the
// last index varies fastest), with all levels but the innermost of length
// one:
//
//	"ints": [7,8], "ints@dims": [{"lower":0,"length":2}]
//	"matrix": [[1,2],[3,4]], "matrix@dims": [{"lower":0,"length":2},{"lower":0,"length":2}]
//	"matrix": [[1,2,3,4,5,6,7,8]], "matrix@dims": [{"lower":1,"length":2},{"lower":1,"length":2},{"lower":1,"length":2}]
//
// Requests carry both fields the same way (SetArrayDims), so a row written
// back as read is unchanged.

// AppendArray appends a as nested JSON arrays of dims levels (see above).
func AppendArray[T any](b []byte, a Array[T], dims int, each func([]byte, T) []byte) []byte {
	if a.Dims == nil && dims == 1 { // the usual array, on every row
		return appendElems(b, a, 0, len(a.Elems), each)
	}
	if a.plain(dims) || len(a.Dims) == dims && a.Check() == nil {
		return appendNested(b, a, a.Shape(), 0, each)
	}
	for range dims - 1 {
		b = append(b, '[')
	}
	b = appendElems(b, a, 0, len(a.Elems), each)
	for range dims - 1 {
		b = append(b, ']')
	}
	return b
}

// AppendNullArray appends a as AppendArray does, or null when a is nil.
func AppendNullArray[T any](b []byte, a *Array[T], dims int, each func([]byte, T) []byte) []byte {
	if a == nil {
		return append(b, "null"...)
	}
	return AppendArray(b, *a, dims, each)
}

// AppendArrayDims appends key (the JSON of ,"name@dims": in a row) and the
// dimensions of a, when nested arrays of dims levels do not say them; it
// appends nothing otherwise, or when a is nil.
func AppendArrayDims[T any](b []byte, key string, a *Array[T], dims int) []byte {
	if a == nil || a.plain(dims) {
		return b
	}
	shape := a.Shape()
	if a.Check() != nil {
		// Not an array PostgreSQL can hold: its elements as one dimension.
		shape = Array[T]{Elems: a.Elems}.Shape()
	}
	b = append(b, key...)
	return AppendDims(b, shape)
}

// AppendDims appends dimensions as JSON: [{"lower":1,"length":2}].
func AppendDims(b []byte, dims []ArrayDim) []byte {
	b = append(b, '[')
	for i, d := range dims {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"lower":`...)
		b = AppendInt(b, int64(d.Lower))
		b = append(b, `,"length":`...)
		b = AppendInt(b, int64(d.Length))
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendNested appends the elements from first on as nested arrays of the
// dimensions in shape.
func appendNested[T any](b []byte, a Array[T], shape []ArrayDim, first int, each func([]byte, T) []byte) []byte {
	if len(shape) <= 1 {
		n := len(a.Elems) - first
		if len(shape) == 1 {
			n = int(shape[0].Length)
		}
		return appendElems(b, a, first, n, each)
	}
	size := 1
	for _, d := range shape[1:] {
		size *= int(d.Length)
	}
	b = append(b, '[')
	for i := range int(shape[0].Length) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendNested(b, a, shape[1:], first+i*size, each)
	}
	return append(b, ']')
}

// appendElems appends n elements from first on as a JSON array.
func appendElems[T any](b []byte, a Array[T], first, n int, each func([]byte, T) []byte) []byte {
	b = append(b, '[')
	for i := first; i < first+n && i < len(a.Elems); i++ {
		if i > first {
			b = append(b, ',')
		}
		if a.IsNull(i) {
			b = append(b, "null"...)
		} else {
			b = each(b, a.Elems[i])
		}
	}
	return append(b, ']')
}

// ReadArray makes a reader of arrays from a reader of elements, for
// composing readers of array columns: ReadArray(ReadInt32). It reads
// nested arrays, as deep as the array has dimensions and rectangular
// (sub-arrays of one level have the same length); null elements are NULL.
// An empty array gives an empty, non-nil Elems. SetArrayDims then applies
// the "@dims" field, if the request has one.
func ReadArray[T any](read func(*Decoder, *T) bool) func(*Decoder, *Array[T]) bool {
	return func(d *Decoder, dst *Array[T]) bool { return readArray(d, dst, read) }
}

func readArray[T any](d *Decoder, dst *Array[T], read func(*Decoder, *T) bool) bool {
	r := nestedReader[T]{read: read, depth: -1, ok: true}
	r.a.Elems = make([]T, 0, 4)
	if !d.Array(func(int) { r.element(d, 0) }) {
		return false
	}
	r.close(d, 0)
	if !r.ok {
		return false
	}
	if r.depth > 1 {
		r.a.Dims = make([]ArrayDim, r.depth)
		for i, n := range r.lengths[:r.depth] {
			r.a.Dims[i] = ArrayDim{Length: n, Lower: 1}
		}
	}
	*dst = r.a
	return true
}

// nestedReader reads nested JSON arrays into an Array, learning the number
// of dimensions at the first element that is not an array.
type nestedReader[T any] struct {
	read    func(*Decoder, *T) bool
	a       Array[T]
	depth   int // the number of dimensions; -1 until known
	lengths [maxArrayDims]int32
	counts  [maxArrayDims]int32 // elements read so far in the array open at each level
	ok      bool
	tooDeep bool // reported once; the rest is skipped
}

// element reads the next element of the array open at level (0 is the
// outermost).
func (r *nestedReader[T]) element(d *Decoder, level int) {
	r.counts[level]++
	if r.tooDeep {
		d.Skip()
		return
	}
	if r.depth < 0 && d.Peek() != KindArray {
		r.depth = level + 1
	}
	switch {
	case r.depth < 0 || level+1 < r.depth:
		if d.Peek() != KindArray {
			d.skipThenFail(CodeType, fmt.Sprintf("must be an array: the array has %d dimensions", r.depth))
			r.ok = false
			return
		}
		if level+1 >= maxArrayDims {
			d.skipThenFail(CodeFormat, fmt.Sprintf("must not be an array: arrays have at most %d dimensions", maxArrayDims))
			r.ok, r.tooDeep = false, true
			return
		}
		r.counts[level+1] = 0
		if d.Array(func(int) { r.element(d, level+1) }) {
			r.close(d, level+1)
		}
	case d.Null():
		if r.a.Nulls == nil {
			r.a.Nulls = make([]bool, len(r.a.Elems), cap(r.a.Elems))
		}
		var zero T
		r.a.Elems = append(r.a.Elems, zero)
		r.a.Nulls = append(r.a.Nulls, true)
	default:
		var zero T
		r.a.Elems = append(r.a.Elems, zero)
		if r.a.Nulls != nil {
			r.a.Nulls = append(r.a.Nulls, false)
		}
		if !r.read(d, &r.a.Elems[len(r.a.Elems)-1]) {
			r.ok = false
		}
	}
}

// close checks the length of the array just read at level against the
// others of its level: the first to close decides. Only the whole array
// may be empty: PostgreSQL has no empty sub-arrays.
func (r *nestedReader[T]) close(d *Decoder, level int) {
	n := r.counts[level]
	switch {
	case level > 0 && n == 0:
		d.Fail(CodeFormat, "must not be empty: only a whole array can be")
		r.ok = false
	case r.lengths[level] == 0:
		r.lengths[level] = n
	case r.lengths[level] != n:
		d.Fail(CodeFormat, fmt.Sprintf("must have %d elements, as the other arrays of its level: PostgreSQL arrays are rectangular", r.lengths[level]))
		r.ok = false
	}
}

// ReadArrayDims reads the "@dims" field of an array column:
// [{"lower":0,"length":2}], one object per dimension.
func ReadArrayDims(d *Decoder, dst *[]ArrayDim) bool {
	dims := make([]ArrayDim, 0, 2)
	ok := true
	if !d.Array(func(int) {
		var dim ArrayDim
		if !readArrayDim(d, &dim) {
			ok = false
		}
		dims = append(dims, dim)
	}) || !ok {
		return false
	}
	*dst = dims
	return true
}

// readArrayDim reads {"lower":0,"length":2}.
func readArrayDim(d *Decoder, dim *ArrayDim) bool {
	hasLower, hasLength, ok := false, false, true
	if !d.Object(func(key string) {
		switch key {
		case "lower":
			hasLower = true
			ok = d.Int32(&dim.Lower) && ok
		case "length":
			hasLength = true
			ok = d.Int32(&dim.Length) && ok
		default:
			d.Unknown()
			ok = false
		}
	}) {
		return false
	}
	if !hasLower {
		d.Required("lower")
	}
	if !hasLength {
		d.Required("length")
	}
	return ok && hasLower && hasLength
}

// SetArrayDims gives a the dimensions of its "@dims" field, read into dims
// (nil when the request had none), once the whole object is read: a holds
// the elements in row-major order. key is the field's name, for errors;
// a is nil when the array field was absent or null, which cannot go with
// dimensions.
func SetArrayDims[T any](d *Decoder, a *Array[T], dims []ArrayDim, key string) {
	if dims == nil {
		return
	}
	if a == nil {
		d.failKey(key, CodeType, "must come with an array in "+strings.TrimSuffix(key, "@dims"))
		return
	}
	if msg := dimsProblem(dims, len(a.Elems)); msg != "" {
		d.failKey(key, CodeFormat, msg)
		return
	}
	a.Dims = normalDims(dims)
}
