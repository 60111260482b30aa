package ddl

import "strings"

// RenameColumn returns a copy of e in which references to column old are
// references to column name, with its Text rewritten to match. PostgreSQL
// keeps expressions by column number, so a renamed column shows its new
// name in every check, index and generated column that uses it.
func RenameColumn(e *Expr, old, name string) *Expr {
	if e == nil || !refersTo(e, old) {
		return e
	}
	out := renameRefs(e, old, name)
	out.Text = renameIdentInText(e.Text, old, name)
	return out
}

func refersTo(e *Expr, col string) bool {
	if e == nil {
		return false
	}
	if e.Kind == ExprColumn && len(e.Names) > 0 && e.Names[len(e.Names)-1] == col {
		return true
	}
	for _, a := range e.Args {
		if refersTo(a, col) {
			return true
		}
	}
	return false
}

func renameRefs(e *Expr, old, name string) *Expr {
	if e == nil {
		return nil
	}
	c := *e
	if c.Kind == ExprColumn && len(c.Names) > 0 && c.Names[len(c.Names)-1] == old {
		c.Names = append(append([]string(nil), c.Names[:len(c.Names)-1]...), name)
	}
	if len(e.Args) > 0 {
		c.Args = make([]*Expr, len(e.Args))
		for i, a := range e.Args {
			c.Args[i] = renameRefs(a, old, name)
		}
	}
	return &c
}

// RenameIdentInText rewrites SQL text so identifier old reads name. It
// leaves strings, comments, function names and type names alone.
func RenameIdentInText(text, old, name string) string { return renameIdentInText(text, old, name) }

func renameIdentInText(text, old, name string) string {
	var b strings.Builder
	i := 0
	prevCast := false // the previous token was ::, so this one names a type
	for i < len(text) {
		c := text[i]
		switch {
		case c == '\'':
			end, _ := scanString(text, i, i > 0 && (text[i-1] == 'E' || text[i-1] == 'e'))
			b.WriteString(text[i:end])
			i = end
			prevCast = false
			continue
		case c == '$':
			if tag, ok := dollarTag(text, i); ok {
				if j := strings.Index(text[i+len(tag):], tag); j >= 0 {
					end := i + len(tag) + j + len(tag)
					b.WriteString(text[i:end])
					i = end
					continue
				}
			}
		case c == '"' || isIdentStart(c):
			var ident string
			end := i
			if c == '"' {
				end = scanQuotedIdent(text, i)
				ident = strings.ReplaceAll(strings.TrimSuffix(text[i+1:end], `"`), `""`, `"`)
			} else {
				for end < len(text) && isIdentChar(text[end]) {
					end++
				}
				ident = strings.ToLower(text[i:end])
			}
			next := end
			for next < len(text) && text[next] == ' ' {
				next++
			}
			isCall := next < len(text) && text[next] == '('
			if ident == old && !isCall && !prevCast {
				b.WriteString(QuoteIdent(name))
			} else {
				b.WriteString(text[i:end])
			}
			i = end
			prevCast = false
			continue
		case c == ':' && i+1 < len(text) && text[i+1] == ':':
			b.WriteString("::")
			i += 2
			prevCast = true
			continue
		}
		if c != ' ' {
			prevCast = false
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}
