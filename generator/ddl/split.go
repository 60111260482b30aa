package ddl

import (
	"path"
	"regexp"
	"strings"
)

// The splitter cuts an input file into SQL statements the way psql does: it
// understands quotes, dollar quoting, comments, parentheses and the
// BEGIN ... END bodies of SQL-standard functions, so semicolons inside them
// do not end a statement. It also handles what psql does on the client side:
// meta-commands (\restrict, \connect, \set, \i...) are removed, COPY ... FROM
// stdin data is skipped, and psql variables are found. Everything it removes
// is overwritten with spaces, so byte offsets and line numbers stay those of
// the file.

// chunk is one statement as the splitter found it.
type chunk struct {
	file  *text
	start int    // byte offset of the statement's first token in file.src
	body  string // statement text from start, without the terminating ';'
	vars  []varRef
	// escStrings holds offsets (relative to body) of string literals that
	// need an E prefix because standard_conforming_strings was off.
	escStrings []int
}

// varRef is a psql variable reference (:name, :'name' or :"name").
type varRef struct {
	start, end int // relative to chunk body
	name       string
	quote      byte // 0, '\'' or '"'
}

// metaCommand is a psql backslash command.
type metaCommand struct {
	file *text
	off  int
	name string // without the backslash
	args string
}

// item is either a statement or a meta-command, in input order.
type item struct {
	chunk *chunk
	meta  *metaCommand
}

// session is the client-side state psql keeps while reading files.
type session struct {
	stdStrings bool              // standard_conforming_strings
	vars       map[string]string // psql variables (\set, -v)
}

// includeFunc reads a file named by \i or \ir.
type includeFunc func(from *text, name string, relative bool) (*text, error)

type splitter struct {
	sess    *session
	include includeFunc
	items   []item
	errs    []*Error
	depth   int
}

const maxIncludeDepth = 16

var (
	setStdStrings = regexp.MustCompile(`(?is)^\s*set\s+(?:session\s+|local\s+)?standard_conforming_strings\s*(?:=|\bto\b)\s*'?(\w+)'?`)
	copyFromStdin = regexp.MustCompile(`(?is)^\s*copy\b.*\bfrom\s+stdin\b`)
)

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func isIdentChar(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '$'
}

// split appends the items of t to s.items.
func (s *splitter) split(t *text) {
	src := t.src
	blank := []byte(src) // src with meta-commands and COPY data blanked out
	erase := func(from, to int) {
		for i := from; i < to && i < len(blank); i++ {
			if blank[i] != '\n' {
				blank[i] = ' '
			}
		}
	}

	var (
		firstTok   = -1 // offset of its first token
		paren      = 0
		beginDepth = 0
		idents     []string // first identifiers of the statement, lower case
		identCount = 0
		vars       []varRef
		escStrings []int
	)
	reset := func() {
		firstTok, paren, beginDepth, identCount = -1, 0, 0, 0
		idents, vars, escStrings = idents[:0], nil, nil
	}
	mark := func(i int) {
		if firstTok < 0 {
			firstTok = i
		}
	}
	// finish ends the current statement at end (exclusive) and returns
	// where scanning continues.
	finish := func(end, next int) int {
		if firstTok >= 0 {
			c := &chunk{file: t, start: firstTok, body: string(blank[firstTok:end])}
			for _, v := range vars {
				v.start -= firstTok
				v.end -= firstTok
				c.vars = append(c.vars, v)
			}
			for _, e := range escStrings {
				c.escStrings = append(c.escStrings, e-firstTok)
			}
			s.items = append(s.items, item{chunk: c})
			if m := setStdStrings.FindStringSubmatch(c.body); m != nil {
				switch strings.ToLower(m[1]) {
				case "on", "true", "1", "yes":
					s.sess.stdStrings = true
				case "off", "false", "0", "no":
					s.sess.stdStrings = false
				}
			}
			if copyFromStdin.MatchString(c.body) {
				next = skipCopyData(src, next, erase)
			}
		}
		reset()
		return next
	}

	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			i = skipBlockComment(src, i)
		case c == '\'':
			mark(i)
			escapes := false
			prefix := i
			if i > 0 && (src[i-1] == 'e' || src[i-1] == 'E') && (i < 2 || !isIdentChar(src[i-2])) {
				escapes = true
				prefix = i - 1
			}
			plain := prefix == i && (i == 0 || !isIdentChar(src[i-1]))
			end, hasBackslash := scanString(src, i, escapes || !s.sess.stdStrings)
			if plain && !s.sess.stdStrings && hasBackslash {
				escStrings = append(escStrings, i)
			}
			i = end
		case c == '"':
			mark(i)
			i = scanQuotedIdent(src, i)
		case c == '$' && (i == 0 || !isIdentChar(src[i-1])):
			mark(i)
			if tag, ok := dollarTag(src, i); ok {
				if j := strings.Index(src[i+len(tag):], tag); j >= 0 {
					i += len(tag) + j + len(tag)
				} else {
					i = len(src)
				}
			} else {
				i++
			}
		case c == '(':
			mark(i)
			paren++
			i++
		case c == ')':
			mark(i)
			if paren > 0 {
				paren--
			}
			i++
		case c == ';':
			if paren == 0 && beginDepth == 0 {
				i = finish(i, i+1)
				continue
			}
			i++
		case c == ':' && i+1 < len(src) && src[i+1] == ':':
			mark(i)
			i += 2
		case c == ':':
			mark(i)
			if v, ok := scanVarRef(src, i); ok {
				vars = append(vars, v)
				i = v.end
			} else {
				i++
			}
		case c == '\\':
			end := lineEnd(src, i)
			m := parseMeta(t, i, src[i:end])
			erase(i, end)
			i = end
			if m.name == "g" || m.name == "gx" || m.name == "gset" || m.name == "gexec" || m.name == ";" {
				i = finish(m.off, i)
			}
			s.meta(m)
		case isIdentStart(c):
			mark(i)
			j := i + 1
			for j < len(src) && isIdentChar(src[j]) {
				j++
			}
			word := strings.ToLower(src[i:j])
			if identCount < 4 {
				idents = append(idents, word)
			}
			identCount++
			if paren == 0 && createsRoutine(idents) {
				switch word {
				case "begin":
					beginDepth++
				case "case":
					if beginDepth > 0 {
						beginDepth++
					}
				case "end":
					if beginDepth > 0 {
						beginDepth--
					}
				}
			}
			i = j
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		default:
			mark(i)
			i++
		}
	}
	finish(len(src), len(src))
}

// createsRoutine reports whether the statement starts with
// CREATE [OR REPLACE] FUNCTION|PROCEDURE, where psql tracks BEGIN ... END.
func createsRoutine(w []string) bool {
	if len(w) < 2 || w[0] != "create" {
		return false
	}
	if w[1] == "function" || w[1] == "procedure" {
		return true
	}
	return len(w) >= 4 && w[1] == "or" && w[2] == "replace" && (w[3] == "function" || w[3] == "procedure")
}

func (s *splitter) meta(m *metaCommand) {
	s.items = append(s.items, item{meta: m})
	switch m.name {
	case "set":
		if name, value, ok := parseSetArgs(m.args); ok {
			s.sess.vars[name] = value
		}
	case "unset":
		delete(s.sess.vars, strings.TrimSpace(m.args))
	case "i", "include", "ir", "include_relative":
		name := unquoteMetaArg(strings.TrimSpace(m.args))
		if name == "" {
			s.errs = append(s.errs, Errorf(m.file.pos(m.off), `\%s: missing the file name`, m.name))
			return
		}
		if s.include == nil {
			s.errs = append(s.errs, Errorf(m.file.pos(m.off), `\%s: including files is not supported here`, m.name))
			return
		}
		if s.depth >= maxIncludeDepth {
			s.errs = append(s.errs, Errorf(m.file.pos(m.off), `\%s %s: includes nested more than %d deep`, m.name, name, maxIncludeDepth))
			return
		}
		inc, err := s.include(m.file, name, m.name == "ir" || m.name == "include_relative")
		if err != nil {
			s.errs = append(s.errs, Errorf(m.file.pos(m.off), `\%s %s: %v`, m.name, name, err))
			return
		}
		s.depth++
		s.split(inc)
		s.depth--
	}
}

// includePath resolves the file name of \i or \ir the way psql does: \ir is
// relative to the including file, \i to the working directory.
func includePath(from, name string, relative bool) string {
	if relative && !path.IsAbs(name) {
		return path.Join(path.Dir(from), name)
	}
	return name
}

func skipBlockComment(src string, i int) int {
	depth := 0
	for i < len(src) {
		switch {
		case src[i] == '/' && i+1 < len(src) && src[i+1] == '*':
			depth++
			i += 2
		case src[i] == '*' && i+1 < len(src) && src[i+1] == '/':
			depth--
			i += 2
			if depth == 0 {
				return i
			}
		default:
			i++
		}
	}
	return i
}

// scanString returns the offset after the string literal starting at i and
// whether it holds a backslash.
func scanString(src string, i int, escapes bool) (int, bool) {
	backslash := false
	i++
	for i < len(src) {
		switch src[i] {
		case '\\':
			backslash = true
			if escapes {
				i += 2
				continue
			}
		case '\'':
			if i+1 < len(src) && src[i+1] == '\'' {
				i += 2
				continue
			}
			return i + 1, backslash
		}
		i++
	}
	return len(src), backslash
}

func scanQuotedIdent(src string, i int) int {
	i++
	for i < len(src) {
		if src[i] == '"' {
			if i+1 < len(src) && src[i+1] == '"' {
				i += 2
				continue
			}
			return i + 1
		}
		i++
	}
	return len(src)
}

// dollarTag returns the $tag$ delimiter starting at i, if there is one.
func dollarTag(src string, i int) (string, bool) {
	j := i + 1
	if j < len(src) && src[j] == '$' {
		return "$$", true
	}
	if j >= len(src) || !isIdentStart(src[j]) {
		return "", false
	}
	for j < len(src) && isIdentChar(src[j]) && src[j] != '$' {
		j++
	}
	if j < len(src) && src[j] == '$' {
		return src[i : j+1], true
	}
	return "", false
}

// scanVarRef recognizes :name, :'name' and :"name" at i.
func scanVarRef(src string, i int) (varRef, bool) {
	j := i + 1
	if j >= len(src) {
		return varRef{}, false
	}
	if q := src[j]; q == '\'' || q == '"' {
		k := j + 1
		for k < len(src) && isIdentChar(src[k]) {
			k++
		}
		if k > j+1 && k < len(src) && src[k] == q {
			return varRef{start: i, end: k + 1, name: src[j+1 : k], quote: q}, true
		}
		return varRef{}, false
	}
	if !isIdentStart(src[j]) {
		return varRef{}, false
	}
	k := j
	for k < len(src) && isIdentChar(src[k]) && src[k] != '$' {
		k++
	}
	return varRef{start: i, end: k, name: src[j:k]}, true
}

func lineEnd(src string, i int) int {
	if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(src)
}

// skipCopyData blanks the data lines after COPY ... FROM stdin, up to and
// including the terminating \. line, and returns where scanning resumes.
func skipCopyData(src string, from int, erase func(int, int)) int {
	start := lineEnd(src, from)
	if start < len(src) {
		start++
	}
	for i := start; i < len(src); {
		end := lineEnd(src, i)
		if strings.TrimRight(src[i:end], "\r") == `\.` {
			erase(start, end)
			return end
		}
		if end >= len(src) {
			break
		}
		i = end + 1
	}
	erase(start, len(src))
	return len(src)
}

// parseMeta reads a backslash command line: its name and arguments.
func parseMeta(t *text, off int, line string) *metaCommand {
	line = strings.TrimRight(line[1:], "\r")
	n := 0
	for n < len(line) && line[n] != ' ' && line[n] != '\t' && line[n] != '\\' {
		n++
	}
	if n == 0 && len(line) > 0 {
		n = 1 // \; \! \? \.
	}
	return &metaCommand{file: t, off: off, name: line[:n], args: strings.TrimSpace(line[n:])}
}

// parseSetArgs reads `\set name value...`; psql concatenates the values.
func parseSetArgs(args string) (name, value string, ok bool) {
	fields := metaFields(args)
	if len(fields) == 0 {
		return "", "", false
	}
	return fields[0], strings.Join(fields[1:], ""), true
}

// metaFields splits meta-command arguments, honouring single quotes.
func metaFields(s string) []string {
	var out []string
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return out
		}
		var b strings.Builder
		i := 0
		for i < len(s) && s[i] != ' ' && s[i] != '\t' {
			if s[i] == '\'' {
				i++
				for i < len(s) {
					if s[i] == '\'' {
						if i+1 < len(s) && s[i+1] == '\'' {
							b.WriteByte('\'')
							i += 2
							continue
						}
						i++
						break
					}
					b.WriteByte(s[i])
					i++
				}
				continue
			}
			b.WriteByte(s[i])
			i++
		}
		out = append(out, b.String())
		s = s[i:]
	}
}

func unquoteMetaArg(s string) string {
	if f := metaFields(s); len(f) > 0 {
		return f[0]
	}
	return s
}
