package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

	"github.com/crudgen/crudgen/runtime"
)

// The document is written as indented JSON in one pass, laid out as
// json.Indent (prefix "", indent "  ") lays out what encoding/json writes
// with HTML escaping off. Operations, schemas and parameters are written
// as soon as they are made (see writeAhead): for 1,000 tables, the tree of
// them all took hundreds of MB, and compacting it then indenting it again
// took as long as building it.

// Map is a JSON object that keeps its keys in insertion order, so the
// document lists columns and routes in declaration order.
type Map struct {
	entries []entry
	index   map[string]int // positions by key, only in large maps
}

type entry struct {
	key   string
	value any
}

// indexFrom is the size from which a Map finds keys through an index:
// most maps are small objects, cheaper to scan than to hash.
const indexFrom = 16

// Set adds or replaces a key.
func (m *Map) Set(key string, v any) {
	if i, ok := m.find(key); ok {
		m.entries[i].value = v
		return
	}
	m.entries = append(m.entries, entry{key, v})
	switch {
	case m.index != nil:
		m.index[key] = len(m.entries) - 1
	case len(m.entries) > indexFrom:
		m.index = make(map[string]int, 2*len(m.entries))
		for i, e := range m.entries {
			m.index[e.key] = i
		}
	}
}

// Get returns the value of a key.
func (m *Map) Get(key string) (any, bool) {
	if i, ok := m.find(key); ok {
		return m.entries[i].value, true
	}
	return nil, false
}

func (m *Map) find(key string) (int, bool) {
	if m.index != nil {
		i, ok := m.index[key]
		return i, ok
	}
	for i, e := range m.entries {
		if e.key == key {
			return i, true
		}
	}
	return 0, false
}

func obj(kv ...any) *Map {
	m := &Map{entries: make([]entry, 0, len(kv)/2)}
	for i := 0; i+1 < len(kv); i += 2 {
		m.Set(kv[i].(string), kv[i+1])
	}
	return m
}

// object is the schema as encoding/json writes it for its tags: the
// fields that are set, in order.
func (s *Schema) object() *Map {
	m := &Map{entries: make([]entry, 0, 4)}
	set := func(key string, v any, ok bool) {
		if ok {
			m.Set(key, v)
		}
	}
	set("$ref", s.Ref, s.Ref != "")
	set("allOf", s.AllOf, len(s.AllOf) > 0)
	set("oneOf", s.OneOf, len(s.OneOf) > 0)
	set("type", s.Type, s.Type != "")
	set("format", s.Format, s.Format != "")
	set("description", s.Description, s.Description != "")
	set("nullable", true, s.Nullable)
	set("readOnly", true, s.ReadOnly)
	set("enum", s.Enum, len(s.Enum) > 0)
	set("default", s.Default, s.Default != nil)
	set("minLength", s.MinLength, s.MinLength != nil)
	set("maxLength", s.MaxLength, s.MaxLength != nil)
	set("minimum", s.Minimum, s.Minimum != nil)
	set("exclusiveMinimum", true, s.ExclusiveMinimum)
	set("maximum", s.Maximum, s.Maximum != nil)
	set("exclusiveMaximum", true, s.ExclusiveMaximum)
	set("pattern", s.Pattern, s.Pattern != "")
	set("items", s.Items, s.Items != nil)
	set("minItems", s.MinItems, s.MinItems != nil)
	set("maxItems", s.MaxItems, s.MaxItems != nil)
	set("required", s.Required, len(s.Required) > 0)
	set("properties", s.Properties, s.Properties != nil)
	set("additionalProperties", s.AdditionalProperties, s.AdditionalProperties != nil)
	return m
}

// entryDepth is the depth of the values written ahead: those of
// components.schemas, components.parameters and paths' items.
const entryDepth = 3

// written is a value written ahead as indented JSON for its place at
// entryDepth, or the error writing it gave.
type written struct {
	json []byte
	err  error
}

// scratch holds the buffers writeAhead writes into, so that each value
// written keeps only its exact size until the document is done.
var scratch = sync.Pool{New: func() any { return new([]byte) }}

// writeAhead writes v for a place at entryDepth, so that the tree it
// holds can go.
func writeAhead(v any) written {
	buf := scratch.Get().(*[]byte)
	defer scratch.Put(buf)
	b, err := appendIndented((*buf)[:0], v, entryDepth)
	if err != nil {
		return written{err: err}
	}
	*buf = b
	return written{json: bytes.Clone(b)}
}

// appendIndented appends v as indented JSON for a place at the depth.
func appendIndented(b []byte, v any, depth int) ([]byte, error) {
	switch v := v.(type) {
	case *Map:
		return appendComposite(b, '{', '}', len(v.entries), depth, func(b []byte, i int) ([]byte, error) {
			e := v.entries[i]
			b = append(runtime.AppendString(b, e.key), ": "...)
			return appendIndented(b, e.value, depth+1)
		})
	case *Schema:
		if v == nil {
			return append(b, "null"...), nil
		}
		return appendIndented(b, v.object(), depth)
	case string:
		return runtime.AppendString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case *int:
		if v != nil {
			return strconv.AppendInt(b, int64(*v), 10), nil
		}
	case *bool:
		if v != nil {
			return strconv.AppendBool(b, *v), nil
		}
	case []any:
		return appendList(b, v, depth)
	case []string:
		return appendList(b, v, depth)
	case []*Schema:
		return appendList(b, v, depth)
	case written:
		if v.err != nil {
			return nil, v.err
		}
		if depth != entryDepth {
			return nil, fmt.Errorf("openapi: a value written for depth %d placed at depth %d", entryDepth, depth)
		}
		return append(b, v.json...), nil
	}
	return appendEncoded(b, v, depth)
}

// appendList appends a JSON array; nil is null, as encoding/json has it.
func appendList[T any](b []byte, list []T, depth int) ([]byte, error) {
	if list == nil {
		return append(b, "null"...), nil
	}
	return appendComposite(b, '[', ']', len(list), depth, func(b []byte, i int) ([]byte, error) {
		return appendIndented(b, list[i], depth+1)
	})
}

// appendComposite appends an object or array of n members, each on its
// own line one level deeper; an empty one stays {} or [].
func appendComposite(b []byte, open, close byte, n, depth int, member func([]byte, int) ([]byte, error)) ([]byte, error) {
	b = append(b, open)
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = member(newline(b, depth+1), i); err != nil {
			return nil, err
		}
	}
	if n > 0 {
		b = newline(b, depth)
	}
	return append(b, close), nil
}

func newline(b []byte, depth int) []byte {
	b = append(b, '\n')
	for range depth {
		b = append(b, "  "...)
	}
	return b
}

// appendEncoded appends what encoding/json writes for the rest: numbers,
// the user's fragments.
func appendEncoded(b []byte, v any, depth int) ([]byte, error) {
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	out := bytes.NewBuffer(b)
	prefix := newline(nil, depth)[1:]
	if err := json.Indent(out, bytes.TrimSuffix(raw.Bytes(), []byte("\n")), string(prefix), "  "); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// sizeHint is about the length of v written: the values written ahead
// plus a line for each other member.
func sizeHint(v any) int {
	switch v := v.(type) {
	case written:
		return len(v.json)
	case *Map:
		n := 0
		for _, e := range v.entries {
			n += len(e.key) + 16 + sizeHint(e.value)
		}
		return n
	case []any:
		n := 0
		for _, e := range v {
			n += 16 + sizeHint(e)
		}
		return n
	}
	return 64
}
