package sweep

import (
	"slices"
	"strconv"
	"strings"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/schema"
)

// hint holds the literals the CHECKs of a table compare one column with
// (upper(persontype) IN ('SC', 'VC') gives SC and VC; payfrequency IN
// (1, 2) gives 1 and 2; url LIKE 'https://%' gives https://x): values that
// a CHECK the model could not turn into a rule will likely accept.
type hint struct {
	strings []string
	ints    []int64
}

// hints collects the literals of the comparisons that read column col
// directly (through casts and functions like upper). Literals the column
// must differ from or match as a regular expression are no values.
func hints(t *schema.Table, col string) hint {
	var h hint
	for _, k := range t.Checks {
		walk(k.Expr, func(e *ddl.Expr) {
			var lits []*ddl.Expr
			switch e.Kind {
			case ddl.ExprOp:
				if len(e.Args) != 2 || len(e.Names) == 0 || !isColumn(e.Args[0], col) {
					return
				}
				switch op := e.Names[len(e.Names)-1]; op {
				case "=", "<", "<=", ">", ">=":
					lits = e.Args[1:]
				case "~~", "~~*":
					if s, ok := literal(e.Args[1]); ok && s.Const == ddl.ConstString {
						h.add(&ddl.Expr{Kind: ddl.ExprConst, Const: ddl.ConstString, Value: likeExample(s.Value)})
					}
					return
				default:
					return
				}
			case ddl.ExprIn, ddl.ExprBetween, ddl.ExprOpAny:
				if e.Not || len(e.Args) < 2 || !isColumn(e.Args[0], col) {
					return
				}
				lits = e.Args[1:]
			default:
				return
			}
			for _, l := range lits {
				walk(l, func(e *ddl.Expr) {
					if c, ok := literal(e); ok {
						h.add(c)
					}
				})
			}
		})
	}
	return h
}

func (h *hint) add(c *ddl.Expr) {
	switch c.Const {
	case ddl.ConstString:
		if !slices.Contains(h.strings, c.Value) {
			h.strings = append(h.strings, c.Value)
		}
	case ddl.ConstInt:
		if n, err := strconv.ParseInt(c.Value, 10, 64); err == nil && !slices.Contains(h.ints, n) {
			h.ints = append(h.ints, n)
		}
	}
}

// isColumn reports whether e reads col, possibly through casts and
// function calls (upper(col), col::text, octet_length(col)).
func isColumn(e *ddl.Expr, col string) bool {
	switch e.Kind {
	case ddl.ExprColumn:
		return len(e.Names) > 0 && e.Names[len(e.Names)-1] == col
	case ddl.ExprCast, ddl.ExprFunc, ddl.ExprCollate:
		return len(e.Args) > 0 && isColumn(e.Args[0], col)
	}
	return false
}

// literal returns the constant e is, through casts.
func literal(e *ddl.Expr) (*ddl.Expr, bool) {
	for e.Kind == ddl.ExprCast && len(e.Args) == 1 {
		e = e.Args[0]
	}
	return e, e.Kind == ddl.ExprConst
}

// likeExample is a string a LIKE pattern matches.
func likeExample(p string) string {
	return strings.NewReplacer("%", "x", "_", "x").Replace(p)
}

// inCheck reports whether a CHECK of t reads column col.
func inCheck(t *schema.Table, col string) bool {
	for _, k := range t.Checks {
		if mentions(k.Expr, col) {
			return true
		}
	}
	return false
}

func mentions(e *ddl.Expr, col string) bool {
	found := false
	walk(e, func(e *ddl.Expr) {
		if e.Kind == ddl.ExprColumn && len(e.Names) > 0 && e.Names[len(e.Names)-1] == col {
			found = true
		}
	})
	return found
}

func walk(e *ddl.Expr, f func(*ddl.Expr)) {
	if e == nil {
		return
	}
	f(e)
	for _, a := range e.Args {
		walk(a, f)
	}
}
