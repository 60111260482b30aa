package ddl

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// Columns on long lines come from marks; they must be what counting from
// the line start gives, for any byte offset, in valid and invalid UTF-8.
func TestPosLongLines(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "é", "تست", "😀", "\n", "\xff", "\xe2\x82", " ", "CREATE TABLE t (id int); "}
	for range 20 {
		var b strings.Builder
		for b.Len() < 20000 {
			p := pieces[r.IntN(len(pieces))]
			if p == "\n" && r.IntN(50) != 0 {
				continue // long lines
			}
			b.WriteString(p)
		}
		src := b.String()
		txt := newText("x.sql", src)
		require.NotEmpty(t, txt.marks)
		for off := 0; off <= len(src); off += 1 + r.IntN(97) {
			start := strings.LastIndexByte(src[:off], '\n') + 1
			want := Pos{File: "x.sql", Line: strings.Count(src[:off], "\n") + 1, Col: utf8.RuneCountInString(src[start:off]) + 1}
			require.Equal(t, want, txt.pos(off), "offset %d", off)
		}
	}
}

// Positions in a schema minified into one line take time linear in its
// size: their columns are not counted from the start of the line.
func TestPosOneLine(t *testing.T) {
	var b strings.Builder
	for i := range 20000 {
		b.WriteString("CREATE TABLE t")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(" (id int PRIMARY KEY, x text DEFAULT 'é', y int CHECK (y > 0)); ")
	}
	txt := newText("one.sql", b.String())
	require.Len(t, txt.lines, 1)
	// Counted from the line start, these columns would scan 14 GB.
	start := time.Now()
	for off := 0; off < len(txt.src); off += 80 {
		txt.pos(off)
	}
	require.Less(t, time.Since(start), 3*time.Second)
}
