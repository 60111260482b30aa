package postgres

import (
	"bytes"
	"encoding/binary"
	"errors"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5/pgtype"
)

// decimalCodec is pgtype.NumericCodec with an exact binary format of
// runtime.Decimal, which keeps the scale of zero and skips math/big.
type decimalCodec struct{ pgtype.NumericCodec }

func (c decimalCodec) PlanEncode(m *pgtype.Map, oid uint32, format int16, value any) pgtype.EncodePlan {
	if _, ok := value.(runtime.Decimal); ok {
		switch format {
		case pgtype.BinaryFormatCode:
			return encodePlanDecimalBinary{}
		case pgtype.TextFormatCode:
			return encodePlanDecimalText{}
		}
	}
	return c.NumericCodec.PlanEncode(m, oid, format, value)
}

func (c decimalCodec) PlanScan(m *pgtype.Map, oid uint32, format int16, target any) pgtype.ScanPlan {
	if _, ok := target.(*runtime.Decimal); ok && format == pgtype.BinaryFormatCode {
		return scanPlanDecimalBinary{}
	}
	return c.NumericCodec.PlanScan(m, oid, format, target)
}

type encodePlanDecimalBinary struct{}

func (encodePlanDecimalBinary) Encode(value any, buf []byte) ([]byte, error) {
	return appendNumericBinary(buf, value.(runtime.Decimal)), nil
}

type encodePlanDecimalText struct{}

func (encodePlanDecimalText) Encode(value any, buf []byte) ([]byte, error) {
	return value.(runtime.Decimal).AppendText(buf)
}

type scanPlanDecimalBinary struct{}

func (scanPlanDecimalBinary) Scan(src []byte, dst any) error {
	if src == nil {
		return errScanNull("Decimal")
	}
	d, err := parseNumericBinary(src)
	if err != nil {
		return err
	}
	*dst.(*runtime.Decimal) = d
	return nil
}

// The binary format of numeric (numeric_send): int16 count of base-10000
// digits, int16 weight (the power of 10000 of the first digit), uint16 sign,
// int16 display scale (14 bits), then the digits, most significant first.
const (
	numericPos    = 0x0000
	numericNeg    = 0x4000
	numericNaN    = 0xC000
	numericPosInf = 0xD000
	numericNegInf = 0xF000

	numericMaxScale = 0x3FFF
)

func parseNumericBinary(src []byte) (runtime.Decimal, error) {
	if len(src) < 8 {
		return runtime.Decimal{}, errors.New("runtime: numeric: binary value too short")
	}
	ndigits := int(binary.BigEndian.Uint16(src))
	weight := int(int16(binary.BigEndian.Uint16(src[2:]))) // #nosec G115 -- the wire format is int16
	sign := binary.BigEndian.Uint16(src[4:])
	dscale := int(int16(binary.BigEndian.Uint16(src[6:]))) // #nosec G115 -- the wire format is int16; checked below
	switch sign {
	case numericNaN:
		return decimalNaN, nil
	case numericPosInf:
		return decimalInf, nil
	case numericNegInf:
		return decimalNegInf, nil
	case numericPos, numericNeg:
	default:
		return runtime.Decimal{}, errors.New("runtime: numeric: invalid sign in binary value")
	}
	if len(src) != 8+2*ndigits {
		return runtime.Decimal{}, errors.New("runtime: numeric: binary value has the wrong length")
	}
	if dscale < 0 || dscale > numericMaxScale {
		return runtime.Decimal{}, errors.New("runtime: numeric: scale out of range")
	}
	var stack [64]byte
	var text []byte
	if 4*ndigits <= len(stack) {
		text = stack[:4*ndigits]
	} else {
		text = make([]byte, 4*ndigits)
	}
	for i := range ndigits {
		g := binary.BigEndian.Uint16(src[8+2*i:])
		if g >= 10000 {
			return runtime.Decimal{}, errors.New("runtime: numeric: invalid digit in binary value")
		}
		text[4*i] = byte('0' + g/1000)
		text[4*i+1] = byte('0' + g/100%10)
		text[4*i+2] = byte('0' + g/10%10)
		text[4*i+3] = byte('0' + g%10)
	}
	first := bytes.IndexFunc(text, isNonzeroDigit)
	if first < 0 {
		d, _ := runtime.DecimalFromDigits(false, "", 0, dscale)
		return d, nil
	}
	last := bytes.LastIndexFunc(text, isNonzeroDigit)
	// text[j] is the digit of 10^(4*weight+3-j).
	d, ok := runtime.DecimalFromDigits(sign == numericNeg, string(text[first:last+1]), 4*weight+3-last, dscale)
	if !ok {
		return runtime.Decimal{}, errors.New("runtime: numeric: binary value out of range")
	}
	return d, nil
}

func isNonzeroDigit(r rune) bool { return '1' <= r && r <= '9' }

func appendNumericBinary(b []byte, d runtime.Decimal) []byte {
	var sign uint16
	switch {
	case d.IsNaN():
		sign = numericNaN
	case d.IsInf(1):
		sign = numericPosInf
	case d.IsInf(-1):
		sign = numericNegInf
	case d.Sign() < 0:
		sign = numericNeg
	}
	digits, exp := d.Coefficient()
	_, scale := d.Digits()
	if digits == "" {
		b = binary.BigEndian.AppendUint16(b, 0) // ndigits
		b = binary.BigEndian.AppendUint16(b, 0) // weight
		b = binary.BigEndian.AppendUint16(b, sign)
		return binary.BigEndian.AppendUint16(b, uint16(scale)) // #nosec G115 -- a scale is 0 to numericMaxScale
	}
	// Read digits as lead zeros + digits + pad zeros, whose last digit is of
	// 10^low with low a multiple of 4, in groups of 4.
	pad := ((exp % 4) + 4) % 4
	low := exp - pad
	n := len(digits) + pad
	lead := (4 - n%4) % 4
	ndigits := (lead + n) / 4
	weight := low/4 + ndigits - 1
	// #nosec G115 -- at most (131072+16383)/4+2 groups
	b = binary.BigEndian.AppendUint16(b, uint16(ndigits))
	// #nosec G115 -- weight fits int16 (131072 digits), sent in two's complement
	b = binary.BigEndian.AppendUint16(b, uint16(int16(weight)))
	b = binary.BigEndian.AppendUint16(b, sign)
	// #nosec G115 -- a scale is 0 to numericMaxScale
	b = binary.BigEndian.AppendUint16(b, uint16(scale))
	k := -lead // index into digits of the next digit
	for range ndigits {
		var g uint16
		for range 4 {
			g *= 10
			if k >= 0 && k < len(digits) {
				g += uint16(digits[k] - '0')
			}
			k++
		}
		b = binary.BigEndian.AppendUint16(b, g)
	}
	return b
}
