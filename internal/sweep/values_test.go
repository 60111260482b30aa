package sweep

import (
	"encoding/base64"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/crudgen/crudgen/generator/model"
	"github.com/crudgen/crudgen/generator/schema"
)

// values makes JSON values for columns from their types, enums, domains and
// the simple CHECKs the model turned into rules. Each value differs from
// the previous one, so unique constraints hold across rows.
type values struct {
	seq int
	// shape selects which of the candidate strings and dates comes first,
	// for a retry with values of another shape.
	shape int
}

// errNoValue says why a column cannot be filled.
type errNoValue string

func (e errNoValue) Error() string { return string(e) }

// value returns a JSON value for f; hints are strings the table's CHECKs
// compare the column with, tried first.
func (v *values) value(f *model.Field, hints hint) (any, error) {
	v.seq++
	if f.Type.Elem == nil && f.Type.Enum == nil {
		switch {
		case f.Type.Kind == model.KindString && len(fitting(hints.strings, f.Rules)) > 0:
			fit := fitting(hints.strings, f.Rules)
			return fit[(v.seq+v.shape)%len(fit)], nil
		case f.Type.Kind == model.KindInt && len(hints.ints) > 0 && !bounded(f.Rules):
			return float64(hints.ints[(v.seq+v.shape)%len(hints.ints)]), nil
		case f.Type.Name == "[]byte" && len(hints.ints) > 0:
			// octet_length(sha256) = 32: as many bytes as the CHECK says.
			n := hints.ints[(v.seq+v.shape)%len(hints.ints)]
			b := []byte(strings.Repeat(fmt.Sprintf("b%d.", v.seq), int(n)))[:max(0, n)]
			return base64.StdEncoding.EncodeToString(b), nil
		}
	}
	return v.of(f.Type, f.Column.Type, f.Rules, f.ElemRules)
}

func (v *values) of(g model.GoType, t schema.Type, rules, elemRules []model.Rule) (any, error) {
	if g.Elem != nil {
		e, err := v.of(*g.Elem, t.Elem(), elemRules, nil)
		if err != nil {
			return nil, err
		}
		return []any{e}, nil
	}
	if g.Enum != nil {
		if len(g.Enum.Values) == 0 {
			return nil, errNoValue("enum " + g.Enum.GoName + " has no values")
		}
		return g.Enum.Values[v.seq%len(g.Enum.Values)].Value, nil
	}
	for _, r := range rules {
		if r.Enum != nil {
			return r.Enum[v.seq%len(r.Enum)], nil
		}
	}
	switch g.Kind {
	case model.KindInt, model.KindFloat, model.KindDecimal:
		return v.number(g, t, rules)
	case model.KindBool:
		return true, nil
	}
	if g.Select != "" { // a type read as text: its own literal syntax
		return v.text(t, rules)
	}
	switch g.Name {
	case "runtime.UUID":
		return fmt.Sprintf("00000000-0000-4000-8000-%012d", v.seq), nil
	case "time.Time":
		if t.Name == "timestamp" {
			return fmt.Sprintf("%s-02T03:04:%02d", v.month(), v.seq%60), nil
		}
		return fmt.Sprintf("%s-02T03:04:%02dZ", v.month(), v.seq%60), nil
	case "runtime.Date":
		return fmt.Sprintf("%s-%02d", v.month(), 1+v.seq%28), nil
	case "runtime.TimeOfDay":
		return fmt.Sprintf("10:%02d:00", v.seq%60), nil
	case "runtime.Interval":
		return fmt.Sprintf("PT%dS", v.seq), nil
	case "[]byte":
		return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("b%d", v.seq))), nil
	case "json.RawMessage":
		return map[string]any{"k": v.seq}, nil
	case "netip.Addr":
		return fmt.Sprintf("10.%d.%d.%d", v.seq/65536%256, v.seq/256%256, v.seq%256), nil
	case "netip.Prefix":
		return fmt.Sprintf("10.%d.%d.0/24", v.seq/256%256, v.seq%256), nil
	}
	return v.text(t, rules)
}

// bounded reports whether rules give a number a minimum or maximum, which
// the value then respects instead of the CHECK's literals.
func bounded(rules []model.Rule) bool {
	for _, r := range rules {
		if r.Minimum != nil || r.Maximum != nil {
			return true
		}
	}
	return false
}

// month is the year and month of generated dates; other shapes move it
// into the past, where partitions of old sample data lie.
func (v *values) month() string {
	return []string{"2024-01", "2022-03", "2007-02", "2019-06"}[v.shape%4]
}

// number picks a number within the rules' bounds and the type's range.
func (v *values) number(g model.GoType, t schema.Type, rules []model.Rule) (any, error) {
	lo, hi := math.Inf(-1), math.Inf(1)
	for _, r := range rules {
		if r.Minimum != nil {
			m := *r.Minimum
			if r.ExclusiveMin {
				m += 1
			}
			lo = math.Max(lo, m)
		}
		if r.Maximum != nil {
			m := *r.Maximum
			if r.ExclusiveMax {
				m -= 1
			}
			hi = math.Min(hi, m)
		}
	}
	switch t.Name {
	case "int2":
		hi = math.Min(hi, 32000)
	case "numeric":
		if len(t.Mods) >= 1 {
			digits := t.Mods[0]
			if len(t.Mods) == 2 {
				digits -= t.Mods[1]
			}
			hi = math.Min(hi, math.Pow(10, float64(digits))-1)
		}
	}
	for _, r := range rules {
		// numeric(p,s), as the API checks it: on SQLite, a DECIMAL(p,s)
		// whose declared type t does not spell.
		if r.Helper == "runtime.NumericFits" && len(r.Args) == 2 {
			p, _ := strconv.Atoi(r.Args[0])
			s, _ := strconv.Atoi(r.Args[1])
			hi = math.Min(hi, math.Pow(10, float64(p-s))-1)
		}
	}
	n := float64(v.seq)
	if !math.IsInf(lo, -1) && n < lo {
		n = math.Ceil(lo)
	}
	if n > hi {
		n = math.Floor(hi)
		if !math.IsInf(lo, -1) && lo > 0 && n > lo {
			n = math.Ceil(lo) + math.Mod(float64(v.seq), math.Max(1, math.Floor(hi)-math.Ceil(lo)))
		}
	}
	if n < lo || n > hi {
		return nil, errNoValue(fmt.Sprintf("no number between %v and %v", lo, hi))
	}
	if g.Kind == model.KindDecimal {
		return fmt.Sprintf("%d", int64(n)), nil
	}
	return n, nil
}

// textLiterals are valid inputs of types crudgen reads as text.
var textLiterals = map[string]string{
	"ltree": "a.b", "lquery": "a.*", "ltxtquery": "a", "tsvector": "word", "tsquery": "word",
	"point": "(1,2)", "line": "{1,-1,0}", "lseg": "[(0,0),(1,1)]", "box": "(1,1),(0,0)",
	"path": "[(0,0),(1,1)]", "polygon": "((0,0),(1,1),(1,0))", "circle": "<(0,0),1>",
	"int4range": "[1,2)", "int8range": "[1,2)", "numrange": "[1,2)", "daterange": "[2024-01-01,2024-01-02)",
	"tsrange": "[2024-01-01 00:00,2024-01-02 00:00)", "tstzrange": "[2024-01-01 00:00Z,2024-01-02 00:00Z)",
	"int4multirange": "{[1,2)}", "money": "1.00", "macaddr": "08:00:2b:01:02:03", "macaddr8": "08:00:2b:01:02:03:04:05",
	"xml": "<a/>", "bit": "1", "varbit": "1", "hstore": "a=>b", "timetz": "10:00:00+00", "oid": "1",
	"isbn": "978-0-306-40615-7", "isbn13": "978-0-306-40615-7", "issn": "0317-8471", "ean13": "978-0-306-40615-7",
	"upc": "012345678905", "cube": "(1,2)", "seg": "1", "txid_snapshot": "10:20:",
}

// text returns a string value: a literal of the type when it has its own
// syntax, else text shaped to the length and pattern rules.
func (v *values) text(t schema.Type, rules []model.Rule) (any, error) {
	if lit, ok := textLiterals[t.Name]; ok {
		return lit, nil
	}
	switch t.Kind {
	case schema.Composite:
		return nil, errNoValue("composite type " + t.String())
	case schema.Range, schema.BaseType:
		return nil, errNoValue("type " + t.String() + " has no known literal")
	case schema.Unknown:
		if t.Schema != "" && t.Name != "citext" {
			return nil, errNoValue("extension type " + t.String() + " has no known literal")
		}
	}
	minLen, maxLen := 0, 1<<30
	var patterns []*regexp.Regexp
	for _, r := range rules {
		switch {
		case r.MaxLength != nil:
			maxLen = min(maxLen, *r.MaxLength)
		case r.MinLength != nil:
			minLen = max(minLen, *r.MinLength)
		case r.Pattern != "":
			patterns = append(patterns, regexp.MustCompile(r.Pattern))
		}
	}
	if t.Name == "bpchar" && len(t.Mods) == 1 {
		minLen = int(t.Mods[0]) // char(n) pads, but a value of length n is safest
	}
	cands := v.candidates()
	for i := range cands {
		c := cands[(i+v.shape)%len(cands)]
		for len([]rune(c)) < minLen {
			c += "x"
		}
		if len([]rune(c)) > maxLen {
			c = string([]rune(c)[len([]rune(c))-maxLen:])
		}
		if matchAll(patterns, c) && len([]rune(c)) >= minLen {
			return c, nil
		}
	}
	return nil, errNoValue("no generated text matches the column's pattern")
}

// candidates are strings of different shapes for pattern rules.
func (v *values) candidates() []string {
	n := v.seq
	return []string{
		fmt.Sprintf("v%d", n), fmt.Sprintf("1.0.%d", n), fmt.Sprintf("%d", n), fmt.Sprintf("u%d@example.com", n),
		fmt.Sprintf("V%d", n), fmt.Sprintf("a-%d", n), fmt.Sprintf("ABC%d", n), string(rune('a' + n%26)),
		fmt.Sprintf("https://example.com/%d", n), strings.Repeat(string(rune('a'+n%26)), 3),
	}
}

// fitting keeps the strings the length and pattern rules accept.
func fitting(ss []string, rules []model.Rule) []string {
	var out []string
	for _, s := range ss {
		ok := true
		for _, r := range rules {
			n := len([]rune(s))
			switch {
			case r.MaxLength != nil && n > *r.MaxLength, r.MinLength != nil && n < *r.MinLength:
				ok = false
			case r.Pattern != "" && !regexp.MustCompile(r.Pattern).MatchString(s):
				ok = false
			}
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

func matchAll(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if !re.MatchString(s) {
			return false
		}
	}
	return true
}
