package corpus

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPieces(t *testing.T) {
	text := "-- header\nA;\nBB;\nCCCCCCCCCCCC;\nD;\n"
	starts := []int{10, 13, 17, 31}
	// A statement runs to the next one's start; the header goes with the
	// first; C is longer than max and left out.
	require.Equal(t, []string{"-- header\nA;\n", "BB;\n", "D;\n"}, Pieces(text, starts, 13))
	require.Equal(t, []string{text}, Pieces(text, starts, 100))
	require.Equal(t, []string{"x"}, Pieces("x", nil, 10))
	require.Empty(t, Pieces("", nil, 10))
}

func TestSample(t *testing.T) {
	seeds := []string{"a", "b", "c", "d", "e", "f"}
	require.Equal(t, []string{"a", "c", "e"}, Sample(seeds, 3))
	require.Equal(t, seeds, Sample(seeds, 10))
}
