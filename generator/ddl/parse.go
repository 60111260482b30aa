package ddl

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v6"
	pgparser "github.com/pganalyze/pg_query_go/v6/parser"

	"github.com/crudgen/crudgen/generator/source"
)

// Options control parsing.
type Options struct {
	// Vars are psql variables, as psql -v NAME=VALUE would set them.
	Vars map[string]string
	// ReadFile reads files named by psql's \i and \ir; nil reads from disk.
	ReadFile func(name string) ([]byte, error)
}

// Result is the outcome of Parse.
type Result struct {
	Statements []*Statement
	// Notes lists what was read but left out: psql meta-commands and
	// statements that only use psql variables nobody set.
	Notes []*Error
}

// ErrorList is a list of located errors, reported together.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// maxErrors bounds how many syntax errors Parse reports at once.
const maxErrors = 10

// Parse reads the files in order, like psql -f on each, and returns their
// statements. Client-side state that psql keeps per session
// (standard_conforming_strings) starts afresh in each file; psql variables
// carry over. Syntax errors come back as an ErrorList.
func Parse(files []source.File, opts Options) (*Result, error) {
	sess := &session{vars: map[string]string{}}
	for k, v := range opts.Vars {
		sess.vars[k] = v
	}
	readFile := opts.ReadFile
	if readFile == nil {
		readFile = os.ReadFile
	}
	sp := &splitter{sess: sess, include: func(from *text, name string, relative bool) (*text, error) {
		p := includePath(from.name, name, relative)
		b, err := readFile(p)
		if err != nil {
			return nil, err
		}
		return newText(p, string(b)), nil
	}}
	res := &Result{}
	var errs ErrorList
	for _, f := range files {
		sess.stdStrings = true
		sp.items = sp.items[:0]
		sp.split(newText(f.Name, f.Text))
		errs = append(errs, sp.errs...)
		sp.errs = nil
		parsed := parseChunks(sp.items, sess.vars)
		for i, it := range sp.items {
			if len(errs) >= maxErrors {
				return nil, errs
			}
			if it.meta != nil {
				res.Notes = append(res.Notes, Errorf(it.meta.file.pos(it.meta.off), `psql meta-command \%s skipped`, it.meta.name))
				continue
			}
			p := parsed[i]
			if p.err != nil {
				errs = append(errs, p.err)
				continue
			}
			if p.note != nil {
				res.Notes = append(res.Notes, p.note)
			}
			res.Statements = append(res.Statements, p.stmts...)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return res, nil
}

// parsedChunk is what parseChunk gives for one chunk.
type parsedChunk struct {
	stmts     []*Statement
	note, err *Error
}

// parseChunks parses the chunks of the items on every core, each into its
// own slot, so the statements keep their order: libpg_query is
// thread-safe, and parsing is most of what loading a large schema costs.
func parseChunks(items []item, vars map[string]string) []parsedChunk {
	out := make([]parsedChunk, len(items))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(items); i = int(next.Add(1)) - 1 {
				if c := items[i].chunk; c != nil {
					p := &out[i]
					p.stmts, p.note, p.err = parseChunk(c, vars)
				}
			}
		})
	}
	wg.Wait()
	return out
}

// parseText is a chunk prepared for the parser: psql variables substituted
// and escape strings marked, with a map back to chunk offsets.
type parseText struct {
	sql  string
	segs []segment
}

// segment says that sql[at:] continues chunk body offset orig.
type segment struct{ at, orig int }

// orig maps an offset in sql back to an offset in the chunk body.
func (p *parseText) orig(off int) int {
	i := sort.Search(len(p.segs), func(i int) bool { return p.segs[i].at > off }) - 1
	if i < 0 {
		return off
	}
	return p.segs[i].orig + off - p.segs[i].at
}

// prepare builds the text to parse. Defined variables are substituted as
// psql would; with placeholders, undefined ones become the bare name,
// a string or an identifier, so the statement can at least be classified.
func prepare(c *chunk, vars map[string]string, placeholders bool) (parseText, []varRef) {
	type edit struct {
		start, end int
		repl       string
	}
	var edits []edit
	var undefined []varRef
	for _, off := range c.escStrings {
		edits = append(edits, edit{off, off, "E"})
	}
	for _, v := range c.vars {
		val, ok := vars[v.name]
		if !ok {
			undefined = append(undefined, v)
			if !placeholders {
				continue
			}
			val = v.name
		}
		switch v.quote {
		case '\'':
			val = "'" + strings.ReplaceAll(val, "'", "''") + "'"
		case '"':
			val = `"` + strings.ReplaceAll(val, `"`, `""`) + `"`
		}
		edits = append(edits, edit{v.start, v.end, val})
	}
	if len(edits) == 0 {
		return parseText{sql: c.body}, undefined
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var b strings.Builder
	p := parseText{segs: []segment{{0, 0}}}
	last := 0
	for _, e := range edits {
		b.WriteString(c.body[last:e.start])
		b.WriteString(e.repl)
		last = e.end
		p.segs = append(p.segs, segment{b.Len(), e.end})
	}
	b.WriteString(c.body[last:])
	p.sql = b.String()
	return p, undefined
}

func parseChunk(c *chunk, vars map[string]string) ([]*Statement, *Error, *Error) {
	pt, undefined := prepare(c, vars, false)
	tree, err := pg.Parse(pt.sql)
	if err != nil && len(undefined) > 0 {
		// psql would send the statement with :name left in place and the
		// server would reject it. A statement that does not shape data
		// (GRANT ... TO :"PGUSER") can be skipped; one that does cannot.
		pt2, _ := prepare(c, vars, true)
		if tree2, err2 := pg.Parse(pt2.sql); err2 == nil {
			v := undefined[0]
			at := c.file.pos(c.start + v.start)
			for _, raw := range tree2.Stmts {
				cv := &converter{pos: func(int32) Pos { return at }}
				for _, n := range cv.stmt(raw.Stmt) {
					if _, ok := n.(*Other); !ok {
						return nil, nil, Errorf(at, "psql variable %s is not set; it is used in a statement that shapes data", c.body[v.start:v.end])
					}
				}
			}
			return nil, Errorf(at, "statement skipped: psql variable %s is not set", c.body[v.start:v.end]), nil
		}
	}
	if err != nil {
		return nil, nil, chunkError(c, &pt, err)
	}
	var out []*Statement
	for _, raw := range tree.Stmts {
		base := int(raw.StmtLocation)
		cv := &converter{sql: pt.sql, pos: func(loc int32) Pos {
			if loc < 0 {
				loc = int32(base) // #nosec G115 -- base came from the int32 StmtLocation
			}
			return c.file.pos(c.start + pt.orig(int(loc)))
		}}
		start := c.start + pt.orig(base)
		end := len(pt.sql)
		if raw.StmtLen > 0 {
			end = base + int(raw.StmtLen)
		}
		text := strings.TrimSpace(c.body[pt.orig(base):pt.orig(end)])
		for _, n := range cv.stmt(raw.Stmt) {
			out = append(out, &Statement{Pos: c.file.pos(start), Text: text, Node: n})
		}
		if err := cv.finishDeparse(); err != nil {
			return nil, nil, Errorf(c.file.pos(start), "%v", err)
		}
	}
	return out, nil, nil
}

// chunkError turns a parser error into a located error.
func chunkError(c *chunk, pt *parseText, err error) *Error {
	var pe *pgparser.Error
	if !errors.As(err, &pe) {
		return Errorf(c.file.pos(c.start), "%v", err)
	}
	off := 0
	if pe.Cursorpos > 0 {
		off = runeOffset(pt.sql, pe.Cursorpos-1)
	}
	msg := pe.Message
	if hint := newerSyntaxHint(msg); hint != "" {
		msg += " (" + hint + ")"
	} else if at, hint := otherDialect(c.body); hint != "" {
		// Not PostgreSQL at all: say where, and which dialect it is.
		return Errorf(c.file.pos(c.start+at), "%s (%s)", msg, hint)
	}
	return Errorf(c.file.pos(c.start+pt.orig(off)), "%s", msg)
}

// runeOffset returns the byte offset of the n-th character of s.
func runeOffset(s string, n int) int {
	off := 0
	for i := 0; i < n && off < len(s); i++ {
		_, size := utf8.DecodeRuneInString(s[off:])
		off += size
	}
	return off
}

// newerSyntax names syntax that PostgreSQL 18 added, which the PostgreSQL 17
// grammar of libpg_query rejects.
var newerSyntax = map[string]string{
	`"virtual"`:  "VIRTUAL generated columns are PostgreSQL 18 syntax; crudgen reads the PostgreSQL 17 grammar, use STORED",
	`"overlaps"`: "WITHOUT OVERLAPS is PostgreSQL 18 syntax; crudgen reads the PostgreSQL 17 grammar",
	`"period"`:   "PERIOD foreign keys are PostgreSQL 18 syntax; crudgen reads the PostgreSQL 17 grammar",
	`"enforced"`: "NOT ENFORCED constraints are PostgreSQL 18 syntax; crudgen reads the PostgreSQL 17 grammar",
}

func newerSyntaxHint(msg string) string {
	const prefix = "syntax error at or near "
	if !strings.HasPrefix(msg, prefix) {
		return ""
	}
	return newerSyntax[strings.ToLower(strings.TrimPrefix(msg, prefix))]
}

// finishDeparse fills in the Text of the top-level expressions.
func (c *converter) finishDeparse() error {
	for _, j := range c.deparse {
		s, err := deparseExpr(j.node)
		if err != nil {
			return fmt.Errorf("printing expression: %w", err)
		}
		j.expr.Text = s
	}
	c.deparse = nil
	return nil
}

// grammarVersion is the PostgreSQL version of libpg_query's grammar; the
// deparser checks it.
var grammarVersion = func() int32 {
	tree, err := pg.Parse("SELECT")
	if err != nil {
		panic(err)
	}
	return tree.Version
}()

// ParseExpr parses a PostgreSQL expression on its own, such as the CHECK
// of another engine's schema written in the syntax both share; pos is
// where the expression starts, for the positions inside it. Its Text is
// the expression as PostgreSQL prints it.
func ParseExpr(text string, pos Pos) (*Expr, error) {
	const prefix = "SELECT "
	tree, err := pg.Parse(prefix + text)
	if err != nil {
		return nil, err
	}
	if len(tree.Stmts) != 1 {
		return nil, errors.New("not one expression")
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || len(sel.TargetList) != 1 || sel.FromClause != nil || sel.WhereClause != nil {
		return nil, errors.New("not one expression")
	}
	cv := &converter{sql: prefix + text, pos: func(int32) Pos { return pos }}
	e := cv.topExpr(sel.TargetList[0].GetResTarget().GetVal())
	if err := cv.finishDeparse(); err != nil {
		return nil, err
	}
	return e, nil
}

func deparseExpr(n *pg.Node) (string, error) {
	sel := &pg.SelectStmt{TargetList: []*pg.Node{{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Val: n}}}}}
	tree := &pg.ParseResult{Version: grammarVersion, Stmts: []*pg.RawStmt{{Stmt: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: sel}}}}}
	s, err := pg.Deparse(tree)
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(s, "SELECT "), nil
}
