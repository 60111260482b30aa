package model

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// indented is what the document looked like when encoding/json wrote it
// and json.Indent laid it out, at a depth.
func indented(t *testing.T, v any, depth int) string {
	t.Helper()
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(v))
	var out bytes.Buffer
	require.NoError(t, json.Indent(&out, bytes.TrimSuffix(raw.Bytes(), []byte("\n")), strings.Repeat("  ", depth), "  "))
	return out.String()
}

// Every field of Schema set writes as its json tag says: a field added to
// Schema but not to Schema.object fails here.
func TestSchemaObject(t *testing.T) {
	s := &Schema{}
	v := reflect.ValueOf(s).Elem()
	for i := range v.NumField() {
		v.Field(i).Set(sample(t, v.Type().Field(i).Type))
	}
	for _, depth := range []int{0, entryDepth} {
		got, err := appendIndented(nil, s, depth)
		require.NoError(t, err)
		assert.Equal(t, indented(t, s, depth), string(got))
	}
	got, err := appendIndented(nil, &Schema{}, 0)
	require.NoError(t, err)
	assert.Equal(t, "{}", string(got))
}

// sample is a value of type t that omitempty keeps.
func sample(t *testing.T, typ reflect.Type) reflect.Value {
	switch typ {
	case reflect.TypeFor[string]():
		return reflect.ValueOf(`a "quoted" <&> é`)
	case reflect.TypeFor[bool]():
		return reflect.ValueOf(true)
	case reflect.TypeFor[[]string]():
		return reflect.ValueOf([]string{"x", "y"})
	case reflect.TypeFor[[]*Schema]():
		return reflect.ValueOf([]*Schema{{Type: "string"}, {Ref: "#/x", Nullable: true}})
	case reflect.TypeFor[*Schema]():
		return reflect.ValueOf(&Schema{Type: "integer", Enum: []string{}})
	case reflect.TypeFor[*int]():
		n := 7
		return reflect.ValueOf(&n)
	case reflect.TypeFor[*float64]():
		f := 1.5e-7
		return reflect.ValueOf(&f)
	case reflect.TypeFor[*bool]():
		b := false
		return reflect.ValueOf(&b)
	case reflect.TypeFor[*Map]():
		return reflect.ValueOf(&Map{}) // encoding/json writes no more of a Map
	case reflect.TypeFor[any]():
		return reflect.ValueOf(&[]any{50}).Elem().Index(0)
	}
	t.Fatalf("no sample of %s", typ)
	return reflect.Value{}
}

// The writer lays out values as json.Indent does, values written ahead
// included.
func TestAppendIndented(t *testing.T) {
	doc := obj(
		"s", "tab\t<b> \u2028",
		"n", 3, "f", 2.50, "t", true,
		"empty", &Map{}, "none", []any{}, "null", []any(nil), "strings", []string{"a"},
		"list", []any{obj("a", []any{1, []string{}}), "x"},
		"raw", json.RawMessage(`{"b": [1, {"c": null}], "a": {}}`),
	)
	// What encoding/json wrote: a Map's keys in order.
	want := `{"s":"tab\t<b> \u2028","n":3,"f":2.5,"t":true,"empty":{},"none":[],"null":null,"strings":["a"],` +
		`"list":[{"a":[1,[]]},"x"],"raw":{"b":[1,{"c":null}],"a":{}}}`
	got, err := appendIndented(nil, doc, 1)
	require.NoError(t, err)
	assert.Equal(t, indented(t, json.RawMessage(want), 1), string(got))

	// Values written ahead go where they were written for, and only there.
	deep := obj("a", obj("b", obj("c", writeAhead(doc))))
	got, err = appendIndented(nil, deep, 0)
	require.NoError(t, err)
	assert.Equal(t, indented(t, json.RawMessage(`{"a":{"b":{"c":`+want+`}}}`), 0), string(got))
	_, err = appendIndented(nil, obj("a", writeAhead(doc)), 0)
	assert.Error(t, err)
}

func TestMapSet(t *testing.T) {
	m := &Map{}
	for i := range 3 * indexFrom {
		m.Set(strings.Repeat("k", i%(2*indexFrom)), i) // the second round replaces
	}
	require.Len(t, m.entries, 2*indexFrom)
	v, ok := m.Get("k")
	assert.True(t, ok)
	assert.Equal(t, 2*indexFrom+1, v)
	_, ok = m.Get("absent")
	assert.False(t, ok)
}
