package postgres

import (
	"errors"
	"math/big"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5/pgtype"
)

// pgDecimal is a runtime.Decimal as pgx's interfaces read and write it,
// where decimalCodec, which knows runtime.Decimal, does not: in the text
// format, and with the codecs of other types.
type pgDecimal runtime.Decimal

// The special values, made once.
var (
	decimalNaN    = runtime.MustDecimal("NaN")
	decimalInf    = runtime.MustDecimal("Infinity")
	decimalNegInf = runtime.MustDecimal("-Infinity")
)

// ScanNumeric implements pgtype.NumericScanner, with which pgx scans a
// numeric in the binary format. pgx's own decoding of that format drops
// the scale of zero ("0.00" arrives as "0"); decimalCodec reads it
// exactly instead.
func (d *pgDecimal) ScanNumeric(v pgtype.Numeric) error {
	switch {
	case !v.Valid:
		return errScanNull("Decimal")
	case v.NaN:
		*d = pgDecimal(decimalNaN)
		return nil
	case v.InfinityModifier == pgtype.Infinity:
		*d = pgDecimal(decimalInf)
		return nil
	case v.InfinityModifier == pgtype.NegativeInfinity:
		*d = pgDecimal(decimalNegInf)
		return nil
	}
	scale := max(-int(v.Exp), 0)
	if scale > numericMaxScale {
		return errors.New("runtime: numeric scale out of range")
	}
	var digits string
	neg := false
	if v.Int != nil {
		var buf [40]byte
		b := v.Int.Append(buf[:0], 10)
		if neg = b[0] == '-'; neg {
			b = b[1:]
		}
		digits = string(b)
	}
	dec, ok := runtime.DecimalFromDigits(neg, digits, int(v.Exp), scale)
	if !ok {
		return errors.New("runtime: numeric out of range")
	}
	*d = pgDecimal(dec)
	return nil
}

// NumericValue implements pgtype.NumericValuer, with which pgx encodes a
// numeric parameter in the binary format.
func (d pgDecimal) NumericValue() (pgtype.Numeric, error) {
	v := runtime.Decimal(d)
	switch {
	case v.IsNaN():
		return pgtype.Numeric{NaN: true, Valid: true}, nil
	case v.IsInf(1):
		return pgtype.Numeric{InfinityModifier: pgtype.Infinity, Valid: true}, nil
	case v.IsInf(-1):
		return pgtype.Numeric{InfinityModifier: pgtype.NegativeInfinity, Valid: true}, nil
	}
	// pgx sends -Exp as the scale when Exp < 0, so Int holds all the printed
	// digits when there is a scale; it is digits × 10^exp otherwise.
	digits, exp := v.Coefficient()
	_, scale := v.Digits()
	pad := 0
	if scale > 0 {
		exp, pad = -scale, exp+scale
	}
	n := new(big.Int)
	if len(digits)+pad <= 18 {
		var i int64
		for k := 0; k < len(digits); k++ {
			i = i*10 + int64(digits[k]-'0')
		}
		for range pad {
			i *= 10
		}
		n.SetInt64(i)
	} else {
		b := make([]byte, 0, len(digits)+pad)
		b = append(b, digits...)
		for range pad {
			b = append(b, '0')
		}
		n.SetString(string(b), 10)
	}
	if v.Sign() < 0 {
		n.Neg(n)
	}
	// #nosec G115 -- exp is within [-16383, 131072]: a Decimal's scale and digits bound it
	return pgtype.Numeric{Int: n, Exp: int32(exp), Valid: true}, nil
}

// ScanText implements pgtype.TextScanner, which pgx prefers for every
// column in the text format (the simple protocol): it parses PostgreSQL's
// text form exactly.
func (d *pgDecimal) ScanText(v pgtype.Text) error {
	if !v.Valid {
		return errScanNull("Decimal")
	}
	return (*runtime.Decimal)(d).UnmarshalText([]byte(v.String))
}

// TextValue implements pgtype.TextValuer, with which pgx writes parameters
// in the text format (the simple protocol).
func (d pgDecimal) TextValue() (pgtype.Text, error) {
	return pgtype.Text{String: runtime.Decimal(d).String(), Valid: true}, nil
}
