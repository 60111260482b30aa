// Package apidiff finds what changed between two OpenAPI 3.0 documents of
// an API in ways that break its clients: removed operations, parameters,
// fields and statuses, new required inputs, narrowed input types, changed
// output types. crudgen check --api uses it to gate schema changes.
package apidiff

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Breaking returns the breaking changes from the document old to new, one
// sentence each, in a stable order.
func Breaking(old, new []byte) ([]string, error) {
	var a, b document
	if err := json.Unmarshal(old, &a.root); err != nil {
		return nil, fmt.Errorf("the previous document: %w", err)
	}
	if err := json.Unmarshal(new, &b.root); err != nil {
		return nil, fmt.Errorf("the new document: %w", err)
	}
	c := &comparison{old: &a, new: &b}
	oldPaths, newPaths := obj(a.root["paths"]), obj(b.root["paths"])
	for _, path := range slices.Sorted(maps.Keys(oldPaths)) {
		oldItem, newItem := obj(oldPaths[path]), obj(newPaths[path])
		for _, method := range []string{"get", "post", "put", "patch", "delete"} {
			op, ok := oldItem[method]
			if !ok {
				continue
			}
			where := strings.ToUpper(method) + " " + path
			newOp, ok := newItem[method]
			if !ok {
				c.add(where, "removed")
				continue
			}
			c.operation(where, obj(op), obj(newOp))
		}
	}
	return c.out, nil
}

type document struct{ root map[string]any }

// resolve follows a local $ref.
func (d *document) resolve(v map[string]any) map[string]any {
	for range 32 {
		ref, ok := v["$ref"].(string)
		if !ok {
			return v
		}
		cur := any(d.root)
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			part = strings.NewReplacer("~1", "/", "~0", "~").Replace(part)
			cur = obj(cur)[part]
		}
		v = obj(cur)
	}
	return v
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

type comparison struct {
	old, new *document
	out      []string
}

func (c *comparison) add(where, what string) { c.out = append(c.out, where+": "+what) }

func (c *comparison) operation(where string, op, newOp map[string]any) {
	params := func(d *document, op map[string]any) map[string]map[string]any {
		out := map[string]map[string]any{}
		list, _ := op["parameters"].([]any)
		for _, p := range list {
			p := d.resolve(obj(p))
			out[fmt.Sprint(p["in"], " parameter ", p["name"])] = p
		}
		return out
	}
	oldParams, newParams := params(c.old, op), params(c.new, newOp)
	for _, key := range slices.Sorted(maps.Keys(oldParams)) {
		np, ok := newParams[key]
		if !ok {
			c.add(where, key+" removed")
			continue
		}
		c.schema(where+" "+key, obj(oldParams[key]["schema"]), obj(np["schema"]), true)
	}
	for _, key := range slices.Sorted(maps.Keys(newParams)) {
		if _, ok := oldParams[key]; !ok && newParams[key]["required"] == true {
			c.add(where, "new required "+key)
		}
	}
	oldBody := obj(obj(obj(obj(op["requestBody"])["content"])["application/json"])["schema"])
	newBody := obj(obj(obj(obj(newOp["requestBody"])["content"])["application/json"])["schema"])
	if oldBody != nil {
		if newBody == nil {
			c.add(where, "request body removed")
		} else {
			c.schema(where+" body", oldBody, newBody, true)
		}
	}
	oldResp, newResp := obj(op["responses"]), obj(newOp["responses"])
	for _, status := range slices.Sorted(maps.Keys(oldResp)) {
		if !strings.HasPrefix(status, "2") {
			continue
		}
		nr, ok := newResp[status]
		if !ok {
			c.add(where, status+" response removed")
			continue
		}
		a := obj(obj(obj(c.old.resolve(obj(oldResp[status]))["content"])["application/json"])["schema"])
		b := obj(obj(obj(c.new.resolve(obj(nr))["content"])["application/json"])["schema"])
		if a != nil && b != nil {
			c.schema(where+" "+status+" response", a, b, false)
		}
	}
}

// schema compares a value's schema. input says whether clients send it
// (the new schema must accept all the old one did) or receive it (the
// new one must not give what clients cannot read).
func (c *comparison) schema(where string, a, b map[string]any, input bool) {
	c.schemaDepth(where, a, b, input, 0)
}

func (c *comparison) schemaDepth(where string, a, b map[string]any, input bool, depth int) {
	if depth > 16 || a == nil || b == nil {
		return
	}
	nullA, nullB := a["nullable"] == true, b["nullable"] == true
	a, b = c.old.resolve(unwrap(a)), c.new.resolve(unwrap(b))
	nullA, nullB = nullA || a["nullable"] == true, nullB || b["nullable"] == true
	if t, u := a["type"], b["type"]; t != u && t != nil {
		c.add(where, fmt.Sprintf("type %v became %v", t, orAny(u)))
		return
	}
	if f, g := a["format"], b["format"]; f != g && f != nil {
		c.add(where, fmt.Sprintf("format %v became %v", f, orAny(g)))
	}
	switch {
	case input && nullA && !nullB:
		c.add(where, "no longer accepts null")
	case !input && !nullA && nullB:
		c.add(where, "may now be null")
	}
	if input {
		c.narrowed(where, a, b)
	}
	if oneA, oneB := list(a["oneOf"]), list(b["oneOf"]); len(oneA) > 0 && len(oneA) == len(oneB) {
		for i := range oneA {
			c.schemaDepth(where, obj(oneA[i]), obj(oneB[i]), input, depth+1)
		}
	}
	if ia, ib := obj(a["items"]), obj(b["items"]); ia != nil && ib != nil {
		c.schemaDepth(where+"[]", ia, ib, input, depth+1)
	}
	propsA, propsB := obj(a["properties"]), obj(b["properties"])
	reqA, reqB := texts(list(a["required"])), texts(list(b["required"]))
	for _, name := range slices.Sorted(maps.Keys(propsA)) {
		pb, ok := propsB[name]
		switch {
		case !ok && (!input || b["additionalProperties"] == false):
			c.add(where, "field "+name+" removed")
		case ok:
			c.schemaDepth(where+"."+name, obj(propsA[name]), obj(pb), input, depth+1)
			if !input && slices.Contains(reqA, name) && !slices.Contains(reqB, name) {
				c.add(where, "field "+name+" is no longer always present")
			}
		}
	}
	if input {
		for _, name := range reqB {
			if !slices.Contains(reqA, name) {
				c.add(where, "new required field "+name)
			}
		}
	}
}

// narrowed reports the limits of an input that tightened.
func (c *comparison) narrowed(where string, a, b map[string]any) {
	num := func(m map[string]any, k string) (float64, bool) {
		f, ok := m[k].(float64)
		return f, ok
	}
	if y, ok := num(b, "maxLength"); ok {
		if x, had := num(a, "maxLength"); !had || y < x {
			c.add(where, fmt.Sprintf("maxLength narrowed to %v", y))
		}
	}
	if y, ok := num(b, "maximum"); ok {
		if x, had := num(a, "maximum"); !had || y < x {
			c.add(where, fmt.Sprintf("maximum narrowed to %v", y))
		}
	}
	if y, ok := num(b, "minLength"); ok {
		if x, had := num(a, "minLength"); !had || y > x {
			c.add(where, fmt.Sprintf("minLength raised to %v", y))
		}
	}
	if y, ok := num(b, "minimum"); ok {
		if x, had := num(a, "minimum"); !had || y > x {
			c.add(where, fmt.Sprintf("minimum raised to %v", y))
		}
	}
	if p := b["pattern"]; p != nil && a["pattern"] == nil {
		// A changed pattern may accept more or less; only a new one
		// surely accepts less.
		c.add(where, fmt.Sprintf("pattern %v is new", p))
	}
	if eb := texts(list(b["enum"])); eb != nil {
		ea := texts(list(a["enum"]))
		if ea == nil {
			c.add(where, "now limited to "+strings.Join(eb, ", "))
		}
		for _, v := range ea {
			if !slices.Contains(eb, v) {
				c.add(where, "value "+v+" no longer accepted")
			}
		}
	}
}

// unwrap reads through an allOf of one schema, which the generator writes
// to add a description or nullable to a $ref.
func unwrap(s map[string]any) map[string]any {
	if all := list(s["allOf"]); len(all) == 1 {
		return obj(all[0])
	}
	return s
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func texts(vs []any) []string {
	var out []string
	for _, v := range vs {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

func orAny(v any) any {
	if v == nil {
		return "any"
	}
	return v
}
