package runtime

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestArrayJSON(t *testing.T) {
	for _, tc := range []struct {
		a          Array[int32]
		dims       int
		want, more string
	}{
		{Array[int32]{}, 1, `[]`, ``},
		{ArrayOf[int32](), 2, `[]`, ``},
		{ArrayOf[int32](1, 2), 1, `[1,2]`, ``},
		{Array[int32]{Elems: []int32{1, 0}, Nulls: []bool{false, true}}, 1, `[1,null]`, ``},
		{Array[int32]{Elems: []int32{1, 2, 3, 4, 5, 6}, Dims: []ArrayDim{{2, 1}, {3, 1}}}, 2, `[[1,2,3],[4,5,6]]`, ``},
		{Array[int32]{Elems: []int32{1, 2, 3, 4, 5, 6}, Dims: []ArrayDim{{3, 1}, {1, 1}, {2, 1}}}, 3, `[[[1,2]],[[3,4]],[[5,6]]]`, ``},
		// Another number of dimensions than the column's, or other
		// bounds: the elements, and their dimensions beside.
		{Array[int32]{Elems: []int32{1, 2, 3, 4}, Dims: []ArrayDim{{2, 1}, {2, 1}}}, 1, `[1,2,3,4]`, `[{"lower":1,"length":2},{"lower":1,"length":2}]`},
		{ArrayOf[int32](1, 2), 2, `[[1,2]]`, `[{"lower":1,"length":2}]`},
		{Array[int32]{Elems: []int32{1, 2, 3, 4, 5, 6, 7, 8}, Dims: []ArrayDim{{2, 1}, {2, 1}, {2, 1}}}, 2, `[[1,2,3,4,5,6,7,8]]`, `[{"lower":1,"length":2},{"lower":1,"length":2},{"lower":1,"length":2}]`},
		{Array[int32]{Elems: []int32{7, 0}, Nulls: []bool{false, true}, Dims: []ArrayDim{{2, 0}}}, 1, `[7,null]`, `[{"lower":0,"length":2}]`},
		{Array[int32]{Elems: []int32{1, 2, 3, 4}, Dims: []ArrayDim{{2, -5}, {2, 7}}}, 2, `[[1,2],[3,4]]`, `[{"lower":-5,"length":2},{"lower":7,"length":2}]`},
		// Dims that do not hold the elements: not an array PostgreSQL
		// holds, written as one dimension.
		{Array[int32]{Elems: []int32{1, 2, 3}, Dims: []ArrayDim{{2, 1}, {2, 1}}}, 2, `[[1,2,3]]`, `[{"lower":1,"length":3}]`},
	} {
		got := string(AppendArray(nil, tc.a, tc.dims, AppendInt32))
		assert.Equal(t, tc.want, got, "%+v", tc.a)
		more := string(AppendArrayDims(nil, "", &tc.a, tc.dims))
		assert.Equal(t, tc.more, more, "%+v", tc.a)
		if tc.a.Check() != nil {
			continue
		}
		assert.Equal(t, normalArray(tc.a), readBack(t, got, more), got)
	}
	assert.Equal(t, "null", string(AppendNullArray(nil, (*Array[string])(nil), 1, AppendString)))
	assert.Equal(t, "", string(AppendArrayDims(nil, "x", (*Array[string])(nil), 1)))
	assert.Equal(t, `["a"]`, string(AppendNullArray(nil, &Array[string]{Elems: []string{"a"}}, 1, AppendString)))
}

// readBack decodes an array and, when more is not empty, its dimensions,
// as a generated request does.
func readBack(t *testing.T, array, more string) Array[int32] {
	t.Helper()
	in := `{"a":` + array
	if more != "" {
		in += `,"a@dims":` + more
	}
	var a Array[int32]
	require.NoError(t, Decode([]byte(in+"}"), decFunc(func(d *Decoder) {
		var dims []ArrayDim
		d.Object(func(key string) {
			switch key {
			case "a":
				ReadArray(ReadInt32)(d, &a)
			case "a@dims":
				ReadArrayDims(d, &dims)
			}
		})
		SetArrayDims(d, &a, dims, "a@dims")
	})), in)
	return a
}

// normalArray is a as it reads back: nil Dims for the usual shape, nil
// Nulls without NULLs, a non-nil Elems.
func normalArray[T any](a Array[T]) Array[T] {
	if a.Elems == nil {
		a.Elems = []T{}
	}
	a.Dims = normalDims(a.Dims)
	if !a.HasNulls() {
		a.Nulls = nil
	}
	return a
}

func TestReadArrayErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`1`, `[body] type must be an array`},
		{`null`, `[body] type must be an array`},
		{`{}`, `[body] type must be an array`},
		{`[1,"x"]`, `[body 1] type must be an integer`},
		{`[[1,2],[3]]`, `[body 1] format must have 2 elements, as the other arrays of its level: PostgreSQL arrays are rectangular`},
		{`[[1,2],3]`, `[body 1] type must be an array: the array has 2 dimensions`},
		{`[1,[2]]`, `[body 1] type must be an integer`},
		{`[[]]`, `[body 0] format must not be empty: only a whole array can be`},
		{`[[[[[[[1]]]]]]]`, `[body 0 0 0 0 0 0] format must not be an array: arrays have at most 6 dimensions`},
	} {
		var a Array[int32]
		err := Decode([]byte(tc.in), decFunc(func(d *Decoder) { ReadArray(ReadInt32)(d, &a) }))
		p := decProblem(t, err, 422)
		require.NotEmpty(t, p.Errors, tc.in)
		e := p.Errors[0]
		assert.Equal(t, tc.want, fmt.Sprint(e.Loc, " ", e.Code, " ", e.Message), tc.in)
	}
	var a Array[int32]
	require.NoError(t, Decode([]byte(`[null,null]`), decFunc(func(d *Decoder) { ReadArray(ReadInt32)(d, &a) })))
	assert.Equal(t, Array[int32]{Elems: []int32{0, 0}, Nulls: []bool{true, true}}, a)

	for _, tc := range []struct{ array, dims, want string }{
		{`[1,2]`, `[{"lower":0,"length":3}]`, `[body a@dims] format dimensions hold more than the 2 elements`},
		{`[1,2,3]`, `[{"lower":0,"length":2}]`, `[body a@dims] format dimensions hold 2 elements, not 3`},
		{`[1,2]`, `[{"lower":2147483646,"length":2}]`, `[body a@dims] format dimensions must have lower + length at most 2147483647`},
		{`[1]`, `[{"lower":1,"length":0}]`, `[body a@dims] format dimensions must have a length of at least 1`},
		{`[1]`, `[]`, `[body a@dims] format must have dimensions: there are 1 elements`},
		{`[1]`, `[{"lower":1}]`, `[body a@dims 0 length] required is required`},
		{`[1]`, `[{"lower":1,"length":1,"x":1}]`, `[body a@dims 0 x] unknown_field unknown field`},
		{`[1]`, `{}`, `[body a@dims] type must be an array`},
		{``, `[{"lower":1,"length":1}]`, `[body a@dims] type must come with an array in a`},
	} {
		in := `{"a@dims":` + tc.dims
		if tc.array != "" {
			in += `,"a":` + tc.array
		}
		err := Decode([]byte(in+"}"), decFunc(func(d *Decoder) {
			var a *Array[int32]
			var dims []ArrayDim
			d.Object(func(key string) {
				switch key {
				case "a":
					Nullable(d, &a, ReadArray(ReadInt32))
				case "a@dims":
					ReadArrayDims(d, &dims)
				}
			})
			SetArrayDims(d, a, dims, "a@dims")
		}))
		p := decProblem(t, err, 422)
		require.NotEmpty(t, p.Errors, in)
		e := p.Errors[0]
		assert.Equal(t, tc.want, fmt.Sprint(e.Loc, " ", e.Code, " ", e.Message), in)
	}
}

func TestArrayMethods(t *testing.T) {
	a := Array[string]{Elems: []string{"a", "", "c"}, Nulls: []bool{false, true, false}}
	assert.Len(t, a.Elems, 3)
	assert.True(t, a.IsNull(1))
	assert.False(t, ArrayOf("x").IsNull(0))
	assert.True(t, a.HasNulls())
	var got []string
	for i, v := range a.Values() {
		got = append(got, fmt.Sprint(i, v))
	}
	assert.Equal(t, []string{"0a", "2c"}, got)
	assert.Equal(t, []ArrayDim{{3, 1}}, a.Shape())
	assert.Nil(t, Array[int]{}.Shape())
	assert.NoError(t, a.Check())
	assert.ErrorContains(t, Array[string]{Elems: []string{"a"}, Nulls: []bool{}}.Check(), "null flags")
	assert.ErrorContains(t, Array[int]{Elems: []int{1}, Dims: []ArrayDim{{1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}}}.Check(), "at most 6")
	assert.ErrorContains(t, Array[int]{Elems: []int{1, 2}, Dims: []ArrayDim{{1, 1}}}.Check(), "hold 1 elements, not 2")
	assert.ErrorContains(t, Array[int]{Elems: []int{1}, Dims: []ArrayDim{}}.Check(), "must have dimensions: there are 1 elements")
}

// TestArrayUntyped reads and fills arrays through the methods that do not
// name the element type, as a database adapter does.
func TestArrayUntyped(t *testing.T) {
	a := Array[string]{Elems: []string{"a", "", "c"}, Nulls: []bool{false, true, false}}
	assert.Equal(t, "a", a.Elem(0))
	assert.Nil(t, a.Elem(1))
	assert.Equal(t, "", ArrayOf("").Elem(0))

	var b Array[int32]
	b.Reset([]ArrayDim{{Length: 2, Lower: 1}, {Length: 3, Lower: 0}})
	assert.Equal(t, Array[int32]{Elems: make([]int32, 6), Dims: []ArrayDim{{2, 1}, {3, 0}}}, b)
	*b.ElemPtr(4).(*int32) = 7
	b.Elems[5] = 8
	b.SetNull(5)
	assert.Equal(t, []int32{0, 0, 0, 0, 7, 0}, b.Elems)
	assert.Equal(t, []bool{false, false, false, false, false, true}, b.Nulls)
	b.Reset([]ArrayDim{{Length: 2, Lower: 1}})
	assert.Equal(t, Array[int32]{Elems: []int32{0, 0}}, b, "the usual shape: nil Dims, and no Nulls left")
	b.Reset(nil)
	assert.Equal(t, Array[int32]{Elems: []int32{}}, b)
}

// FuzzArrayJSON builds arrays of every shape from the input, and checks
// that their JSON reads back as the same array, whatever the column's
// dimensions.
func FuzzArrayJSON(f *testing.F) {
	f.Add([]byte{1, 3, 0, 5, 6, 7}, uint8(1))
	f.Add([]byte{2, 2, 1, 3, 1, 9, 8, 7, 255, 6, 5}, uint8(2))
	f.Add([]byte{0}, uint8(1))
	f.Fuzz(func(t *testing.T, in []byte, colDims uint8) {
		a, ok := arrayFromBytes(in)
		if !ok {
			return
		}
		dims := int(colDims%6) + 1
		b := AppendArray(nil, a, dims, AppendInt32)
		more := AppendArrayDims(nil, "", &a, dims)
		require.Equal(t, normalArray(a), readBack(t, string(b), string(more)), "%s %s", b, more)
	})
}

// arrayFromBytes makes an array of the input: the number of dimensions,
// then a length and a lower bound per dimension, then the elements (255
// for NULL).
func arrayFromBytes(in []byte) (Array[int32], bool) {
	if len(in) == 0 {
		return Array[int32]{}, false
	}
	n := int(in[0] % 7)
	in = in[1:]
	if len(in) < 2*n {
		return Array[int32]{}, false
	}
	a := Array[int32]{Elems: []int32{}}
	count := 1
	for i := range n {
		length := int32(in[2*i]%4) + 1
		a.Dims = append(a.Dims, ArrayDim{Length: length, Lower: int32(int8(in[2*i+1]))})
		count *= int(length)
	}
	if n == 0 {
		count = 0
	}
	in = in[2*n:]
	if len(in) < count {
		return Array[int32]{}, false
	}
	for _, v := range in[:count] {
		if v == 255 {
			if a.Nulls == nil {
				a.Nulls = make([]bool, len(a.Elems))
			}
			a.Nulls = append(a.Nulls, true)
			a.Elems = append(a.Elems, 0)
			continue
		}
		if a.Nulls != nil {
			a.Nulls = append(a.Nulls, false)
		}
		a.Elems = append(a.Elems, int32(v)-100)
	}
	return a, true
}
