package runtime

import (
	"encoding/json"
	"github.com/crudgen/crudgen/runtime/internal/valuecases"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDecimal(t *testing.T) {
	for _, tc := range valuecases.Decimals {
		d, err := ParseDecimal(tc.In)
		require.NoError(t, err, tc.In)
		assert.Equal(t, tc.Want, d.String(), tc.In)
		// The text form parses to the same value.
		again, err := ParseDecimal(d.String())
		require.NoError(t, err, tc.In)
		assert.Equal(t, d, again, tc.In)
	}
}

func TestParseDecimalErrors(t *testing.T) {
	for _, in := range []string{
		"", "-", "+", ".", "-.", "e5", ".e5", "1e", "1e+", "1e-", "1.2.3", "1..2", "--1", "+-1", "1-",
		" 1", "1 ", "1_000", "0x1F", "1,5", "abc", "NaNa", "infinit", "-nan", "1e5.5", "１",
	} {
		_, err := ParseDecimal(in)
		require.Error(t, err, "%q", in)
		assert.False(t, isOutOfRange(err), "%q", in)
	}
	for _, in := range []string{
		"1e131072", "10" + strings.Repeat("0", 131071), "1e-16384", "0e-16384", "1.5e-16383",
		"0." + strings.Repeat("0", 16384), "1e1073741823", "0e1073741823", "0e-99999999999999999999999",
	} {
		_, err := ParseDecimal(in)
		require.Error(t, err, "%.40q", in)
		assert.True(t, isOutOfRange(err), "%.40q", in)
	}
	_, err := ParseDecimal(strings.Repeat("9", 100))
	require.NoError(t, err)
	// Long inputs are shortened in the message.
	_, err = ParseDecimal(strings.Repeat("x", 1000))
	assert.Less(t, len(err.Error()), 120)
}

func TestMustDecimal(t *testing.T) {
	assert.Equal(t, "1.5", MustDecimal("1.5").String())
	assert.Panics(t, func() { MustDecimal("x") })
}

func TestDecimalZeroValue(t *testing.T) {
	var d Decimal
	assert.Equal(t, "0", d.String())
	assert.Equal(t, MustDecimal("0"), d)
	assert.Equal(t, MustDecimal("-0"), d)
	assert.Equal(t, 0, d.Sign())
}

func TestDecimalDigits(t *testing.T) {
	for _, tc := range []struct {
		in               string
		precision, scale int
	}{
		{"0", 0, 0},
		{"0.00", 2, 2},
		{"0.05", 2, 2},
		{"123.45", 5, 2},
		{"-123.45", 5, 2},
		{"1000", 4, 0},
		{"1e3", 4, 0},
		{"1.0e-3", 4, 4},
		{"12.3400", 6, 4},
		{valuecases.DecimalBig, 70, 30},
		{valuecases.DecimalMax, 131072, 0},
		{"NaN", 0, 0},
		{"-Infinity", 0, 0},
	} {
		p, s := MustDecimal(tc.in).Digits()
		assert.Equal(t, [2]int{tc.precision, tc.scale}, [2]int{p, s}, tc.in)
	}
}

// TestDecimalFromDigits takes each number apart with Coefficient, Sign
// and Digits, and builds it again.
func TestDecimalFromDigits(t *testing.T) {
	for _, tc := range valuecases.Decimals {
		d := MustDecimal(tc.In)
		if d.IsNaN() || d.IsInf(0) {
			continue
		}
		digits, exp := d.Coefficient()
		_, scale := d.Digits()
		got, ok := DecimalFromDigits(d.Sign() < 0, digits, exp, scale)
		require.True(t, ok, tc.In)
		assert.Equal(t, d, got, tc.In)
	}
	digits, exp := MustDecimal("-12.50").Coefficient()
	assert.Equal(t, "125", digits)
	assert.Equal(t, -1, exp)
	for _, tc := range []struct {
		neg        bool
		digits     string
		exp, scale int
		want       string
	}{
		{false, "00120", -3, 3, "0.120"},
		{true, "5", 2, 0, "-500"},
		{true, "000", 7, 2, "0.00"},
		{false, "", 0, 0, "0"},
		{false, "1", -16383, 16383, valuecases.DecimalMin},
		{false, "1", 131071, 0, valuecases.DecimalMax},
	} {
		got, ok := DecimalFromDigits(tc.neg, tc.digits, tc.exp, tc.scale)
		require.True(t, ok, "%+v", tc)
		assert.Equal(t, MustDecimal(tc.want), got, "%+v", tc)
	}
	for _, tc := range []struct {
		digits     string
		exp, scale int
	}{
		{"12", -2, 1},          // digits after the point the scale does not show
		{"1", 0, -1},           // a negative scale
		{"1", 0, 16384},        // beyond numeric's scale
		{"1", 131072, 0},       // beyond numeric's digits before the point
		{"1a", 0, 0},           // not a digit
		{"-1", 0, 0},           // nor a sign
		{"1", math.MaxInt, 0},  // no overflow
		{"10", math.MinInt, 0}, // no overflow
	} {
		_, ok := DecimalFromDigits(false, tc.digits, tc.exp, tc.scale)
		assert.False(t, ok, "%+v", tc)
	}
}

func TestDecimalSign(t *testing.T) {
	for in, want := range map[string]int{
		"0": 0, "-0.00": 0, "NaN": 0, "1": 1, "0.001": 1, "-0.001": -1, "Infinity": 1, "-Infinity": -1,
	} {
		assert.Equal(t, want, MustDecimal(in).Sign(), in)
	}
	nan, inf, ninf, one := MustDecimal("NaN"), MustDecimal("Infinity"), MustDecimal("-Infinity"), MustDecimal("1")
	assert.True(t, nan.IsNaN())
	assert.False(t, one.IsNaN())
	assert.False(t, inf.IsNaN())
	assert.True(t, inf.IsInf(1))
	assert.True(t, inf.IsInf(0))
	assert.False(t, inf.IsInf(-1))
	assert.True(t, ninf.IsInf(-1))
	assert.True(t, ninf.IsInf(0))
	assert.False(t, ninf.IsInf(1))
	assert.False(t, one.IsInf(0))
	assert.False(t, nan.IsInf(0))
}

func TestDecimalText(t *testing.T) {
	d := MustDecimal("-1.50")
	b, err := d.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "-1.50", string(b))
	b, err = d.AppendText([]byte("x="))
	require.NoError(t, err)
	assert.Equal(t, "x=-1.50", string(b))

	var got Decimal
	require.NoError(t, got.UnmarshalText([]byte("2.000")))
	assert.Equal(t, "2.000", got.String())
	require.Error(t, got.UnmarshalText([]byte("2,0")))
	assert.Equal(t, "2.000", got.String(), "unchanged on error")

	// Strings without allocations for integers.
	one := MustDecimal("12345")
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = one.String() }))
}

func TestDecimalJSON(t *testing.T) {
	for _, tc := range valuecases.Decimals {
		d := MustDecimal(tc.In)
		want := `"` + tc.Want + `"`
		assert.Equal(t, want, string(d.AppendJSON(nil)), tc.In)
		b, err := json.Marshal(d)
		require.NoError(t, err)
		assert.Equal(t, want, string(b), tc.In)

		var got Decimal
		require.NoError(t, json.Unmarshal(b, &got))
		assert.Equal(t, d, got, tc.In)
	}

	type doc struct {
		A Decimal  `json:"a"`
		B *Decimal `json:"b"`
	}
	var v doc
	require.NoError(t, json.Unmarshal([]byte(`{"a": 1.50, "b": "-2e2"}`), &v))
	assert.Equal(t, "1.50", v.A.String())
	assert.Equal(t, "-200", v.B.String())
	require.NoError(t, json.Unmarshal([]byte(`{"a": 1e-2, "b": null}`), &v))
	assert.Equal(t, "0.01", v.A.String())
	assert.Nil(t, v.B)
	require.NoError(t, json.Unmarshal([]byte(`{"a": "\u0031.5"}`), &v))
	assert.Equal(t, "1.5", v.A.String())
	b, err := json.Marshal(doc{A: MustDecimal("NaN")})
	require.NoError(t, err)
	assert.JSONEq(t, `{"a": "NaN", "b": null}`, string(b))

	// null is a no-op, as encoding/json expects of Unmarshalers.
	d := MustDecimal("7")
	require.NoError(t, d.UnmarshalJSON([]byte("null")))
	assert.Equal(t, "7", d.String())
	for _, bad := range []string{`true`, `{}`, `[]`, `"x"`, `"1 "`, `""`, ``, `"1`} {
		require.Error(t, d.UnmarshalJSON([]byte(bad)), bad)
		assert.Equal(t, "7", d.String())
	}
}

// tvDecode runs read over body and returns the Decoder's outcome.
func tvDecode(body string, read func(d *Decoder) bool) (bool, error) {
	d := NewDecoder([]byte(body))
	ok := read(d)
	return ok, d.Finish()
}

// tvFieldError asserts that err is a 422 problem with one field error at
// ["body"].
func tvFieldError(t *testing.T, err error, code, message string) {
	t.Helper()
	var p *Problem
	require.ErrorAs(t, err, &p)
	require.Equal(t, 422, p.Status, p.Error())
	require.Len(t, p.Errors, 1)
	assert.Equal(t, FieldError{Loc: []any{"body"}, Code: code, Message: message}, p.Errors[0])
}

func TestDecimalOf(t *testing.T) {
	for body, want := range map[string]string{
		`1.50`:        "1.50",
		`-0`:          "0",
		`-0.0`:        "0.0",
		`1e3`:         "1000",
		`1.5E-2`:      "0.015",
		`"1.50"`:      "1.50",
		`"NaN"`:       "NaN",
		`"-Infinity"`: "-Infinity",
		` "\u0031" `:  "1",
		`12345678901234567890123456789012345678901234567890`: "12345678901234567890123456789012345678901234567890",
	} {
		var got Decimal
		ok, err := tvDecode(body, func(d *Decoder) bool { return DecimalOf(d, &got) })
		require.NoError(t, err, body)
		assert.True(t, ok, body)
		assert.Equal(t, want, got.String(), body)
	}
	for body, message := range map[string]string{
		`"abc"`:        "must be a decimal number",
		`""`:           "must be a decimal number",
		`" 1"`:         "must be a decimal number",
		`true`:         "must be a decimal number",
		`null`:         "must be a decimal number",
		`{"a": 1}`:     "must be a decimal number",
		`[1]`:          "must be a decimal number",
		`1e131072`:     "is out of range for numeric",
		`"1e-99999"`:   "is out of range for numeric",
		`1e9999999999`: "is out of range for numeric",
	} {
		got := MustDecimal("7")
		ok, err := tvDecode(body, func(d *Decoder) bool { return DecimalOf(d, &got) })
		assert.False(t, ok, body)
		tvFieldError(t, err, CodeType, message)
		assert.Equal(t, "7", got.String(), "unchanged: %s", body)
	}
	// A syntax error is a 400, not a field error.
	ok, err := tvDecode(`{"a": }`, func(d *Decoder) bool { var v Decimal; return DecimalOf(d, &v) })
	assert.False(t, ok)
	var p *Problem
	require.ErrorAs(t, err, &p)
	assert.Equal(t, 400, p.Status)
}

func FuzzParseDecimal(f *testing.F) {
	for _, tc := range valuecases.Decimals {
		if len(tc.In) < 100 {
			f.Add(tc.In)
		}
	}
	for _, s := range []string{"", "-", ".e1", "1e-16384", "1e131072", "9e131071", "0e1073741823", "1.5e-16383"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDecimal(s)
		if err != nil {
			return
		}
		text := d.String()
		again, err := ParseDecimal(text)
		require.NoError(t, err, "%q → %q", s, text)
		require.Equal(t, d, again, "%q → %q", s, text)
		require.Equal(t, text, again.String())
		require.Len(t, text, d.textLen())

		// The JSON form reads back the same.
		var fromJSON Decimal
		require.NoError(t, json.Unmarshal(d.AppendJSON(nil), &fromJSON))
		require.Equal(t, d, fromJSON)

		p, scale := d.Digits()
		require.GreaterOrEqual(t, p, scale)
		require.LessOrEqual(t, scale, maxDecimalScale)
		require.LessOrEqual(t, p-scale, maxDecimalIntDigits)

		// Taken apart, it builds again.
		if !d.IsNaN() && !d.IsInf(0) {
			digits, exp := d.Coefficient()
			built, ok := DecimalFromDigits(d.Sign() < 0, digits, exp, scale)
			require.True(t, ok)
			require.Equal(t, d, built)
		}
	})
}
