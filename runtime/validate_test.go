package runtime

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNumericFits(t *testing.T) {
	for _, c := range []struct {
		v    string
		p, s int
		ok   bool
	}{
		{"9999999999.99", 12, 2, true}, {"10000000000", 12, 2, false}, {"9999999999.995", 12, 2, false},
		{"9999999999.994", 12, 2, true}, {"-9999999999.995", 12, 2, false}, {"Infinity", 12, 2, false}, {"NaN", 12, 2, true},
		{"9.995", 3, 2, false}, {"9.994", 3, 2, true}, {"0.001", 3, 0, true},
	} {
		var errs FieldErrors
		NumericFits(&errs, MustDecimal(c.v), c.p, c.s, "body", "x")
		assert.Equal(t, c.ok, len(errs) == 0, "%s numeric(%d,%d): %v", c.v, c.p, c.s, errs)
	}
}

func TestMaxBytes(t *testing.T) {
	for _, c := range []struct {
		s  string
		ok bool
	}{
		{strings.Repeat("n", 63), true}, {strings.Repeat("n", 64), false},
		{strings.Repeat("é", 31) + "n", true}, {strings.Repeat("é", 32), false}, // é is 2 bytes
	} {
		var errs FieldErrors
		MaxBytes(&errs, c.s, 63, "body", "nm")
		if assert.Equal(t, c.ok, len(errs) == 0, "%d bytes: %v", len(c.s), errs) && !c.ok {
			assert.Equal(t, CodeMaxLength, errs[0].Code)
			assert.Equal(t, "must be at most 63 bytes", errs[0].Message)
		}
	}
}
