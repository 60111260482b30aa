package runtime

import (
	"context"
	"encoding/json"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	// 40 integer digits and 30 fractional digits.
	decimalBig = "1234567890123456789012345678901234567890.123456789012345678901234567890"
	decimalMax = "1e131071" // 131072 digits, PostgreSQL's largest power of ten
	decimalMin = "1e-16383" // PostgreSQL's smallest positive numeric
)

// decimalCases are inputs of ParseDecimal that PostgreSQL accepts too, with
// the text PostgreSQL prints for them.
var decimalCases = []struct{ in, want string }{
	{"0", "0"},
	{"0.00", "0.00"},
	{"-0", "0"},
	{"-0.00", "0.00"},
	{"+0.0", "0.0"},
	{"000", "0"},
	{"1", "1"},
	{"-1", "-1"},
	{"+1", "1"},
	{"1.20", "1.20"},
	{"-12.5", "-12.5"},
	{"0012.3400", "12.3400"},
	{".5", "0.5"},
	{"-.5", "-0.5"},
	{"5.", "5"},
	{"1000", "1000"},
	{"1000.000", "1000.000"},
	{"10000.0000", "10000.0000"},
	{"0.0001", "0.0001"},
	{"0.00010", "0.00010"},
	{"100.001", "100.001"},
	{"1e3", "1000"},
	{"1E+3", "1000"},
	{"1.5e3", "1500"},
	{"1.50e1", "15.0"},
	{"1e-3", "0.001"},
	{"1.0e-3", "0.0010"},
	{"0e5", "0"},
	{"0.00e1", "0.0"},
	{"0.000e-2", "0.00000"},
	{"-1.5e-1", "-0.15"},
	{"123.456e-10", "0.0000000123456"},
	{"9223372036854775807", "9223372036854775807"},
	{"-9223372036854775808", "-9223372036854775808"},
	{"18446744073709551616", "18446744073709551616"},
	{decimalBig, decimalBig},
	{"-" + decimalBig, "-" + decimalBig},
	{"0.000000000000000000000000000001", "0.000000000000000000000000000001"},
	{"1e-30", "0.000000000000000000000000000001"},
	{decimalMax, "1" + strings.Repeat("0", 131071)},
	{"9.99e131071", "999" + strings.Repeat("0", 131069)},
	{decimalMin, "0." + strings.Repeat("0", 16382) + "1"},
	{"0e-16383", "0." + strings.Repeat("0", 16383)},
	{"NaN", "NaN"},
	{"nan", "NaN"},
	{"Infinity", "Infinity"},
	{"+infinity", "Infinity"},
	{"inf", "Infinity"},
	{"-Infinity", "-Infinity"},
	{"-INF", "-Infinity"},
}

func TestParseDecimal(t *testing.T) {
	for _, tc := range decimalCases {
		d, err := ParseDecimal(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, d.String(), tc.in)
		// The text form parses to the same value.
		again, err := ParseDecimal(d.String())
		require.NoError(t, err, tc.in)
		assert.Equal(t, d, again, tc.in)
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
		{decimalBig, 70, 30},
		{decimalMax, 131072, 0},
		{"NaN", 0, 0},
		{"-Infinity", 0, 0},
	} {
		p, s := MustDecimal(tc.in).Digits()
		assert.Equal(t, [2]int{tc.precision, tc.scale}, [2]int{p, s}, tc.in)
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
	for _, tc := range decimalCases {
		d := MustDecimal(tc.in)
		want := `"` + tc.want + `"`
		assert.Equal(t, want, string(d.AppendJSON(nil)), tc.in)
		b, err := json.Marshal(d)
		require.NoError(t, err)
		assert.Equal(t, want, string(b), tc.in)

		var got Decimal
		require.NoError(t, json.Unmarshal(b, &got))
		assert.Equal(t, d, got, tc.in)
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

// tvDecimals returns n random decimal texts in PostgreSQL's input syntax,
// within its range.
func tvDecimals(r *rand.Rand, n int) []string {
	out := make([]string, 0, n)
	var b []byte
	digits := func(n int, zeros bool) {
		for range n {
			if zeros && r.IntN(3) == 0 {
				b = append(b, '0')
			} else {
				b = append(b, byte('0'+r.IntN(10)))
			}
		}
	}
	for len(out) < n {
		b = b[:0]
		switch r.IntN(3) {
		case 0:
			b = append(b, '-')
		case 1:
			if r.IntN(4) == 0 {
				b = append(b, '+')
			}
		}
		zeros := r.IntN(2) == 0
		intDigits, fracDigits := r.IntN(45), r.IntN(35)
		if r.IntN(5) == 0 {
			intDigits, fracDigits = r.IntN(3), r.IntN(3)
		}
		digits(intDigits, zeros)
		if fracDigits > 0 || r.IntN(4) == 0 {
			b = append(b, '.')
			digits(fracDigits, zeros)
		}
		if intDigits == 0 && fracDigits == 0 {
			b = append(b, '0')
		}
		if r.IntN(4) == 0 {
			b = append(b, "eE"[r.IntN(2)])
			b = append(b, []string{"", "+", "-"}[r.IntN(3)]...)
			b = append(b, []byte(string(rune('0'+r.IntN(5))))...)
			digits(r.IntN(2), false)
		}
		out = append(out, string(b))
	}
	return out
}

func TestDecimalNumericValue(t *testing.T) {
	inputs := tvDecimals(rand.New(rand.NewPCG(1, 2)), 2000)
	for _, tc := range decimalCases {
		inputs = append(inputs, tc.in)
	}
	for _, in := range inputs {
		d := MustDecimal(in)
		n, err := d.NumericValue()
		require.NoError(t, err, in)
		var got Decimal
		require.NoError(t, got.ScanNumeric(n), in)
		assert.Equal(t, d, got, in)

		// pgtype.Numeric prints the same text.
		if d.Sign() != 0 || d.IsNaN() {
			text, err := n.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, strings.Trim(d.String(), `"`), strings.Trim(string(text), `"`), in)
		}
	}
	var d Decimal
	require.Error(t, d.ScanNumeric(pgtype.Numeric{}))
	require.Error(t, d.ScanNumeric(pgtype.Numeric{Int: big1e(1), Exp: -16384, Valid: true}))
	require.Error(t, d.ScanNumeric(pgtype.Numeric{Int: big1e(1), Exp: 131072, Valid: true}))
	require.NoError(t, d.ScanNumeric(pgtype.Numeric{Int: nil, Exp: -2, Valid: true}))
	assert.Equal(t, "0.00", d.String())
	require.NoError(t, d.ScanNumeric(pgtype.Numeric{Int: big1e(3), Exp: -2, Valid: true}))
	assert.Equal(t, "10.00", d.String())
}

func big1e(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// TestDecimalBinary checks the binary format of RegisterTypes' codec
// against pgx's: each decodes what the other encodes.
func TestDecimalBinary(t *testing.T) {
	m := pgtype.NewMap()
	inputs := tvDecimals(rand.New(rand.NewPCG(3, 4)), 2000)
	for _, tc := range decimalCases {
		inputs = append(inputs, tc.in)
	}
	for _, in := range inputs {
		d := MustDecimal(in)
		ours := d.appendNumericBinary(nil)
		got, err := parseNumericBinary(ours)
		require.NoError(t, err, in)
		assert.Equal(t, d, got, in)

		n, err := d.NumericValue()
		require.NoError(t, err)
		theirs, err := m.Encode(pgtype.NumericOID, pgtype.BinaryFormatCode, n, nil)
		require.NoError(t, err, in)
		got, err = parseNumericBinary(theirs)
		require.NoError(t, err, in)
		assert.Equal(t, d, got, in)

		var back pgtype.Numeric
		require.NoError(t, m.Scan(pgtype.NumericOID, pgtype.BinaryFormatCode, ours, &back), in)
		require.NoError(t, got.ScanNumeric(back))
		if d.Sign() != 0 {
			assert.Equal(t, d, got, in)
		}
	}
	for _, bad := range [][]byte{
		nil, {0, 0, 0, 0, 0, 0, 0},
		{0, 1, 0, 0, 0, 0, 0, 0}, // a digit missing
		{0, 0, 0, 0, 0x12, 0x34, 0, 0},
		{0, 1, 0, 0, 0, 0, 0, 0, 0x27, 0x10}, // digit 10000
		{0, 0, 0, 0, 0, 0, 0x40, 0},          // dscale 16384
		{0, 1, 0xFF, 0xFF, 0, 0, 0, 0, 0, 1}, // 0.0001 with dscale 0
		{0, 1, 0x80, 0, 0, 0, 0, 0, 0, 1},    // weight -32768
	} {
		_, err := parseNumericBinary(bad)
		assert.Error(t, err, "%x", bad)
	}
}

func TestDecimalPostgres(t *testing.T) {
	ctx := context.Background()
	random := tvDecimals(rand.New(rand.NewPCG(5, 6)), 1000)
	tvEachConn(t, func(t *testing.T, c tvConn) {
		// lostScale is pgx's binary decoding of a zero without RegisterTypes.
		lostScale := func(d Decimal) bool { return c.binary && !c.registered && d.Sign() == 0 && !d.IsNaN() }
		for _, tc := range decimalCases {
			d := MustDecimal(tc.in)
			// PostgreSQL parses the input as ParseDecimal does.
			got, text := tvFromText[Decimal](t, c, "numeric", tc.in)
			assert.Equal(t, tc.want, text, tc.in)
			if lostScale(d) {
				assert.Equal(t, "0", got.String())
			} else {
				assert.Equal(t, d, got, tc.in)
			}

			// A parameter arrives digit for digit and comes back so.
			got, text = tvRoundTrip(t, c, "numeric", d)
			assert.Equal(t, tc.want, text, tc.in)
			if !lostScale(d) {
				assert.Equal(t, d, got, tc.in)
			}
		}

		// The scale of a column type pads and rounds.
		for in, want := range map[string]string{"5": "5.00", "0": "0.00", "1.005": "1.01", "-1.005": "-1.01", "12345678.994": "12345678.99", "NaN": "NaN"} {
			var got Decimal
			require.NoError(t, c.conn.QueryRow(ctx, "SELECT $1::numeric(10,2)", MustDecimal(in)).Scan(&got))
			if !lostScale(got) {
				assert.Equal(t, want, got.String(), in)
			}
		}

		// NULL needs a pointer.
		var p *Decimal
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT NULL::numeric").Scan(&p))
		assert.Nil(t, p)
		require.ErrorContains(t, tvScanErr[Decimal](c, "SELECT NULL::numeric"), "NULL")
		neg := MustDecimal("-1.10")
		p = &neg
		var text *string
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT $1::numeric::text", p).Scan(&text))
		assert.Equal(t, "-1.10", *text)
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT $1::numeric::text", (*Decimal)(nil)).Scan(&text))
		assert.Nil(t, text)

		// Many random values, PostgreSQL's text against ours, in both
		// directions.
		pgTexts := tvPGTexts(t, c, "numeric", random)
		ds := make([]Decimal, len(random))
		for i, in := range random {
			ds[i] = MustDecimal(in)
			require.Equal(t, pgTexts[i], ds[i].String(), in)
		}
		got, texts := tvArrayRoundTrip(t, c, "numeric", ds)
		require.Equal(t, pgTexts, texts)
		require.Len(t, got, len(ds))
		for i := range ds {
			if !lostScale(ds[i]) {
				require.Equal(t, ds[i], got[i], random[i])
			}
		}

		// Arrays with special values and NULLs.
		specials := []Decimal{MustDecimal("1.50"), MustDecimal("NaN"), MustDecimal("-Infinity"), MustDecimal(decimalBig), MustDecimal("0.000")}
		got, texts = tvArrayRoundTrip(t, c, "numeric", specials)
		assert.Equal(t, []string{"1.50", "NaN", "-Infinity", decimalBig, "0.000"}, texts)
		if !lostScale(specials[4]) {
			assert.Equal(t, specials, got)
		}
		var ptrs []*Decimal
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT '{1.5,NULL}'::numeric[]").Scan(&ptrs))
		require.Len(t, ptrs, 2)
		assert.Equal(t, "1.5", ptrs[0].String())
		assert.Nil(t, ptrs[1])
		require.Error(t, tvScanErr[[]Decimal](c, "SELECT '{1.5,NULL}'::numeric[]"))
	})
}

func FuzzParseDecimal(f *testing.F) {
	for _, tc := range decimalCases {
		if len(tc.in) < 100 {
			f.Add(tc.in)
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

		// The JSON and binary forms read back the same.
		var fromJSON Decimal
		require.NoError(t, json.Unmarshal(d.AppendJSON(nil), &fromJSON))
		require.Equal(t, d, fromJSON)
		fromBinary, err := parseNumericBinary(d.appendNumericBinary(nil))
		require.NoError(t, err)
		require.Equal(t, d, fromBinary)
		n, err := d.NumericValue()
		require.NoError(t, err)
		var fromNumeric Decimal
		require.NoError(t, fromNumeric.ScanNumeric(n))
		require.Equal(t, d, fromNumeric)

		p, scale := d.Digits()
		require.GreaterOrEqual(t, p, scale)
		require.LessOrEqual(t, scale, maxDecimalScale)
		require.LessOrEqual(t, p-scale, maxDecimalIntDigits)
	})
}

func FuzzParseNumericBinary(f *testing.F) {
	for _, tc := range decimalCases {
		if len(tc.in) < 100 {
			f.Add(MustDecimal(tc.in).appendNumericBinary(nil))
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := parseNumericBinary(b)
		if err != nil {
			return
		}
		again, err := parseNumericBinary(d.appendNumericBinary(nil))
		require.NoError(t, err)
		require.Equal(t, d, again)
		fromText, err := ParseDecimal(d.String())
		require.NoError(t, err)
		require.Equal(t, d, fromText)
	})
}
