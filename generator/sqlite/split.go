package sqlite

import (
	"strings"

	"github.com/crudgen/crudgen/generator/ddl"
	"github.com/crudgen/crudgen/generator/source"
)

// statement is one SQL statement of an input file, without its semicolon.
type statement struct {
	text   string
	pos    ddl.Pos // of its first token
	lines  ddl.Lines
	offset int     // of text in its file
	tokens []token // significant tokens, offsets relative to text
}

// word returns the i-th significant token in upper case, or "".
func (s *statement) word(i int) string {
	if i >= len(s.tokens) || s.tokens[i].kind != tokWord {
		return ""
	}
	return strings.ToUpper(s.tok(i))
}

// tok returns the text of the i-th significant token.
func (s *statement) tok(i int) string { return s.text[s.tokens[i].start:s.tokens[i].end] }

// at returns the position of byte offset off of the statement's text.
func (s *statement) at(off int) ddl.Pos { return s.lines.Pos(s.offset + off) }

// dotCommand is a line of the sqlite3 shell's own commands (.mode, .read),
// which files made for the shell may hold.
type dotCommand struct {
	text string
	pos  ddl.Pos
}

// split cuts a file into statements as the sqlite3 shell does
// (sqlite3_complete): at semicolons outside strings, names and comments,
// except inside CREATE TRIGGER, which ends at END followed by a semicolon.
// A line that starts with a dot where a statement would start is a shell
// command.
func split(f source.File) ([]*statement, []dotCommand) {
	lines := ddl.NewLines(f.Name, f.Text)
	toks := lex(f.Text)
	var stmts []*statement
	var dots []dotCommand
	start := -1 // offset of the current statement's first significant token
	var sig []token
	flush := func() {
		if start >= 0 {
			// The statement ends with its last token: comments and spaces
			// before the semicolon are not part of it.
			text := f.Text[start:sig[len(sig)-1].end]
			rel := make([]token, len(sig))
			for i, t := range sig {
				rel[i] = token{kind: t.kind, start: t.start - start, end: t.end - start}
			}
			stmts = append(stmts, &statement{text: text, pos: lines.Pos(start), lines: lines, offset: start, tokens: rel})
		}
		start, sig = -1, nil
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !t.significant() {
			continue
		}
		if start < 0 && t.kind == tokPunct && f.Text[t.start] == '.' && lineStart(f.Text, t.start) {
			end := strings.IndexByte(f.Text[t.start:], '\n')
			if end < 0 {
				end = len(f.Text) - t.start
			}
			dots = append(dots, dotCommand{text: strings.TrimSpace(f.Text[t.start : t.start+end]), pos: lines.Pos(t.start)})
			for i+1 < len(toks) && toks[i+1].start < t.start+end {
				i++
			}
			continue
		}
		if t.kind == tokSemi {
			if inTrigger(f.Text, sig) && !endsWithEnd(f.Text, sig) {
				sig = append(sig, t)
				continue
			}
			flush()
			continue
		}
		if start < 0 {
			start = t.start
		}
		sig = append(sig, t)
	}
	flush()
	return stmts, dots
}

// lineStart reports whether only spaces precede offset i on its line.
func lineStart(src string, i int) bool {
	for j := i - 1; j >= 0 && src[j] != '\n'; j-- {
		if src[j] != ' ' && src[j] != '\t' && src[j] != '\r' {
			return false
		}
	}
	return true
}

// inTrigger reports whether the tokens begin CREATE [TEMP|TEMPORARY]
// TRIGGER.
func inTrigger(src string, sig []token) bool {
	s := &statement{text: src, tokens: sig}
	i := 1
	if w := s.word(i); w == "TEMP" || w == "TEMPORARY" {
		i++
	}
	return s.word(0) == "CREATE" && s.word(i) == "TRIGGER"
}

// endsWithEnd reports whether the last token is the word END.
func endsWithEnd(src string, sig []token) bool {
	s := &statement{text: src, tokens: sig}
	return s.word(len(sig)-1) == "END"
}
