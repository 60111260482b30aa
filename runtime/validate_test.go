package runtime

import (
	"math/big"
	"math/rand/v2"
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

// ratFits is numericFits by exact rational arithmetic: the oracle of the
// digit-by-digit implementation.
func ratFits(v Decimal, precision, scale int) bool {
	r, ok := new(big.Rat).SetString(v.String())
	if !ok {
		return false
	}
	pow := func(n int) *big.Rat {
		if n >= 0 {
			return new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil))
		}
		return new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-n)), nil))
	}
	// Round half away from zero to scale digits.
	scaled := new(big.Rat).Mul(new(big.Rat).Abs(r), pow(scale))
	half := new(big.Rat).Add(scaled, big.NewRat(1, 2))
	whole := new(big.Int).Quo(half.Num(), half.Denom())
	rounded := new(big.Rat).Mul(new(big.Rat).SetInt(whole), pow(-scale))
	return rounded.Cmp(pow(precision-scale)) < 0
}

func checkDecimalOracles(t *testing.T, text string, precision, scale int, lit string) {
	v, err := ParseDecimal(text)
	if err != nil || v.kind != decimalFinite || precision < 1 || precision > 40 || scale < -10 || scale > 40 {
		return
	}
	assert.Equal(t, ratFits(v, precision, scale), numericFits(v, precision, scale), "%s numeric(%d,%d)", text, precision, scale)
	w, err := ParseDecimal(lit)
	if err != nil || w.kind != decimalFinite {
		return
	}
	got, ok := compareDecimal(v, lit)
	a, _ := new(big.Rat).SetString(v.String())
	b, _ := new(big.Rat).SetString(w.String())
	if assert.True(t, ok) {
		assert.Equal(t, a.Cmp(b), got, "%s vs %s", text, lit)
	}
}

// TestDecimalChecksAgainstBigRat compares NumericFits and the decimal
// bounds with math/big on numbers near the edges.
func TestDecimalChecksAgainstBigRat(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	digits := func() string {
		var b strings.Builder
		for range 1 + rng.IntN(14) {
			b.WriteByte("0123456789999995"[rng.IntN(16)])
		}
		return b.String()
	}
	for range 20000 {
		text := digits()
		if rng.IntN(2) == 0 {
			text += "." + digits()
		}
		if rng.IntN(4) == 0 {
			text = "-" + text
		}
		lit := digits()
		if rng.IntN(2) == 0 {
			lit = "-" + lit + "." + digits()
		}
		p := 1 + rng.IntN(16)
		checkDecimalOracles(t, text, p, rng.IntN(p+3)-1, lit)
	}
}

func FuzzDecimalChecks(f *testing.F) {
	f.Add("9999999999.995", 12, 2, "0")
	f.Add("-0.005", 3, 2, "-0.01")
	f.Add("1e3", 4, 0, "1000.000")
	f.Fuzz(func(t *testing.T, text string, precision, scale int, lit string) {
		checkDecimalOracles(t, text, precision, scale, lit)
	})
}
