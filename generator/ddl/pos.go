package ddl

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

// Pos is a position inside an input file. Line and Col are 1-based; Col
// counts characters, not bytes, so it matches what an editor shows.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	switch {
	case p.File == "":
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	case p.Line == 0:
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is an error located in the user's SQL.
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Errorf returns an *Error at pos.
func Errorf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// Lines turns byte offsets in one file's text into positions, for front
// ends that split statements themselves.
type Lines struct{ t *text }

// NewLines indexes src, the text of the file name.
func NewLines(name, src string) Lines { return Lines{newText(name, src)} }

// Pos returns the position of the byte offset off.
func (l Lines) Pos(off int) Pos { return l.t.pos(off) }

// text is one input file with an index of line starts, so byte offsets
// turn into positions in O(log n).
type text struct {
	name  string
	src   string
	lines []int // byte offset of the start of each line
	// marks count the characters before points about markStep bytes
	// apart, when a line is longer than that: columns on a long line (SQL
	// minified into one) are counted from the nearest mark, not from the
	// start of the line.
	marks []mark
}

// mark says that src[:off] holds runes characters; off is the start of a
// character.
type mark struct{ off, runes int }

const markStep = 1024

func newText(name, src string) *text {
	t := &text{name: name, src: src, lines: []int{0}}
	long := false
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			long = long || i-t.lines[len(t.lines)-1] > markStep
			t.lines = append(t.lines, i+1)
		}
	}
	if long || len(src)-t.lines[len(t.lines)-1] > markStep {
		runes, next := 0, markStep
		for i := range src { // one step per character, as RuneCountInString counts
			if i >= next {
				t.marks = append(t.marks, mark{i, runes})
				next = i + markStep
			}
			runes++
		}
	}
	return t
}

// pos converts a byte offset into a Pos.
func (t *text) pos(off int) Pos {
	if off < 0 {
		off = 0
	}
	if off > len(t.src) {
		off = len(t.src)
	}
	line := sort.Search(len(t.lines), func(i int) bool { return t.lines[i] > off }) - 1
	start := t.lines[line]
	var col int
	if off-start <= markStep {
		col = utf8.RuneCountInString(t.src[start:off]) + 1
	} else {
		col = t.runesBefore(off) - t.runesBefore(start) + 1
	}
	return Pos{File: t.name, Line: line + 1, Col: col}
}

// runesBefore counts the characters of src[:off].
func (t *text) runesBefore(off int) int {
	i := sort.Search(len(t.marks), func(i int) bool { return t.marks[i].off > off }) - 1
	from, runes := 0, 0
	if i >= 0 {
		from, runes = t.marks[i].off, t.marks[i].runes
	}
	return runes + utf8.RuneCountInString(t.src[from:off])
}
