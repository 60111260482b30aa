package runtime

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
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

// DecimalFromDigits returns the finite Decimal digits × 10^exp, negative
// if neg, written with scale digits after the decimal point: what
// Coefficient, Sign and Digits take apart, for database adapters that
// read numbers digit by digit. digits are ASCII digits, leading and
// trailing zeros allowed; with no nonzero digit the number is zero, which
// has no sign. It reports false for any other character and for what
// PostgreSQL's numeric cannot hold: a scale outside 0 to 16383 or too
// small for the digits after the point, or more than 131072 digits
// before it.
func DecimalFromDigits(neg bool, digits string, exp, scale int) (Decimal, bool) {
	if scale < 0 || scale > maxDecimalScale {
		return Decimal{}, false
	}
	first, last := -1, -1
	for i := 0; i < len(digits); i++ {
		switch c := digits[i]; {
		case !isDigitChar(c):
			return Decimal{}, false
		case c != '0':
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return Decimal{scale: int16(scale)}, true // #nosec G115 -- scale is within [0, maxDecimalScale], checked above
	}
	if exp > maxDecimalIntDigits {
		return Decimal{}, false // and the sum below cannot overflow
	}
	exp += len(digits) - 1 - last // the trailing zeros
	digits = digits[first : last+1]
	if exp < -scale || exp > maxDecimalIntDigits-len(digits) {
		return Decimal{}, false
	}
	// #nosec G115 -- exp is within [-maxDecimalScale, maxDecimalIntDigits], checked above
	return Decimal{digits: digits, exp: int32(exp), scale: int16(scale), neg: neg}, true
}

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

// Coefficient returns the significant digits of d, without leading or
// trailing zeros, and the exponent that scales them to its absolute
// value: |d| = digits × 10^exp, so "-12.50" is ("125", -1). Zero, NaN and
// the infinities have no digits and exponent 0; Sign, IsNaN, IsInf and
// Digits (for the scale) tell them and the rest apart.
func (d Decimal) Coefficient() (digits string, exp int) { return d.digits, int(d.exp) }

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
