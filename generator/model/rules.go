package model

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/schema"
)

// Validation rules come from the column type (varchar(n), enums), the
// CHECK constraints of the table that concern only this column, and the
// CHECKs of the domains the type goes through. Only the forms below become
// Go code; the database still enforces every constraint, and its error is
// mapped to a 422 located at the constraint's columns.
//
//	col op constant           (op: < <= > >=)
//	col BETWEEN a AND b
//	col IN (a, b) / col = ANY (ARRAY[a, b])
//	length(col) op n, char_length(col) op n, length(col) BETWEEN a AND b
//	col ~ 'regex', col ~* 'regex' (when Go's regexp accepts the pattern)
//	AND of the above

func (b *builder) rules(r *Resource, f *Field, domains []*schema.DomainType) {
	if r.ReadOnly {
		return // views take no requests
	}
	t := b.baseType(f.Column.Type)
	var rules []Rule
	if p, s, ok := numericMods(t); ok && !t.IsArray() {
		// PostgreSQL's overflow error names no column: check it here.
		rules = append(rules, Rule{Code: "maximum", Helper: "runtime.NumericFits", Args: []string{strconv.Itoa(p), strconv.Itoa(s)}, Note: fmt.Sprintf("Must fit numeric(%d,%d).", p, s)})
	}
	if n, ok := maxChars(t); ok {
		if t.IsArray() {
			f.ElemRules = append(f.ElemRules, maxLengthRule(n))
		} else {
			rules = append(rules, maxLengthRule(n))
		}
	}
	if t.Kind == schema.Builtin && t.Name == "name" {
		// PostgreSQL truncates a longer name silently.
		r := Rule{Code: "max_length", Helper: "runtime.MaxBytes", Args: []string{"63"}, Note: "At most 63 bytes in UTF-8."}
		if t.IsArray() {
			f.ElemRules = append(f.ElemRules, r)
		} else {
			rules = append(rules, r)
		}
	}
	if t.Kind == schema.Unknown && t.Name == "hstore" && t.Schema != "" {
		// PostgreSQL 15 reports bad hstore text as an internal error,
		// which the API could not tell from a real one: check it here.
		r := Rule{Code: "format", Helper: "runtime.Hstore", Note: `Must be hstore text: "key"=>"value" pairs separated by commas.`}
		if t.IsArray() {
			f.ElemRules = append(f.ElemRules, r)
		} else {
			rules = append(rules, r)
		}
	}
	if f.Type.Enum != nil {
		rules = append(rules, enumRule(f.Type.Enum))
	} else if f.Type.Elem != nil && f.Type.Elem.Enum != nil {
		f.ElemRules = append(f.ElemRules, enumRule(f.Type.Elem.Enum))
	}
	if !t.IsArray() {
		for _, k := range r.Table.Checks {
			if cols := exprColumns(k.Expr); len(cols) == 1 && cols[0] == f.Name {
				rules = append(rules, checkRules(k.Expr, f.Name, f.Type.Kind)...)
			}
		}
		for _, d := range domains {
			for _, k := range d.Checks {
				rules = append(rules, checkRules(k.Expr, "value", f.Type.Kind)...)
			}
		}
	}
	f.Rules = tightestBounds(rules)
	if f.Type.Elem == nil {
		// An array read as text (int[][], bytea[]) has no elements in Go
		// to check: the database checks them.
		f.ElemRules = nil
	}
	// Patterns compile once, into package-level variables.
	for _, list := range [][]Rule{f.Rules, f.ElemRules} {
		for i := range list {
			if list[i].Pattern != "" {
				name := b.names.unique(r.Var + f.GoName + "Pattern")
				r.Patterns = append(r.Patterns, PatternVar{Name: name, Pattern: list[i].Pattern})
				list[i].Args = []string{name}
			}
		}
	}
}

// enumRule checks an enum value with its generated Valid method.
func enumRule(e *Enum) Rule {
	return Rule{Code: "enum", Helper: "runtime.OneOf", Value: "%s.Valid()", Args: []string{strconv.Quote(enumList(e))}}
}

// Call returns the Go call that checks value, reporting at loc (a list of
// Go expressions).
func (r Rule) Call(value, loc string) string {
	v := value
	if r.Value != "" {
		v = fmt.Sprintf(r.Value, value)
	}
	args := append([]string{"&errs", v}, r.Args...)
	return r.Helper + "(" + strings.Join(args, ", ") + ", " + loc + ")"
}

func enumList(e *Enum) string {
	vs := make([]string, len(e.Values))
	for i, v := range e.Values {
		vs[i] = v.Value
	}
	return strings.Join(vs, ", ")
}

// numericMods returns p and s of numeric(p,s).
func numericMods(t schema.Type) (int, int, bool) {
	if t.Kind != schema.Builtin || t.Name != "numeric" || len(t.Mods) == 0 {
		return 0, 0, false
	}
	s := 0
	if len(t.Mods) > 1 {
		s = int(t.Mods[1])
	}
	return int(t.Mods[0]), s, true
}

// tightestBounds keeps one minimum and one maximum per field, the tightest,
// when a column CHECK and a domain CHECK both bound it.
func tightestBounds(rules []Rule) []Rule {
	var out []Rule
	minAt, maxAt := -1, -1
	tighter := func(a, b *float64, excA, excB bool, lower bool) bool {
		if *a != *b {
			return (*a > *b) == lower
		}
		return excA && !excB
	}
	for _, r := range rules {
		switch {
		case r.Minimum != nil && minAt >= 0:
			if tighter(r.Minimum, out[minAt].Minimum, r.ExclusiveMin, out[minAt].ExclusiveMin, true) {
				out[minAt] = r
			}
		case r.Maximum != nil && maxAt >= 0:
			if tighter(r.Maximum, out[maxAt].Maximum, r.ExclusiveMax, out[maxAt].ExclusiveMax, false) {
				out[maxAt] = r
			}
		default:
			if r.Minimum != nil {
				minAt = len(out)
			}
			if r.Maximum != nil {
				maxAt = len(out)
			}
			out = append(out, r)
		}
	}
	return out
}

// maxChars returns n of varchar(n) and char(n).
func maxChars(t schema.Type) (int, bool) {
	if t.Kind == schema.Builtin && (t.Name == "varchar" || t.Name == "bpchar") && len(t.Mods) == 1 {
		return int(t.Mods[0]), true
	}
	return 0, false
}

func maxLengthRule(n int) Rule {
	return Rule{Code: "max_length", Helper: "runtime.MaxLength", Args: []string{strconv.Itoa(n)}, MaxLength: &n}
}

func minLengthRule(n int) Rule {
	return Rule{Code: "min_length", Helper: "runtime.MinLength", Args: []string{strconv.Itoa(n)}, MinLength: &n}
}

// checkRules turns a CHECK expression on column col into rules, skipping
// what it cannot express.
func checkRules(e *ddl.Expr, col string, kind Kind) []Rule {
	if e == nil {
		return nil
	}
	switch e.Kind {
	case ddl.ExprAnd:
		var out []Rule
		for _, a := range e.Args {
			out = append(out, checkRules(a, col, kind)...)
		}
		return out
	case ddl.ExprOp:
		if len(e.Args) != 2 || len(e.Names) != 1 {
			return nil
		}
		op := e.Names[0]
		left, right := e.Args[0], e.Args[1]
		if isCol(right, col) || isLength(right, col) {
			left, right, op = right, left, flip(op)
		}
		switch {
		case (op == "~" || op == "~*") && isCol(left, col) && kind == KindString:
			if s, ok := stringConst(right); ok {
				return patternRule(s, op == "~*")
			}
		case isLength(left, col) && kind == KindString:
			if n, ok := intConst(right); ok {
				return lengthRules(op, n)
			}
		case isCol(left, col) && (kind == KindInt || kind == KindFloat || kind == KindDecimal):
			if v, ok := numConst(right); ok {
				return boundRules(op, v, kind)
			}
		}
	case ddl.ExprBetween:
		if e.Not || len(e.Args) != 3 {
			return nil
		}
		switch {
		case isLength(e.Args[0], col) && kind == KindString:
			lo, ok1 := intConst(e.Args[1])
			hi, ok2 := intConst(e.Args[2])
			if ok1 && ok2 {
				return append(lengthRules(">=", lo), lengthRules("<=", hi)...)
			}
		case isCol(e.Args[0], col) && (kind == KindInt || kind == KindFloat || kind == KindDecimal):
			lo, ok1 := numConst(e.Args[1])
			hi, ok2 := numConst(e.Args[2])
			if ok1 && ok2 {
				return append(boundRules(">=", lo, kind), boundRules("<=", hi, kind)...)
			}
		}
	case ddl.ExprIn:
		if !e.Not && isCol(e.Args[0], col) && kind == KindString {
			return inRule(e.Args[1:])
		}
	case ddl.ExprOpAny:
		if len(e.Names) == 1 && e.Names[0] == "=" && isCol(e.Args[0], col) && kind == KindString {
			arr := unwrap(e.Args[1])
			if arr.Kind == ddl.ExprArray {
				return inRule(arr.Args)
			}
		}
	}
	return nil
}

func flip(op string) string {
	return map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "<>": "<>"}[op]
}

// unwrap removes casts and collations.
func unwrap(e *ddl.Expr) *ddl.Expr {
	for e != nil && (e.Kind == ddl.ExprCast || e.Kind == ddl.ExprCollate) && len(e.Args) == 1 {
		e = e.Args[0]
	}
	return e
}

func isCol(e *ddl.Expr, col string) bool {
	e = unwrap(e)
	return e != nil && e.Kind == ddl.ExprColumn && len(e.Names) > 0 && strings.EqualFold(e.Names[len(e.Names)-1], col)
}

func isLength(e *ddl.Expr, col string) bool {
	e = unwrap(e)
	if e == nil || e.Kind != ddl.ExprFunc || len(e.Args) != 1 || len(e.Names) == 0 {
		return false
	}
	switch e.Names[len(e.Names)-1] {
	case "length", "char_length", "character_length":
		return isCol(e.Args[0], col)
	}
	return false
}

func stringConst(e *ddl.Expr) (string, bool) {
	e = unwrap(e)
	if e != nil && e.Kind == ddl.ExprConst && e.Const == ddl.ConstString {
		return e.Value, true
	}
	return "", false
}

func intConst(e *ddl.Expr) (int, bool) {
	v, ok := numConst(e)
	if !ok || !v.IsInt() || !v.Num().IsInt64() {
		return 0, false
	}
	return int(v.Num().Int64()), true
}

// numConst reads a numeric literal, possibly negated or cast.
func numConst(e *ddl.Expr) (*big.Rat, bool) {
	e = unwrap(e)
	if e == nil {
		return nil, false
	}
	if e.Kind == ddl.ExprOp && len(e.Args) == 1 && len(e.Names) == 1 && e.Names[0] == "-" {
		v, ok := numConst(e.Args[0])
		if !ok {
			return nil, false
		}
		return new(big.Rat).Neg(v), true
	}
	if e.Kind == ddl.ExprConst && (e.Const == ddl.ConstInt || e.Const == ddl.ConstFloat || e.Const == ddl.ConstString) {
		v, ok := new(big.Rat).SetString(e.Value)
		return v, ok
	}
	return nil, false
}

func lengthRules(op string, n int) []Rule {
	switch op {
	case "<=":
		return []Rule{maxLengthRule(n)}
	case "<":
		return []Rule{maxLengthRule(n - 1)}
	case ">=":
		return []Rule{minLengthRule(n)}
	case ">":
		return []Rule{minLengthRule(n + 1)}
	case "=":
		return []Rule{minLengthRule(n), maxLengthRule(n)}
	}
	return nil
}

func boundRules(op string, v *big.Rat, kind Kind) []Rule {
	f, _ := v.Float64()
	lit := v.RatString()
	if !v.IsInt() {
		lit = v.FloatString(decimals(v))
	}
	arg := lit
	helper := "runtime.Minimum"
	if kind == KindDecimal {
		arg = strconv.Quote(lit)
		helper = "runtime.MinimumDecimal"
	} else if kind == KindInt && !v.IsInt() {
		return nil // an integer column compared with a fraction: leave it to the database
	}
	maxHelper := strings.Replace(helper, "Minimum", "Maximum", 1)
	switch op {
	case ">=":
		return []Rule{{Code: "minimum", Helper: helper, Args: []string{arg, "false"}, Minimum: &f}}
	case ">":
		return []Rule{{Code: "minimum", Helper: helper, Args: []string{arg, "true"}, Minimum: &f, ExclusiveMin: true}}
	case "<=":
		return []Rule{{Code: "maximum", Helper: maxHelper, Args: []string{arg, "false"}, Maximum: &f}}
	case "<":
		return []Rule{{Code: "maximum", Helper: maxHelper, Args: []string{arg, "true"}, Maximum: &f, ExclusiveMax: true}}
	}
	return nil
}

// decimals is the number of fractional digits a terminating fraction needs.
func decimals(v *big.Rat) int {
	for n := 1; n < 40; n++ {
		s := v.FloatString(n)
		if r, ok := new(big.Rat).SetString(s); ok && r.Cmp(v) == 0 {
			return n
		}
	}
	return 40
}

func patternRule(pattern string, insensitive bool) []Rule {
	goPattern := pattern
	if insensitive {
		goPattern = "(?i)" + pattern
	}
	if _, err := regexp.Compile(goPattern); err != nil {
		return nil // a PostgreSQL regular expression Go does not read
	}
	return []Rule{{Code: "pattern", Helper: "runtime.Pattern", Pattern: goPattern}}
}

func inRule(args []*ddl.Expr) []Rule {
	var values []string
	for _, a := range args {
		s, ok := stringConst(a)
		if !ok {
			return nil
		}
		values = append(values, s)
	}
	list := make([]string, len(values))
	for i, v := range values {
		list[i] = strconv.Quote(v)
	}
	return []Rule{{Code: "enum", Helper: "runtime.In", Args: []string{"[]string{" + strings.Join(list, ", ") + "}"}, Enum: values}}
}
