package runtime

// The scanner under Decoder: RFC 8259 syntax, string unescaping, and the
// exact parsing of integers from the input bytes (date-times are
// timestamp.go's).

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

func jsonSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func jsonDigit(c byte) bool { return '0' <= c && c <= '9' }

// jsonView returns b as a string without copying, for parsers that do not
// keep their input (or only in errors this package drops).
func jsonView(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) } // #nosec G103 -- b is not modified while the string is in use: parsers read it and keep nothing

func (d *Decoder) skipSpace() {
	for d.pos < len(d.data) && jsonSpace(d.data[d.pos]) {
		d.pos++
	}
}

// peek skips whitespace and returns the next byte, or false at the end of
// the input (without recording an error) or after a syntax error.
func (d *Decoder) peek() (byte, bool) {
	if d.err != nil {
		return 0, false
	}
	d.skipSpace()
	if d.pos >= len(d.data) {
		return 0, false
	}
	return d.data[d.pos], true
}

// start is peek where more input is required: the end of the input is a
// syntax error.
func (d *Decoder) start() (byte, bool) {
	c, ok := d.peek()
	if !ok && d.err == nil {
		d.syntax(len(d.data), "unexpected end of JSON input")
	}
	return c, ok
}

// syntax records the first syntax error; the Decoder stops there.
func (d *Decoder) syntax(offset int, msg string) {
	if d.err == nil {
		d.err = &jsonSyntaxError{msg: msg, offset: offset}
	}
}

// charAt quotes the character at offset i for an error message.
func (d *Decoder) charAt(i int) string {
	r, size := utf8.DecodeRune(d.data[i:])
	switch {
	case r == utf8.RuneError && size <= 1:
		return fmt.Sprintf("byte 0x%02x", d.data[i])
	case r == '\'':
		return `'\''`
	case r == '"':
		return `'"'`
	}
	return strconv.QuoteRune(r)
}

// mismatch records a type error at the current location for the value at
// d.pos, skips it and returns false.
func (d *Decoder) mismatch(message string) bool {
	d.skipThenFail(CodeType, message)
	return false
}

// skipThenFail skips the next value, then records an error unless the value
// turned out to be malformed (a 400 makes field errors moot).
func (d *Decoder) skipThenFail(code, message string) {
	if _, ok := d.start(); !ok {
		return
	}
	d.skip()
	if d.err == nil {
		d.Fail(code, message)
	}
}

func (d *Decoder) enter() bool {
	d.depth++
	if d.depth > jsonMaxDepth {
		d.syntax(d.pos, fmt.Sprintf("nesting exceeds the maximum depth of %d", jsonMaxDepth))
		return false
	}
	return true
}

// skip consumes the value at d.pos (whitespace already skipped), checking
// its syntax.
func (d *Decoder) skip() {
	c := d.data[d.pos]
	switch {
	case c == '"':
		d.scanString()
	case c == '-' || jsonDigit(c):
		if lit, ok := d.number(); ok && !numericHolds(lit) {
			d.bigNum = true
		}
	case c == 't':
		d.literal("true")
	case c == 'f':
		d.literal("false")
	case c == 'n':
		d.literal("null")
	case c == '{' || c == '[':
		d.skipContainer(c)
	default:
		d.syntax(d.pos, "invalid character "+d.charAt(d.pos)+" looking for beginning of value")
	}
}

// skipContainer consumes the object or array at d.pos. Unlike Object, it
// allows duplicate keys: a skipped value, like a jsonb one, is not ours to
// judge beyond its syntax.
func (d *Decoder) skipContainer(open byte) {
	if !d.enter() {
		return
	}
	defer func() { d.depth-- }()
	close, what, next := byte(']'), "array element", "value"
	if open == '{' {
		close, what, next = '}', "object key:value pair", "object key string"
	}
	d.pos++
	c, ok := d.start()
	if !ok {
		return
	}
	if c == close {
		d.pos++
		return
	}
	for {
		if open == '{' {
			if c != '"' {
				d.syntax(d.pos, "invalid character "+d.charAt(d.pos)+" looking for beginning of object key string")
				return
			}
			if _, ok := d.scanString(); !ok {
				return
			}
			if c, ok = d.start(); !ok {
				return
			}
			if c != ':' {
				d.syntax(d.pos, "invalid character "+d.charAt(d.pos)+" after object key")
				return
			}
			d.pos++
			if _, ok = d.start(); !ok {
				return
			}
		}
		if d.skip(); d.err != nil {
			return
		}
		if c, ok = d.start(); !ok {
			return
		}
		switch c {
		case ',':
			d.pos++
			if c, ok = d.start(); !ok {
				return
			}
			if c == close {
				d.syntax(d.pos, "invalid character "+d.charAt(d.pos)+" looking for beginning of "+next)
				return
			}
		case close:
			d.pos++
			return
		default:
			d.syntax(d.pos, "invalid character "+d.charAt(d.pos)+" after "+what)
			return
		}
	}
}

// literal consumes true, false or null, which must be at d.pos.
func (d *Decoder) literal(lit string) bool {
	for i := 1; i < len(lit); i++ {
		j := d.pos + i
		if j >= len(d.data) {
			d.syntax(j, "unexpected end of JSON input")
			return false
		}
		if d.data[j] != lit[i] {
			d.syntax(j, fmt.Sprintf("invalid character %s in literal %s (expecting %q)", d.charAt(j), lit, lit[i]))
			return false
		}
	}
	d.pos += len(lit)
	return true
}

// number consumes a number literal at d.pos, checking the RFC 8259 grammar,
// and returns it.
func (d *Decoder) number() ([]byte, bool) {
	data, start := d.data, d.pos
	i := start
	fail := func(what string) ([]byte, bool) {
		if i >= len(data) {
			d.syntax(i, "unexpected end of JSON input")
		} else {
			d.syntax(i, "invalid character "+d.charAt(i)+" "+what)
		}
		return nil, false
	}
	if data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && jsonDigit(data[i]):
		for i < len(data) && jsonDigit(data[i]) {
			i++
		}
	default:
		return fail("in numeric literal")
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) || !jsonDigit(data[i]) {
			return fail("after decimal point in numeric literal")
		}
		for i < len(data) && jsonDigit(data[i]) {
			i++
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || !jsonDigit(data[i]) {
			return fail("in exponent of numeric literal")
		}
		for i < len(data) && jsonDigit(data[i]) {
			i++
		}
	}
	d.pos = i
	return data[start:i], true
}

// numericHolds reports whether PostgreSQL's numeric can hold the value of
// the number literal lit (valid per RFC 8259). Without an exponent, a
// literal shorter than numeric's 16383 digits after the point fits; only
// the others are parsed.
func numericHolds(lit []byte) bool {
	if len(lit) <= maxDecimalScale {
		exp := false
		for _, c := range lit {
			if c == 'e' || c == 'E' {
				exp = true
				break
			}
		}
		if !exp {
			return true
		}
	}
	_, err := ParseDecimal(jsonView(lit))
	return err == nil
}

// jsonStringSafe holds the bytes that stand for themselves in a string,
// when read and when written.
var jsonStringSafe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// jsonSafe8 reports whether the 8 bytes packed in v are all in
// jsonStringSafe. Checking a word at a time lets plain text go 8 bytes per
// step; the expressions are the classic "has a byte less than n" and "has
// a zero byte" tests, exact as booleans.
func jsonSafe8(v uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	control := (v - ones*0x20) &^ v & highs
	q := v ^ (ones * '"')
	quote := (q - ones) &^ q & highs
	bs := v ^ (ones * '\\')
	backslash := (bs - ones) &^ bs & highs
	return (control | quote | backslash | v&highs) == 0
}

// scanString consumes the string at d.pos, checking escapes and UTF-8, and
// reports whether it has escapes. A \u0000 sets d.nul.
func (d *Decoder) scanString() (escaped, ok bool) {
	data := d.data
	i := d.pos + 1
	for {
		for i+8 <= len(data) && jsonSafe8(binary.LittleEndian.Uint64(data[i:])) {
			i += 8
		}
		for i < len(data) && jsonStringSafe[data[i]] {
			i++
		}
		if i >= len(data) {
			d.syntax(len(data), "unexpected end of JSON input")
			return false, false
		}
		switch c := data[i]; {
		case c == '"':
			d.pos = i + 1
			return escaped, true
		case c == '\\':
			escaped = true
			if i+1 >= len(data) {
				d.syntax(len(data), "unexpected end of JSON input")
				return false, false
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
				continue
			case 'u':
			default:
				d.syntax(i+1, "invalid character "+d.charAt(i+1)+" in string escape code")
				return false, false
			}
			r, ok := d.hex4(i + 2)
			if !ok {
				return false, false
			}
			switch {
			case r == 0:
				d.nul = true
			case utf16.IsSurrogate(r):
				// Only a high surrogate followed by a low one is a
				// character; anything else cannot be stored as UTF-8, and
				// encoding/json's silent U+FFFD would corrupt data.
				ok = r < 0xDC00 && i+7 < len(data) && data[i+6] == '\\' && data[i+7] == 'u'
				if ok {
					var r2 rune
					if r2, ok = d.hex4(i + 8); !ok {
						return false, false
					}
					ok = 0xDC00 <= r2 && r2 < 0xE000
				}
				if !ok {
					d.syntax(i, "unpaired surrogate in \\u escape")
					return false, false
				}
				i += 6
			}
			i += 6
		case c < 0x20:
			d.syntax(i, "invalid character "+d.charAt(i)+" in string literal")
			return false, false
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				d.syntax(i, "invalid UTF-8 in string")
				return false, false
			}
			i += size
		}
	}
}

// hex4 decodes the 4 hex digits of a \u escape at offset i.
func (d *Decoder) hex4(i int) (rune, bool) {
	var r rune
	for j := i; j < i+4; j++ {
		if j >= len(d.data) {
			d.syntax(len(d.data), "unexpected end of JSON input")
			return 0, false
		}
		c := d.data[j]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			d.syntax(j, "invalid character "+d.charAt(j)+" in \\u hexadecimal character escape")
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// str consumes the string at d.pos and returns its unescaped content: a
// slice of the input, or of d.buf (valid until the next string) when the
// string has escapes. d.nul reports a \u0000.
func (d *Decoder) str() ([]byte, bool) {
	start := d.pos
	d.nul = false
	escaped, ok := d.scanString()
	if !ok {
		return nil, false
	}
	raw := d.data[start+1 : d.pos-1]
	if !escaped {
		return raw, true
	}
	d.buf = appendJSONUnescaped(d.buf[:0], raw)
	return d.buf, true
}

// stringBytes is str for readers that require a string: anything else
// records message.
func (d *Decoder) stringBytes(message string) ([]byte, bool) {
	c, ok := d.start()
	if !ok {
		return nil, false
	}
	if c != '"' {
		return nil, d.mismatch(message)
	}
	return d.str()
}

// key consumes an object key. Without escapes it shares the input's memory.
func (d *Decoder) key() (string, bool) {
	start := d.pos
	escaped, ok := d.scanString()
	if !ok {
		return "", false
	}
	raw := d.data[start+1 : d.pos-1]
	if !escaped {
		return jsonView(raw), true
	}
	d.buf = appendJSONUnescaped(d.buf[:0], raw)
	return string(d.buf), true
}

// appendJSONUnescaped appends the content of a string that scanString
// accepted, resolving its escapes.
func appendJSONUnescaped(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			j := i + 1
			for j < len(s) && s[j] != '\\' {
				j++
			}
			dst = append(dst, s[i:j]...)
			i = j
			continue
		}
		c := s[i+1]
		i += 2
		switch c {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := jsonHex4(s[i:])
			i += 4
			if utf16.IsSurrogate(r) {
				r = utf16.DecodeRune(r, jsonHex4(s[i+2:]))
				i += 6
			}
			dst = utf8.AppendRune(dst, r)
		default: // '"', '\\', '/'
			dst = append(dst, c)
		}
	}
	return dst
}

// jsonHex4 decodes 4 hex digits already checked by hex4.
func jsonHex4(s []byte) rune {
	var r rune
	for _, c := range s[:4] {
		switch {
		case c <= '9':
			c -= '0'
		case c >= 'a':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// Results of parseJSONInt.
const (
	jsonIntOK = iota
	jsonIntFraction
	jsonIntTooLarge
	jsonIntTooSmall
)

// parseJSONInt returns the value of a number literal (valid per RFC 8259)
// if it is an integer in the range of int64. It works on the digits, not
// on a float64, so that 9007199254740993 and 1.5e1 are exact.
func parseJSONInt(lit []byte) (int64, int) {
	neg := lit[0] == '-'
	if neg {
		lit = lit[1:]
	}
	intLen := 0
	for intLen < len(lit) && jsonDigit(lit[intLen]) {
		intLen++
	}
	mant := lit[:intLen] // digits of the mantissa, the point removed below
	rest := lit[intLen:]
	fracLen := 0
	if len(rest) > 0 && rest[0] == '.' {
		for fracLen+1 < len(rest) && jsonDigit(rest[fracLen+1]) {
			fracLen++
		}
		rest = rest[fracLen+1:]
	}
	digit := func(k int) byte { // k-th mantissa digit, skipping the point
		if k < intLen {
			return mant[k]
		}
		return lit[k+1]
	}
	var exp int64
	if len(rest) > 0 { // e or E
		rest = rest[1:]
		expNeg := rest[0] == '-'
		if rest[0] == '-' || rest[0] == '+' {
			rest = rest[1:]
		}
		for _, c := range rest {
			if exp < 1e9 { // saturate: beyond this the answer is known
				exp = exp*10 + int64(c-'0')
			}
		}
		if expNeg {
			exp = -exp
		}
	}
	n := intLen + fracLen
	first := 0
	for first < n && digit(first) == '0' {
		first++
	}
	if first == n {
		return 0, jsonIntOK // zero, however written
	}
	last := n - 1
	for digit(last) == '0' {
		last--
	}
	// value = digits[first..last] × 10^exp
	exp += int64(n-1-last) - int64(fracLen)
	if exp < 0 {
		return 0, jsonIntFraction
	}
	over := jsonIntTooLarge
	if neg {
		over = jsonIntTooSmall
	}
	if int64(last-first+1)+exp > 19 {
		return 0, over
	}
	var u uint64 // < 10^19, which fits
	for k := first; k <= last; k++ {
		u = u*10 + uint64(digit(k)-'0')
	}
	for ; exp > 0; exp-- {
		u *= 10
	}
	switch {
	case neg && u <= 1<<63:
		return int64(-u), jsonIntOK // #nosec G115 -- u <= 1<<63: -u is the two's complement of a value in range
	case !neg && u <= math.MaxInt64:
		return int64(u), jsonIntOK
	}
	return 0, over
}
