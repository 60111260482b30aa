package runtime

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgtype"
)

// Decimal is an exact decimal number: PostgreSQL's numeric, including its
// special values NaN, Infinity and -Infinity (PostgreSQL 14 and later).
//
// A Decimal keeps its scale, the number of digits after the decimal point,
// as PostgreSQL does: "1.20" stays "1.20" and "0.00" stays "0.00". Two
// Decimals are == when they have the same value and the same scale, which is
// when their String forms are equal.
//
// The zero value is the number 0.
//
// The range is PostgreSQL's: at most 131072 digits before the decimal point
// and 16383 after it. There is no negative zero: "-0.00" is "0.00", as in
// PostgreSQL.
type Decimal struct {
	digits string      // significant digits: no leading or trailing zeros; "" for zero and the special values
	exp    int32       // the value is ±digits × 10^exp; 0 when digits is ""
	scale  int16       // digits after the decimal point as printed (PostgreSQL's dscale); at least -exp
	neg    bool        // a finite value below zero
	kind   decimalKind // finite or one of the special values
}

type decimalKind uint8

const (
	decimalFinite decimalKind = iota
	decimalNaN
	decimalInf
	decimalNegInf
)

// PostgreSQL's limits of numeric (numeric.c): the weight, in base-10000
// digits, is an int16 and the display scale has 14 bits.
const (
	maxDecimalIntDigits = (math.MaxInt16 + 1) * 4 // 131072
	maxDecimalScale     = 0x3FFF                  // 16383
	// maxDecimalExponent bounds the exponent of the input syntax as
	// PostgreSQL does (INT_MAX / 2), so that even zero, whose exponent does
	// not matter, is rejected when it is absurd.
	maxDecimalExponent = math.MaxInt32 / 2
)

// parseError reports text that is not a valid value of one of this
// package's types.
type parseError struct {
	what       string // "decimal", "date", ...
	input      string
	msg        string // why, when it helps
	outOfRange bool   // well-formed, but beyond what PostgreSQL can store
}

func (e *parseError) Error() string {
	in := e.input
	if len(in) > 64 {
		in = in[:64] + "..."
	}
	s := "runtime: invalid " + e.what + " " + strconv.Quote(in)
	if e.msg != "" {
		s += ": " + e.msg
	}
	return s
}

func isOutOfRange(err error) bool {
	var pe *parseError
	return errors.As(err, &pe) && pe.outOfRange
}

// ParseDecimal parses a decimal number in PostgreSQL's input syntax for
// numeric: an optional sign, digits with an optional decimal point (".5"
// and "5." are allowed), and an optional exponent ("1.5e3", "2E-2");
// or NaN, Infinity, Inf, -Infinity, -Inf, +Infinity, +Inf in any case.
// Leading and trailing spaces, which PostgreSQL ignores, are rejected, and
// so are the underscores and the hexadecimal, octal and binary forms of
// PostgreSQL 16.
//
// The scale is PostgreSQL's: the number of digits after the point, less the
// exponent, and not below zero. "1.50" has scale 2, "1.5e3" is "1500",
// "1.50e1" is "15.0" and "1e-3" is "0.001".
func ParseDecimal(s string) (Decimal, error) {
	if d, ok := parseDecimalSpecial(s); ok {
		return d, nil
	}
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && isDigitChar(s[i]) {
		i++
	}
	intPart := s[start:i]
	fracPart := ""
	if i < len(s) && s[i] == '.' {
		i++
		start = i
		for i < len(s) && isDigitChar(s[i]) {
			i++
		}
		fracPart = s[start:i]
	}
	if intPart == "" && fracPart == "" {
		return Decimal{}, &parseError{what: "decimal", input: s}
	}
	var exp int64
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		expNeg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			expNeg = s[i] == '-'
			i++
		}
		start = i
		for ; i < len(s) && isDigitChar(s[i]); i++ {
			if exp <= maxDecimalExponent {
				exp = exp*10 + int64(s[i]-'0')
			}
		}
		if i == start {
			return Decimal{}, &parseError{what: "decimal", input: s}
		}
		if expNeg {
			exp = -exp
		}
	}
	if i != len(s) {
		return Decimal{}, &parseError{what: "decimal", input: s}
	}
	if exp >= maxDecimalExponent || exp <= -maxDecimalExponent {
		return Decimal{}, &parseError{what: "decimal", input: s, msg: "exponent out of range", outOfRange: true}
	}
	d, ok := makeDecimal(neg, intPart, fracPart, exp)
	if !ok {
		return Decimal{}, &parseError{what: "decimal", input: s, msg: "out of range for numeric", outOfRange: true}
	}
	return d, nil
}

// MustDecimal is ParseDecimal for literals known to be valid: it panics on
// an error.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

func parseDecimalSpecial(s string) (Decimal, bool) {
	if len(s) < 3 || len(s) > len("+infinity") {
		return Decimal{}, false
	}
	switch {
	case strings.EqualFold(s, "NaN"):
		return Decimal{kind: decimalNaN}, true
	case strings.EqualFold(s, "Infinity"), strings.EqualFold(s, "+Infinity"),
		strings.EqualFold(s, "Inf"), strings.EqualFold(s, "+Inf"):
		return Decimal{kind: decimalInf}, true
	case strings.EqualFold(s, "-Infinity"), strings.EqualFold(s, "-Inf"):
		return Decimal{kind: decimalNegInf}, true
	}
	return Decimal{}, false
}

func isDigitChar(c byte) bool { return '0' <= c && c <= '9' }

// makeDecimal builds the Decimal ±intPart.fracPart × 10^exp (the parts are
// ASCII digits), reporting false when PostgreSQL could not store it.
func makeDecimal(neg bool, intPart, fracPart string, exp int64) (Decimal, bool) {
	scale := max(int64(len(fracPart))-exp, 0)
	if scale > maxDecimalScale {
		return Decimal{}, false
	}
	// The significant digits are those of intPart+fracPart from the first
	// nonzero one to the last.
	n := len(intPart)
	first := strings.IndexFunc(intPart, isNonzeroDigit)
	if first < 0 {
		if f := strings.IndexFunc(fracPart, isNonzeroDigit); f >= 0 {
			first = n + f
		}
	}
	if first < 0 {
		return Decimal{scale: int16(scale)}, true
	}
	last := n + strings.LastIndexFunc(fracPart, isNonzeroDigit)
	if last < n {
		last = strings.LastIndexFunc(intPart, isNonzeroDigit)
	}
	var digits string
	switch {
	case last < n:
		digits = intPart[first : last+1]
	case first >= n:
		digits = fracPart[first-n : last-n+1]
	default:
		digits = intPart[first:] + fracPart[:last-n+1]
	}
	// The last significant digit is followed by len(intPart+fracPart)-1-last
	// zeros, then the point moves by exp-len(fracPart).
	e := exp - int64(len(fracPart)) + int64(n+len(fracPart)-1-last)
	if int64(len(digits))+e > maxDecimalIntDigits {
		return Decimal{}, false
	}
	// #nosec G115 -- e is within [-maxDecimalScale, maxDecimalIntDigits]: the scale and the check above bound it
	return Decimal{digits: digits, exp: int32(e), scale: int16(scale), neg: neg}, true
}

func isNonzeroDigit(r rune) bool { return '1' <= r && r <= '9' }

// String returns the number as PostgreSQL prints a numeric: "-12.50",
// "0.001", "NaN", "Infinity", "-Infinity". It never uses an exponent.
func (d Decimal) String() string {
	if d.kind == decimalFinite && !d.neg && d.exp == 0 && d.scale == 0 && d.digits != "" {
		return d.digits // an integer without trailing zeros, as is
	}
	return string(d.appendText(make([]byte, 0, d.textLen())))
}

// textLen is the length of the String form.
func (d Decimal) textLen() int {
	switch d.kind {
	case decimalNaN:
		return len("NaN")
	case decimalInf:
		return len("Infinity")
	case decimalNegInf:
		return len("-Infinity")
	}
	n := 1 // "0"
	if d.digits != "" {
		n = max(len(d.digits)+int(d.exp), 1)
	}
	if d.neg {
		n++
	}
	if d.scale > 0 {
		n += 1 + int(d.scale)
	}
	return n
}

func (d Decimal) appendText(b []byte) []byte {
	switch d.kind {
	case decimalNaN:
		return append(b, "NaN"...)
	case decimalInf:
		return append(b, "Infinity"...)
	case decimalNegInf:
		return append(b, "-Infinity"...)
	}
	if d.neg {
		b = append(b, '-')
	}
	intDigits := len(d.digits) + int(d.exp) // may be ≤ 0
	switch {
	case d.digits == "" || intDigits <= 0:
		b = append(b, '0')
	case d.exp >= 0:
		b = append(b, d.digits...)
		b = appendZeros(b, int(d.exp))
	default:
		b = append(b, d.digits[:intDigits]...)
	}
	if d.scale == 0 {
		return b
	}
	b = append(b, '.')
	written := 0
	if d.digits != "" && d.exp < 0 {
		if intDigits < 0 {
			b = appendZeros(b, -intDigits)
			written = -intDigits
		}
		frac := d.digits[max(intDigits, 0):]
		b = append(b, frac...)
		written += len(frac)
	}
	return appendZeros(b, int(d.scale)-written)
}

func appendZeros(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, '0')
	}
	return b
}

// Digits returns the precision and the scale of d as PostgreSQL counts them
// for numeric(precision, scale): scale is the number of digits after the
// decimal point, precision the number of digits before it (without leading
// zeros, so 0 for values below 1) plus scale. "123.45" is (5, 2), "0.05"
// is (2, 2), "0" is (0, 0), "1000" is (4, 0). The special values are (0, 0).
//
// A value fits numeric(p, s) when precision-scale ≤ p-s; PostgreSQL rounds
// values with more than s digits after the point to s digits (which can
// carry into one more digit before the point, as 9.995 to 10.00). NaN fits
// every numeric(p, s), the infinities none.
func (d Decimal) Digits() (precision, scale int) {
	if d.kind != decimalFinite {
		return 0, 0
	}
	intDigits := 0
	if d.digits != "" {
		intDigits = max(len(d.digits)+int(d.exp), 0)
	}
	return intDigits + int(d.scale), int(d.scale)
}

// Sign returns -1, 0 or +1 as d is below, equal to or above zero; -1 for
// -Infinity, +1 for Infinity and 0 for NaN.
func (d Decimal) Sign() int {
	switch {
	case d.kind == decimalNaN, d.kind == decimalFinite && d.digits == "":
		return 0
	case d.kind == decimalNegInf, d.neg:
		return -1
	}
	return 1
}

// IsNaN reports whether d is NaN.
func (d Decimal) IsNaN() bool { return d.kind == decimalNaN }

// IsInf reports whether d is an infinity, according to sign: Infinity when
// sign > 0, -Infinity when sign < 0, either when sign == 0.
func (d Decimal) IsInf(sign int) bool {
	return sign >= 0 && d.kind == decimalInf || sign <= 0 && d.kind == decimalNegInf
}

// AppendText implements encoding.TextAppender; the text is String's.
func (d Decimal) AppendText(b []byte) ([]byte, error) { return d.appendText(b), nil }

// MarshalText implements encoding.TextMarshaler; the text is String's.
func (d Decimal) MarshalText() ([]byte, error) {
	return d.appendText(make([]byte, 0, d.textLen())), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseDecimal.
func (d *Decimal) UnmarshalText(text []byte) error {
	v, err := ParseDecimal(string(text))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// AppendJSON appends d as a JSON string ("12.50", "NaN"): a string keeps
// every digit where JSON numbers are often read as float64, and JSON has no
// number for NaN or the infinities.
func (d Decimal) AppendJSON(b []byte) []byte {
	b = append(b, '"')
	b = d.appendText(b)
	return append(b, '"')
}

// MarshalJSON implements json.Marshaler like AppendJSON.
func (d Decimal) MarshalJSON() ([]byte, error) {
	return d.AppendJSON(make([]byte, 0, d.textLen()+2)), nil
}

// UnmarshalJSON implements json.Unmarshaler: it accepts a JSON string in the
// syntax of ParseDecimal or a JSON number, whose digits are kept as
// written (1.50 is "1.50"). null leaves d unchanged, as encoding/json
// expects.
func (d *Decimal) UnmarshalJSON(data []byte) error {
	text, _, isNull, err := jsonScalar(data)
	if err != nil || isNull {
		return err
	}
	v, err := ParseDecimal(text)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// jsonScalar returns the text of a JSON string (unquoted) or of any other
// JSON value (as written), for the UnmarshalJSON methods.
func jsonScalar(data []byte) (text string, isString, isNull bool, err error) {
	if string(data) == "null" {
		return "", false, true, nil
	}
	if len(data) == 0 || data[0] != '"' {
		return string(data), false, false, nil
	}
	if len(data) >= 2 && data[len(data)-1] == '"' && !hasJSONEscape(data[1:len(data)-1]) {
		return string(data[1 : len(data)-1]), true, false, nil
	}
	if err := json.Unmarshal(data, &text); err != nil {
		return "", false, false, err
	}
	return text, true, false, nil
}

// jsonString is jsonScalar for the types whose JSON form is a string.
func jsonString(data []byte, what string) (text string, isNull bool, err error) {
	text, isString, isNull, err := jsonScalar(data)
	if err == nil && !isString && !isNull {
		err = errors.New("runtime: a JSON " + what + " must be a string")
	}
	return text, isNull, err
}

func hasJSONEscape(b []byte) bool {
	for _, c := range b {
		if c == '\\' || c == '"' || c < 0x20 {
			return true
		}
	}
	return false
}

// DecimalOf reads a Decimal from a JSON string or number (see
// Decimal.UnmarshalJSON). Anything else is a FieldError with code "type":
// "must be a decimal number", or "is out of range for numeric" for a
// number beyond PostgreSQL's numeric.
func DecimalOf(d *Decoder, dst *Decimal) bool {
	if k := d.Peek(); k != KindString && k != KindNumber {
		d.Skip()
		if k != KindInvalid && !d.Failed() {
			d.Fail(CodeType, "must be a decimal number")
		}
		return false
	}
	text, _, ok := d.Scalar()
	if !ok {
		return false
	}
	v, err := ParseDecimal(text)
	if err != nil {
		if isOutOfRange(err) {
			d.Fail(CodeType, "is out of range for numeric")
		} else {
			d.Fail(CodeType, "must be a decimal number")
		}
		return false
	}
	*dst = v
	return true
}

// errScanNull is returned when a database NULL is scanned into one of this
// package's types rather than into a pointer to it.
func errScanNull(typ string) error {
	return errors.New("runtime: cannot scan NULL into " + typ + " (scan nullable columns into *" + typ + ")")
}

// ScanNumeric implements pgtype.NumericScanner, which pgx uses to scan a
// numeric in the binary format. pgx's own decoding of the binary format
// drops the scale of zero ("0.00" arrives as "0"); RegisterTypes replaces
// it with an exact one.
func (d *Decimal) ScanNumeric(v pgtype.Numeric) error {
	switch {
	case !v.Valid:
		return errScanNull("Decimal")
	case v.NaN:
		*d = Decimal{kind: decimalNaN}
		return nil
	case v.InfinityModifier == pgtype.Infinity:
		*d = Decimal{kind: decimalInf}
		return nil
	case v.InfinityModifier == pgtype.NegativeInfinity:
		*d = Decimal{kind: decimalNegInf}
		return nil
	}
	scale := max(-int64(v.Exp), 0)
	if scale > maxDecimalScale {
		return errors.New("runtime: numeric scale out of range")
	}
	if v.Int == nil || v.Int.Sign() == 0 {
		*d = Decimal{scale: int16(scale)}
		return nil
	}
	var buf [40]byte
	b := v.Int.Append(buf[:0], 10)
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	exp := int64(v.Exp)
	for b[len(b)-1] == '0' {
		b = b[:len(b)-1]
		exp++
	}
	if int64(len(b))+exp > maxDecimalIntDigits {
		return errors.New("runtime: numeric out of range")
	}
	// #nosec G115 -- exp is within [-maxDecimalScale, maxDecimalIntDigits], checked above
	*d = Decimal{digits: string(b), exp: int32(exp), scale: int16(scale), neg: neg}
	return nil
}

// NumericValue implements pgtype.NumericValuer, which pgx uses to encode a
// Decimal as a numeric parameter in the binary format.
func (d Decimal) NumericValue() (pgtype.Numeric, error) {
	switch d.kind {
	case decimalNaN:
		return pgtype.Numeric{NaN: true, Valid: true}, nil
	case decimalInf:
		return pgtype.Numeric{InfinityModifier: pgtype.Infinity, Valid: true}, nil
	case decimalNegInf:
		return pgtype.Numeric{InfinityModifier: pgtype.NegativeInfinity, Valid: true}, nil
	}
	// pgx sends -Exp as the scale when Exp < 0, so Int holds all the printed
	// digits when there is a scale; it is digits × 10^exp otherwise.
	exp, pad := d.exp, 0
	if d.scale > 0 {
		exp, pad = -int32(d.scale), int(d.exp)+int(d.scale)
	}
	n := new(big.Int)
	if len(d.digits)+pad <= 18 {
		var v int64
		for i := 0; i < len(d.digits); i++ {
			v = v*10 + int64(d.digits[i]-'0')
		}
		for range pad {
			v *= 10
		}
		n.SetInt64(v)
	} else {
		b := make([]byte, 0, len(d.digits)+pad)
		b = appendZeros(append(b, d.digits...), pad)
		n.SetString(string(b), 10)
	}
	if d.neg {
		n.Neg(n)
	}
	return pgtype.Numeric{Int: n, Exp: exp, Valid: true}, nil
}

// ScanText implements pgtype.TextScanner, which pgx prefers for every
// column in the text format (the simple protocol): it parses PostgreSQL's
// text form exactly.
func (d *Decimal) ScanText(v pgtype.Text) error {
	if !v.Valid {
		return errScanNull("Decimal")
	}
	return d.UnmarshalText([]byte(v.String))
}

// TextValue implements pgtype.TextValuer, which pgx uses for parameters in
// the text format (the simple protocol).
func (d Decimal) TextValue() (pgtype.Text, error) {
	return pgtype.Text{String: d.String(), Valid: true}, nil
}

// RegisterTypes registers with m, a connection's type map, codecs that
// make pgx handle this package's types fully. Call it for every connection,
// e.g. from pgxpool.Config.AfterConnect:
//
//	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
//		runtime.RegisterTypes(c.TypeMap())
//		return nil
//	}
//
// Without it, scanning and parameters work in every query mode, except:
//   - a numeric zero read in the binary format loses its scale ("0.00"
//     reads as "0"), because pgx's binary decoding of numeric drops it;
//   - slices of these types cannot be parameters in the modes that do not
//     ask the server for parameter types (pgx.QueryExecModeExec and
//     pgx.QueryExecModeSimpleProtocol), as pgx does not know their
//     PostgreSQL types;
//   - the elements of arrays read in the text format (those modes) are
//     parsed by pgx rather than by this package, which fails for intervals
//     with IntervalStyle iso_8601;
//   - timestamptz and timestamp infinities cannot be scanned into
//     time.Time, and TimeInfinity and TimeNegativeInfinity are not sent
//     as infinity.
//
// It registers wrappers of pgx's codecs for numeric, date, time, interval,
// uuid and their arrays, which handle the types of this package themselves
// and leave every other Go type to pgx; and it maps Decimal, Date,
// TimeOfDay, Interval and UUID, and slices of them, to those PostgreSQL
// types. It wraps the timestamptz and timestamp codecs of m (keeping their
// ScanLocation) so that time.Time and *time.Time, and slices of them, scan
// and encode the infinities as TimeInfinity and TimeNegativeInfinity.
func RegisterTypes(m *pgtype.Map) {
	for _, t := range []struct {
		name          string
		oid, arrayOID uint32
		codec         pgtype.Codec
		value, slice  any
	}{
		{"numeric", pgtype.NumericOID, pgtype.NumericArrayOID, decimalCodec{}, Decimal{}, []Decimal(nil)},
		{"date", pgtype.DateOID, pgtype.DateArrayOID, pgtype.DateCodec{}, Date{}, []Date(nil)},
		{"time", pgtype.TimeOID, pgtype.TimeArrayOID, pgtype.TimeCodec{}, TimeOfDay{}, []TimeOfDay(nil)},
		{"interval", pgtype.IntervalOID, pgtype.IntervalArrayOID, pgtype.IntervalCodec{}, Interval{}, []Interval(nil)},
		{"uuid", pgtype.UUIDOID, pgtype.UUIDArrayOID, pgtype.UUIDCodec{}, UUID{}, []UUID(nil)},
	} {
		registerWithArray(m, t.name, t.oid, t.arrayOID, runtimeCodec{t.codec})
		m.RegisterDefaultPgType(t.value, t.name)
		m.RegisterDefaultPgType(t.slice, "_"+t.name)
	}
	registerArrays(m)
	registerTimeTypes(m)
}

// registerWithArray registers codec as the type name of m, and its array
// type, whose ArrayCodec holds the new element type.
func registerWithArray(m *pgtype.Map, name string, oid, arrayOID uint32, codec pgtype.Codec) {
	elem := &pgtype.Type{Name: name, OID: oid, Codec: codec}
	m.RegisterType(elem)
	m.RegisterType(&pgtype.Type{Name: "_" + name, OID: arrayOID, Codec: &pgtype.ArrayCodec{ElementType: elem}})
}

// runtimeCodec is one of pgx's codecs, except that it scans this package's
// types from the text format with their ScanText, as pgx does for columns
// but not for the elements of arrays.
type runtimeCodec struct{ pgtype.Codec }

func (c runtimeCodec) PlanScan(m *pgtype.Map, oid uint32, format int16, target any) pgtype.ScanPlan {
	if format == pgtype.TextFormatCode {
		switch target.(type) {
		case *Decimal, *Date, *TimeOfDay, *Interval, *UUID:
			return scanPlanRuntimeText{}
		}
	}
	return c.Codec.PlanScan(m, oid, format, target)
}

type scanPlanRuntimeText struct{}

func (scanPlanRuntimeText) Scan(src []byte, dst any) error {
	s := dst.(pgtype.TextScanner)
	if src == nil {
		return s.ScanText(pgtype.Text{})
	}
	return s.ScanText(pgtype.Text{String: string(src), Valid: true})
}

// decimalCodec is pgtype.NumericCodec with an exact binary format of
// Decimal, which keeps the scale of zero and skips math/big.
type decimalCodec struct{ pgtype.NumericCodec }

func (c decimalCodec) PlanEncode(m *pgtype.Map, oid uint32, format int16, value any) pgtype.EncodePlan {
	if _, ok := value.(Decimal); ok {
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
	if _, ok := target.(*Decimal); ok && format == pgtype.BinaryFormatCode {
		return scanPlanDecimalBinary{}
	}
	return c.NumericCodec.PlanScan(m, oid, format, target)
}

type encodePlanDecimalBinary struct{}

func (encodePlanDecimalBinary) Encode(value any, buf []byte) ([]byte, error) {
	return value.(Decimal).appendNumericBinary(buf), nil
}

type encodePlanDecimalText struct{}

func (encodePlanDecimalText) Encode(value any, buf []byte) ([]byte, error) {
	return value.(Decimal).appendText(buf), nil
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
	*dst.(*Decimal) = d
	return nil
}

// The binary format of numeric (numeric_send): int16 count of base-10000
// digits, int16 weight (the power of 10000 of the first digit), uint16 sign,
// int16 display scale, then the digits, most significant first.
const (
	numericPos    = 0x0000
	numericNeg    = 0x4000
	numericNaN    = 0xC000
	numericPosInf = 0xD000
	numericNegInf = 0xF000
)

func parseNumericBinary(src []byte) (Decimal, error) {
	if len(src) < 8 {
		return Decimal{}, errors.New("runtime: numeric: binary value too short")
	}
	ndigits := int(binary.BigEndian.Uint16(src))
	weight := int(int16(binary.BigEndian.Uint16(src[2:]))) // #nosec G115 -- the wire format is int16
	sign := binary.BigEndian.Uint16(src[4:])
	dscale := int(int16(binary.BigEndian.Uint16(src[6:]))) // #nosec G115 -- the wire format is int16; checked below
	switch sign {
	case numericNaN:
		return Decimal{kind: decimalNaN}, nil
	case numericPosInf:
		return Decimal{kind: decimalInf}, nil
	case numericNegInf:
		return Decimal{kind: decimalNegInf}, nil
	case numericPos, numericNeg:
	default:
		return Decimal{}, errors.New("runtime: numeric: invalid sign in binary value")
	}
	if len(src) != 8+2*ndigits {
		return Decimal{}, errors.New("runtime: numeric: binary value has the wrong length")
	}
	if dscale < 0 || dscale > maxDecimalScale {
		return Decimal{}, errors.New("runtime: numeric: scale out of range")
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
			return Decimal{}, errors.New("runtime: numeric: invalid digit in binary value")
		}
		text[4*i] = byte('0' + g/1000)
		text[4*i+1] = byte('0' + g/100%10)
		text[4*i+2] = byte('0' + g/10%10)
		text[4*i+3] = byte('0' + g%10)
	}
	first := bytes.IndexFunc(text, isNonzeroDigit)
	if first < 0 {
		return Decimal{scale: int16(dscale)}, nil
	}
	last := bytes.LastIndexFunc(text, isNonzeroDigit)
	// text[j] is the digit of 10^(4*weight+3-j).
	exp := 4*weight + 3 - last
	if -exp > dscale || last-first+1+exp > maxDecimalIntDigits {
		return Decimal{}, errors.New("runtime: numeric: binary value out of range")
	}
	// #nosec G115 -- exp is within [-dscale, maxDecimalIntDigits], checked above
	return Decimal{digits: string(text[first : last+1]), exp: int32(exp), scale: int16(dscale), neg: sign == numericNeg}, nil
}

func (d Decimal) appendNumericBinary(b []byte) []byte {
	var sign uint16
	switch d.kind {
	case decimalNaN:
		sign = numericNaN
	case decimalInf:
		sign = numericPosInf
	case decimalNegInf:
		sign = numericNegInf
	default:
		if d.neg {
			sign = numericNeg
		}
	}
	if d.digits == "" {
		b = binary.BigEndian.AppendUint16(b, 0) // ndigits
		b = binary.BigEndian.AppendUint16(b, 0) // weight
		b = binary.BigEndian.AppendUint16(b, sign)
		return binary.BigEndian.AppendUint16(b, uint16(d.scale)) // #nosec G115 -- a scale is 0 to maxDecimalScale
	}
	// Read digits as lead zeros + digits + pad zeros, whose last digit is of
	// 10^low with low a multiple of 4, in groups of 4.
	exp := int(d.exp)
	pad := ((exp % 4) + 4) % 4
	low := exp - pad
	n := len(d.digits) + pad
	lead := (4 - n%4) % 4
	ndigits := (lead + n) / 4
	weight := low/4 + ndigits - 1
	// #nosec G115 -- at most (maxDecimalIntDigits+maxDecimalScale)/4+2 groups
	b = binary.BigEndian.AppendUint16(b, uint16(ndigits))
	// #nosec G115 -- weight fits int16 (maxDecimalIntDigits), sent in two's complement
	b = binary.BigEndian.AppendUint16(b, uint16(int16(weight)))
	b = binary.BigEndian.AppendUint16(b, sign)
	// #nosec G115 -- a scale is 0 to maxDecimalScale
	b = binary.BigEndian.AppendUint16(b, uint16(d.scale))
	k := -lead // index into d.digits of the next digit
	for range ndigits {
		var g uint16
		for range 4 {
			g *= 10
			if k >= 0 && k < len(d.digits) {
				g += uint16(d.digits[k] - '0')
			}
			k++
		}
		b = binary.BigEndian.AppendUint16(b, g)
	}
	return b
}
