package runtime

import "testing"

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
		if (len(errs) == 0) != c.ok {
			t.Errorf("%s numeric(%d,%d): %v", c.v, c.p, c.s, errs)
		}
	}
}
