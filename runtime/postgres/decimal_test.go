package postgres

import (
	"context"
	"github.com/crudgen/crudgen/runtime/internal/valuecases"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
	for _, tc := range valuecases.Decimals {
		inputs = append(inputs, tc.In)
	}
	for _, in := range inputs {
		d := runtime.MustDecimal(in)
		n, err := pgDecimal(d).NumericValue()
		require.NoError(t, err, in)
		var got runtime.Decimal
		require.NoError(t, (*pgDecimal)(&got).ScanNumeric(n), in)
		assert.Equal(t, d, got, in)

		// pgtype.Numeric prints the same text.
		if d.Sign() != 0 || d.IsNaN() {
			text, err := n.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, strings.Trim(d.String(), `"`), strings.Trim(string(text), `"`), in)
		}
	}
	var d runtime.Decimal
	require.Error(t, (*pgDecimal)(&d).ScanNumeric(pgtype.Numeric{}))
	require.Error(t, (*pgDecimal)(&d).ScanNumeric(pgtype.Numeric{Int: big1e(1), Exp: -16384, Valid: true}))
	require.Error(t, (*pgDecimal)(&d).ScanNumeric(pgtype.Numeric{Int: big1e(1), Exp: 131072, Valid: true}))
	require.NoError(t, (*pgDecimal)(&d).ScanNumeric(pgtype.Numeric{Int: nil, Exp: -2, Valid: true}))
	assert.Equal(t, "0.00", d.String())
	require.NoError(t, (*pgDecimal)(&d).ScanNumeric(pgtype.Numeric{Int: big1e(3), Exp: -2, Valid: true}))
	assert.Equal(t, "10.00", d.String())
}

func big1e(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// TestDecimalBinary checks the binary format of RegisterTypes' codec
// against pgx's: each decodes what the other encodes.
func TestDecimalBinary(t *testing.T) {
	m := pgtype.NewMap()
	inputs := tvDecimals(rand.New(rand.NewPCG(3, 4)), 2000)
	for _, tc := range valuecases.Decimals {
		inputs = append(inputs, tc.In)
	}
	for _, in := range inputs {
		d := runtime.MustDecimal(in)
		ours := appendNumericBinary(nil, d)
		got, err := parseNumericBinary(ours)
		require.NoError(t, err, in)
		assert.Equal(t, d, got, in)

		n, err := pgDecimal(d).NumericValue()
		require.NoError(t, err)
		theirs, err := m.Encode(pgtype.NumericOID, pgtype.BinaryFormatCode, n, nil)
		require.NoError(t, err, in)
		got, err = parseNumericBinary(theirs)
		require.NoError(t, err, in)
		assert.Equal(t, d, got, in)

		var back pgtype.Numeric
		require.NoError(t, m.Scan(pgtype.NumericOID, pgtype.BinaryFormatCode, ours, &back), in)
		require.NoError(t, (*pgDecimal)(&got).ScanNumeric(back))
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
	tvEachRegisteredConn(t, func(t *testing.T, c tvConn) {
		for _, tc := range valuecases.Decimals {
			d := runtime.MustDecimal(tc.In)
			// PostgreSQL parses the input as runtime.ParseDecimal does.
			got, text := tvFromText[runtime.Decimal](t, c, "numeric", tc.In)
			assert.Equal(t, tc.Want, text, tc.In)
			assert.Equal(t, d, got, tc.In)

			// A parameter arrives digit for digit and comes back so.
			got, text = tvRoundTrip(t, c, "numeric", d)
			assert.Equal(t, tc.Want, text, tc.In)
			assert.Equal(t, d, got, tc.In)
		}

		// The scale of a column type pads and rounds.
		for in, want := range map[string]string{"5": "5.00", "0": "0.00", "1.005": "1.01", "-1.005": "-1.01", "12345678.994": "12345678.99", "NaN": "NaN"} {
			var got runtime.Decimal
			require.NoError(t, c.conn.QueryRow(ctx, "SELECT $1::numeric(10,2)", runtime.MustDecimal(in)).Scan(&got))
			assert.Equal(t, want, got.String(), in)
		}

		// NULL needs a pointer.
		var p *runtime.Decimal
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT NULL::numeric").Scan(&p))
		assert.Nil(t, p)
		require.ErrorContains(t, tvScanErr[runtime.Decimal](c, "SELECT NULL::numeric"), "NULL")
		neg := runtime.MustDecimal("-1.10")
		p = &neg
		var text *string
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT $1::numeric::text", p).Scan(&text))
		assert.Equal(t, "-1.10", *text)
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT $1::numeric::text", (*runtime.Decimal)(nil)).Scan(&text))
		assert.Nil(t, text)

		// Many random values, PostgreSQL's text against ours, in both
		// directions.
		pgTexts := tvPGTexts(t, c, "numeric", random)
		ds := make([]runtime.Decimal, len(random))
		for i, in := range random {
			ds[i] = runtime.MustDecimal(in)
			require.Equal(t, pgTexts[i], ds[i].String(), in)
		}
		got, texts := tvArrayRoundTrip(t, c, "numeric", ds)
		require.Equal(t, pgTexts, texts)
		require.Len(t, got, len(ds))
		for i := range ds {
			require.Equal(t, ds[i], got[i], random[i])
		}

		// Arrays with special values and NULLs.
		specials := []runtime.Decimal{runtime.MustDecimal("1.50"), runtime.MustDecimal("NaN"), runtime.MustDecimal("-Infinity"), runtime.MustDecimal(valuecases.DecimalBig), runtime.MustDecimal("0.000")}
		got, texts = tvArrayRoundTrip(t, c, "numeric", specials)
		assert.Equal(t, []string{"1.50", "NaN", "-Infinity", valuecases.DecimalBig, "0.000"}, texts)
		assert.Equal(t, specials, got)
		var ptrs []*runtime.Decimal
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT '{1.5,NULL}'::numeric[]").Scan(&ptrs))
		require.Len(t, ptrs, 2)
		assert.Equal(t, "1.5", ptrs[0].String())
		assert.Nil(t, ptrs[1])
		require.Error(t, tvScanErr[[]runtime.Decimal](c, "SELECT '{1.5,NULL}'::numeric[]"))
	})
}

// FuzzDecimalBinary checks numeric's binary format and pgtype.Numeric for
// every number the runtime reads: each reads back as the same number.
func FuzzDecimalBinary(f *testing.F) {
	for _, tc := range valuecases.Decimals {
		if len(tc.In) < 100 {
			f.Add(tc.In)
		}
	}
	for _, s := range []string{"", "-", ".e1", "1e-16384", "1e131072", "9e131071", "0e1073741823", "1.5e-16383"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := runtime.ParseDecimal(s)
		if err != nil {
			return
		}
		fromBinary, err := parseNumericBinary(appendNumericBinary(nil, d))
		require.NoError(t, err)
		require.Equal(t, d, fromBinary)
		n, err := pgDecimal(d).NumericValue()
		require.NoError(t, err)
		var fromNumeric runtime.Decimal
		require.NoError(t, (*pgDecimal)(&fromNumeric).ScanNumeric(n))
		require.Equal(t, d, fromNumeric)
	})
}

func FuzzParseNumericBinary(f *testing.F) {
	for _, tc := range valuecases.Decimals {
		if len(tc.In) < 100 {
			f.Add(appendNumericBinary(nil, runtime.MustDecimal(tc.In)))
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := parseNumericBinary(b)
		if err != nil {
			return
		}
		again, err := parseNumericBinary(appendNumericBinary(nil, d))
		require.NoError(t, err)
		require.Equal(t, d, again)
		fromText, err := runtime.ParseDecimal(d.String())
		require.NoError(t, err)
		require.Equal(t, d, fromText)
	})
}
