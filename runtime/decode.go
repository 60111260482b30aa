package runtime

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Decodable is implemented by generated request types: DecodeJSON reads one
// JSON value from d, recording what is wrong with it in d.
type Decodable interface{ DecodeJSON(d *Decoder) }

// Limits of a Decoder. Nesting deeper than jsonMaxDepth is a 400, so that a
// hostile body cannot exhaust the stack of a recursive reader; the number of
// field errors is capped so that a body of a million bad array elements does
// not become a million-entry problem.
const (
	jsonMaxDepth       = 512
	jsonMaxFieldErrors = 100
	defaultMaxBody     = 1 << 20
)

// DecodeRequest reads the JSON body of r into dst. It returns nil or a
// *Problem:
//
//   - 415 when Content-Type is neither application/json nor
//     application/merge-patch+json (parameters are allowed, but a charset
//     other than utf-8 is not; a missing Content-Type is accepted);
//   - 413 when the body is longer than maxBytes (maxBytes <= 0 means 1 MiB);
//   - 400 when the body is empty, is not valid JSON (RFC 8259, valid UTF-8,
//     no unpaired surrogate escapes, nesting at most 512 deep) or has data
//     after the value; the detail says what is wrong at which byte offset;
//   - 422 listing the located field errors that dst recorded.
func DecodeRequest(r *http.Request, maxBytes int64, dst Decodable) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !jsonContentType(ct) {
		p := NewProblem(http.StatusUnsupportedMediaType,
			fmt.Sprintf("Content-Type %q is not supported; send application/json", ct))
		if r.Method == http.MethodPatch {
			// RFC 5789 §2.2: tell the client which patch formats work.
			p.Header = http.Header{"Accept-Patch": {"application/merge-patch+json, application/json"}}
		}
		return p
	}
	if maxBytes <= 0 {
		maxBytes = defaultMaxBody
	}
	body, p := readBody(r, maxBytes)
	if p != nil {
		return p
	}
	return Decode(body, dst)
}

// Decode is DecodeRequest for a body already in memory: it decodes body into
// dst and returns nil, a 400 *Problem (empty or malformed JSON) or a 422
// *Problem (field errors).
//
// The Decoder it passes to dst.DecodeJSON is recycled afterwards: DecodeJSON
// must not keep it.
func Decode(body []byte, dst Decodable) error {
	d := jsonDecoderPool.Get().(*Decoder)
	d.reset(body)
	defer d.release()
	d.skipSpace()
	if d.pos == len(body) {
		return NewProblem(http.StatusBadRequest, "request body is empty")
	}
	dst.DecodeJSON(d)
	return d.Finish()
}

// jsonDecoderPool saves each request the Decoder and its scratch buffer.
var jsonDecoderPool = sync.Pool{New: func() any { return new(Decoder) }}

// jsonContentType reports whether a Content-Type header value names JSON in
// UTF-8. It is parsed by hand because mime.ParseMediaType allocates a map
// on every request.
func jsonContentType(ct string) bool {
	mt, params, _ := strings.Cut(ct, ";")
	mt = strings.TrimSpace(mt)
	if !strings.EqualFold(mt, "application/json") && !strings.EqualFold(mt, "application/merge-patch+json") {
		return false
	}
	for params != "" {
		var param string
		param, params, _ = strings.Cut(params, ";")
		name, value, _ := strings.Cut(param, "=")
		if strings.EqualFold(strings.TrimSpace(name), "charset") {
			value = strings.Trim(strings.TrimSpace(value), `"`)
			if !strings.EqualFold(value, "utf-8") && !strings.EqualFold(value, "utf8") {
				return false
			}
		}
	}
	return true
}

// readBody reads all of r.Body, allocating once when Content-Length is
// known. More than max bytes is a 413 without reading further.
func readBody(r *http.Request, max int64) ([]byte, *Problem) {
	tooLarge := func() *Problem {
		return NewProblem(http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", max))
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if r.ContentLength > max {
		return nil, tooLarge()
	}
	size := int64(512)
	if r.ContentLength >= 0 {
		size = r.ContentLength + 1 // +1: room to see EOF without growing
	}
	buf := make([]byte, 0, min(size, max+1))
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		limit := min(int64(cap(buf)), max+1)
		n, err := r.Body.Read(buf[len(buf):limit])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > max {
			return nil, tooLarge()
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				return nil, tooLarge()
			}
			return nil, NewProblem(http.StatusBadRequest, "could not read the request body")
		}
	}
}

// Kind is the kind of the next JSON value, as reported by Decoder.Peek.
type Kind uint8

// Kinds of JSON values. KindInvalid stands for the end of the input, a
// syntax error, or a Decoder that already failed.
const (
	KindInvalid Kind = iota
	KindNull
	KindBool
	KindNumber
	KindString
	KindArray
	KindObject
)

// A Decoder reads one JSON document, value by value, as generated
// DecodeJSON methods direct it. Each reader consumes the next value; on a
// type mismatch it records a FieldError at the current location, skips the
// value and returns false, so that one request reports all its field errors
// at once. A syntax error instead stops the Decoder: every later reader
// returns false and Finish reports a 400.
//
// Object keys without escapes are handed to callbacks as strings that share
// memory with the input, saving an allocation per key; the input must not
// be modified while they are in use. Recorded locations are copies.
type Decoder struct {
	data  []byte
	pos   int
	depth int
	err   *jsonSyntaxError

	errs   FieldErrors
	frames []jsonFrame // the location below "body"
	keys   []string    // keys of the objects being read, for duplicates
	buf    []byte      // scratch space for unescaping strings
	nul    bool        // a string since the last reset held \u0000

	frameArray [8]jsonFrame
	keyArray   [32]string
}

// jsonFrame is one element of a location: an object key, or an array index
// when index >= 0. Locations are built only when an error is recorded,
// because boxing every key and index in an any would allocate.
type jsonFrame struct {
	key   string
	index int
}

type jsonSyntaxError struct {
	msg    string
	offset int
}

// NewDecoder returns a Decoder reading body, at location ["body"].
func NewDecoder(body []byte) *Decoder {
	d := new(Decoder)
	d.reset(body)
	return d
}

func (d *Decoder) reset(body []byte) {
	d.data, d.pos, d.depth, d.err, d.errs, d.nul = body, 0, 0, nil, nil, false
	d.frames = d.frameArray[:0]
	d.keys = d.keyArray[:0]
}

// release returns d to the pool, dropping what refers to the input (keys
// alias it) or was handed out (errs), and oversized buffers.
func (d *Decoder) release() {
	d.data, d.err, d.errs = nil, nil, nil
	clear(d.frameArray[:])
	clear(d.keyArray[:])
	d.frames, d.keys = nil, nil
	if cap(d.buf) > 64<<10 {
		d.buf = nil
	}
	jsonDecoderPool.Put(d)
}

// Finish ends decoding: the value must have been read entirely (an unread
// value is skipped) and only whitespace may follow. It returns a 400
// *Problem for a syntax error, a 422 *Problem for field errors, or nil.
func (d *Decoder) Finish() error {
	if d.err == nil {
		start := 0
		for start < len(d.data) && jsonSpace(d.data[start]) {
			start++
		}
		if d.pos <= start {
			d.pos = start
			d.Skip()
		}
	}
	if d.err == nil {
		d.skipSpace()
		if d.pos < len(d.data) {
			d.syntax(d.pos, "invalid character "+d.charAt(d.pos)+" after top-level value")
		}
	}
	if d.err != nil {
		return NewProblem(http.StatusBadRequest,
			fmt.Sprintf("request body is not valid JSON: %s (at byte offset %d)", d.err.msg, d.err.offset))
	}
	return d.errs.Err()
}

// Failed reports whether the Decoder hit a syntax error; readers then do
// nothing and return false.
func (d *Decoder) Failed() bool { return d.err != nil }

// Errors returns the field errors recorded so far (at most 100).
func (d *Decoder) Errors() FieldErrors { return d.errs }

// Loc returns a copy of the current location, e.g. ["body", "tags", 2].
func (d *Decoder) Loc() []any {
	loc := make([]any, 1, 1+len(d.frames))
	loc[0] = "body"
	for _, f := range d.frames {
		if f.index >= 0 {
			loc = append(loc, f.index)
		} else {
			// Cloned: the key may share memory with the input.
			loc = append(loc, strings.Clone(f.key))
		}
	}
	return loc
}

// Fail records an error at the current location.
func (d *Decoder) Fail(code, message string) {
	if len(d.errs) < jsonMaxFieldErrors {
		d.errs = append(d.errs, FieldError{Loc: d.Loc(), Code: code, Message: message})
	}
}

// Required records that field key of the object just read is missing.
func (d *Decoder) Required(key string) {
	if len(d.errs) < jsonMaxFieldErrors {
		d.errs = append(d.errs, FieldError{Loc: append(d.Loc(), key), Code: CodeRequired, Message: "is required"})
	}
}

// Unknown records that the current field is not known and skips its value.
func (d *Decoder) Unknown() {
	d.skipThenFail(CodeUnknownField, "unknown field")
}

// ReadOnly records that the current field cannot be written and skips its
// value.
func (d *Decoder) ReadOnly() {
	d.skipThenFail(CodeReadOnly, "is read-only")
}

// Skip consumes the next value, checking its syntax.
func (d *Decoder) Skip() {
	if _, ok := d.start(); ok {
		d.skip()
	}
}

// Peek returns the kind of the next value without consuming it.
func (d *Decoder) Peek() Kind {
	c, ok := d.peek()
	if !ok {
		return KindInvalid
	}
	switch c {
	case 'n':
		return KindNull
	case 't', 'f':
		return KindBool
	case '"':
		return KindString
	case '[':
		return KindArray
	case '{':
		return KindObject
	}
	if c == '-' || jsonDigit(c) {
		return KindNumber
	}
	return KindInvalid
}

// Null consumes the next value and returns true if it is null; otherwise
// it consumes nothing and returns false.
func (d *Decoder) Null() bool {
	c, ok := d.peek()
	return ok && c == 'n' && d.literal("null")
}

// Object reads an object, calling each for every key with the location
// extended by the key. each must consume the value (with a reader, Skip,
// Unknown or ReadOnly); a value it leaves unread is skipped. A repeated key
// is a 422 at that key, code "type", message "duplicate field", and its
// value is skipped without calling each: taking the first or the last
// occurrence silently would hide a client bug. Keys are matched exactly
// (unlike encoding/json, not case-insensitively).
//
// Object reports whether the value was an object (and not null or anything
// else, which records "must be an object"), whatever errors its fields had,
// so that callers know whether to check for missing fields.
func (d *Decoder) Object(each func(key string)) bool {
	c, ok := d.start()
	if !ok {
		return false
	}
	if c != '{' {
		return d.mismatch("must be an object")
	}
	if !d.enter() {
		return false
	}
	d.pos++
	keysBase := len(d.keys)
	var seen map[string]struct{} // for objects with many keys
	d.frames = append(d.frames, jsonFrame{index: -1})
	fi := len(d.frames) - 1
	if c, ok = d.start(); ok && c == '}' {
		d.pos++
	}
	for ok && c != '}' {
		if c != '"' {
			d.syntax(d.pos, "invalid character "+d.charAt(d.pos)+" looking for beginning of object key string")
			break
		}
		key, kok := d.key()
		if !kok {
			break
		}
		if c, ok = d.start(); !ok {
			break
		}
		if c != ':' {
			d.syntax(d.pos, "invalid character "+d.charAt(d.pos)+" after object key")
			break
		}
		d.pos++
		if _, ok = d.start(); !ok {
			break
		}
		d.frames[fi].key = key
		if d.duplicate(key, keysBase, &seen) {
			d.skipThenFail(CodeType, "duplicate field")
		} else {
			vpos := d.pos
			each(key)
			if d.err == nil && d.pos == vpos {
				d.skip()
			}
		}
		if c, ok = d.start(); !ok {
			break
		}
		switch c {
		case ',':
			d.pos++
			if c, ok = d.start(); ok && c == '}' {
				d.syntax(d.pos, "invalid character '}' looking for beginning of object key string")
				ok = false
			}
		case '}':
			d.pos++
		default:
			d.syntax(d.pos, "invalid character "+d.charAt(d.pos)+" after object key:value pair")
			ok = false
		}
	}
	d.frames = d.frames[:fi]
	clear(d.keys[keysBase:])
	d.keys = d.keys[:keysBase]
	d.depth--
	return d.err == nil
}

// duplicate reports whether key was already seen in the current object,
// and remembers it. Small objects are searched linearly; past 16 keys a map
// keeps a body with a hundred thousand keys from taking quadratic time.
func (d *Decoder) duplicate(key string, base int, seen *map[string]struct{}) bool {
	if *seen != nil {
		if _, dup := (*seen)[key]; dup {
			return true
		}
		(*seen)[key] = struct{}{}
		return false
	}
	keys := d.keys[base:]
	for _, k := range keys {
		if k == key {
			return true
		}
	}
	if len(keys) >= 16 {
		m := make(map[string]struct{}, 2*len(keys))
		for _, k := range keys {
			m[k] = struct{}{}
		}
		m[key] = struct{}{}
		*seen = m
		return false
	}
	d.keys = append(d.keys, key)
	return false
}

// Array reads an array, calling each for every element with the location
// extended by its index. each must consume the element; one it leaves
// unread is skipped. Array reports whether the value was an array (null
// or anything else records "must be an array"), whatever errors its
// elements had.
func (d *Decoder) Array(each func(i int)) bool {
	c, ok := d.start()
	if !ok {
		return false
	}
	if c != '[' {
		return d.mismatch("must be an array")
	}
	if !d.enter() {
		return false
	}
	d.pos++
	d.frames = append(d.frames, jsonFrame{})
	fi := len(d.frames) - 1
	if c, ok = d.start(); ok && c == ']' {
		d.pos++
	}
	for i := 0; ok && c != ']'; i++ {
		d.frames[fi].index = i
		vpos := d.pos
		each(i)
		if d.err == nil && d.pos == vpos {
			d.skip()
		}
		if c, ok = d.start(); !ok {
			break
		}
		switch c {
		case ',':
			d.pos++
			if c, ok = d.start(); ok && c == ']' {
				d.syntax(d.pos, "invalid character ']' looking for beginning of value")
				ok = false
			}
		case ']':
			d.pos++
		default:
			d.syntax(d.pos, "invalid character "+d.charAt(d.pos)+" after array element")
			ok = false
		}
	}
	d.frames = d.frames[:fi]
	d.depth--
	return d.err == nil
}

// Scalar reads a string or a number and returns its text: the unescaped
// string, or the number literal as written. It is the building block of
// readers for types that accept both, like Decimal. Any other value
// records "must be a string or a number" (code "type").
func (d *Decoder) Scalar() (text string, isString bool, ok bool) {
	c, ok := d.start()
	if !ok {
		return "", false, false
	}
	switch {
	case c == '"':
		b, ok := d.str()
		return string(b), true, ok
	case c == '-' || jsonDigit(c):
		lit, ok := d.number()
		return string(lit), false, ok
	}
	return "", false, d.mismatch("must be a string or a number")
}

// StringValue reads a string like String and returns it.
func (d *Decoder) StringValue() (string, bool) {
	var s string
	ok := d.String(&s)
	return s, ok
}

// String reads a string. PostgreSQL text cannot hold NUL, so a \u0000
// escape is rejected here (code "format") rather than by the database.
func (d *Decoder) String(dst *string) bool {
	b, ok := d.stringBytes("must be a string")
	if !ok {
		return false
	}
	if d.nul {
		d.Fail(CodeFormat, "must not contain NUL characters")
		return false
	}
	*dst = string(b)
	return true
}

// StringOf reads a string into a string type, such as a generated enum
// type (whose values the caller checks).
func StringOf[T ~string](d *Decoder, dst *T) bool {
	var s string
	if !d.String(&s) {
		return false
	}
	*dst = T(s)
	return true
}

// Bool reads true or false.
func (d *Decoder) Bool(dst *bool) bool {
	c, ok := d.start()
	switch {
	case !ok:
		return false
	case c == 't':
		*dst = true
		return d.literal("true")
	case c == 'f':
		*dst = false
		return d.literal("false")
	}
	return d.mismatch("must be a boolean")
}

// Int16 reads an integer in the range of smallint. Like Int32 and Int64 it
// accepts any number literal whose value is integral ("3", "3.0", "3e2",
// "-0"), since clients that only have floats send such forms; a fraction is
// "must be an integer" (code "type"); a value out of range, "must be at
// most 32767" (code "maximum") or "must be at least -32768" (code
// "minimum"). Strings holding numbers are not accepted.
func (d *Decoder) Int16(dst *int16) bool {
	v, ok := d.integer(math.MinInt16, math.MaxInt16)
	if ok {
		*dst = int16(v)
	}
	return ok
}

// Int32 reads an integer in the range of integer; see Int16.
func (d *Decoder) Int32(dst *int32) bool {
	v, ok := d.integer(math.MinInt32, math.MaxInt32)
	if ok {
		*dst = int32(v)
	}
	return ok
}

// Int64 reads an integer in the range of bigint; see Int16.
func (d *Decoder) Int64(dst *int64) bool {
	v, ok := d.integer(math.MinInt64, math.MaxInt64)
	if ok {
		*dst = v
	}
	return ok
}

func (d *Decoder) integer(lo, hi int64) (int64, bool) {
	c, ok := d.start()
	if !ok {
		return 0, false
	}
	if c != '-' && !jsonDigit(c) {
		return 0, d.mismatch("must be an integer")
	}
	lit, ok := d.number()
	if !ok {
		return 0, false
	}
	v, res := parseJSONInt(lit)
	switch {
	case res == jsonIntFraction:
		d.Fail(CodeType, "must be an integer")
	case res == jsonIntTooLarge || res == jsonIntOK && v > hi:
		d.Fail(CodeMaximum, "must be at most "+strconv.FormatInt(hi, 10))
	case res == jsonIntTooSmall || res == jsonIntOK && v < lo:
		d.Fail(CodeMinimum, "must be at least "+strconv.FormatInt(lo, 10))
	default:
		return v, true
	}
	return 0, false
}

// Float32 reads a number as real. Besides numbers it accepts the strings
// "NaN", "Infinity" and "-Infinity", which PostgreSQL stores and which
// AppendFloat writes. A number beyond the range of float32 is "must be at
// most 3.4028235e+38" (code "maximum") or its negative (code "minimum");
// one too small rounds to zero.
func (d *Decoder) Float32(dst *float32) bool {
	v, ok := d.float(32)
	if ok {
		*dst = float32(v)
	}
	return ok
}

// Float64 reads a number as double precision; see Float32.
func (d *Decoder) Float64(dst *float64) bool {
	v, ok := d.float(64)
	if ok {
		*dst = v
	}
	return ok
}

func (d *Decoder) float(bits int) (float64, bool) {
	c, ok := d.start()
	if !ok {
		return 0, false
	}
	if c == '"' {
		b, ok := d.str()
		if !ok {
			return 0, false
		}
		switch string(b) {
		case "NaN":
			return math.NaN(), true
		case "Infinity":
			return math.Inf(1), true
		case "-Infinity":
			return math.Inf(-1), true
		}
		d.Fail(CodeType, "must be a number")
		return 0, false
	}
	if c != '-' && !jsonDigit(c) {
		return 0, d.mismatch("must be a number")
	}
	lit, ok := d.number()
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(jsonView(lit), bits)
	if err != nil { // only ErrRange: the grammar was checked
		limit := strconv.FormatFloat(math.MaxFloat64, 'g', -1, 64)
		if bits == 32 {
			limit = strconv.FormatFloat(math.MaxFloat32, 'g', -1, 32)
		}
		if v < 0 {
			d.Fail(CodeMinimum, "must be at least -"+limit)
		} else {
			d.Fail(CodeMaximum, "must be at most "+limit)
		}
		return 0, false
	}
	return v, true
}

// RawJSON reads any value, null included, and copies it as written. A
// \u0000 escape anywhere in it is rejected (code "format") because jsonb
// cannot store it.
func (d *Decoder) RawJSON(dst *json.RawMessage) bool {
	if _, ok := d.start(); !ok {
		return false
	}
	start := d.pos
	d.nul = false
	d.skip()
	if d.err != nil {
		return false
	}
	if d.nul {
		d.Fail(CodeFormat, "must not contain NUL characters (\\u0000)")
		return false
	}
	*dst = append(json.RawMessage(nil), d.data[start:d.pos]...)
	return true
}

// Bytes reads a base64 string (standard alphabet, padded) as bytea.
func (d *Decoder) Bytes(dst *[]byte) bool {
	b, ok := d.stringBytes("must be a base64-encoded string")
	if !ok {
		return false
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(b)))
	n, err := base64.StdEncoding.Decode(out, b)
	if err != nil {
		d.Fail(CodeFormat, "must be standard base64 with padding")
		return false
	}
	*dst = out[:n]
	return true
}

// Time reads an RFC 3339 date-time with a time zone offset, as for
// timestamptz: "2006-01-02T15:04:05.999999999+07:00" (or Z). The result
// is the instant in UTC: timestamptz keeps no offset. Up to 9 fractional
// digits are kept (PostgreSQL rounds to 6); leap seconds, a missing offset
// and years outside 0000-9999 are rejected with code "format". A space may
// replace the T.
func (d *Decoder) Time(dst *time.Time) bool {
	b, ok := d.stringBytes("must be a date-time string")
	if !ok {
		return false
	}
	t, hasOffset, ok := parseJSONDateTime(b)
	if !ok || !hasOffset {
		d.Fail(CodeFormat, "must be an RFC 3339 date-time with a time zone offset, e.g. 2006-01-02T15:04:05Z")
		return false
	}
	*dst = t
	return true
}

// Timestamp reads a date-time without time zone, as for timestamp:
// "2006-01-02T15:04:05" with up to 9 fractional digits. A trailing Z or
// offset is rejected (code "format"): accepting one would suggest a
// conversion that timestamp does not do. The result is in UTC.
func (d *Decoder) Timestamp(dst *time.Time) bool {
	b, ok := d.stringBytes("must be a date-time string")
	if !ok {
		return false
	}
	t, hasOffset, ok := parseJSONDateTime(b)
	if !ok || hasOffset {
		d.Fail(CodeFormat, "must be a date-time without time zone, e.g. 2006-01-02T15:04:05")
		return false
	}
	*dst = t
	return true
}

// Addr reads an IPv4 or IPv6 address for inet. A zone ("fe80::1%eth0") is
// rejected: PostgreSQL cannot store it.
func (d *Decoder) Addr(dst *netip.Addr) bool {
	b, ok := d.stringBytes("must be an IP address string")
	if !ok {
		return false
	}
	a, err := netip.ParseAddr(jsonView(b))
	if err != nil || a.Zone() != "" {
		d.Fail(CodeFormat, "must be an IP address")
		return false
	}
	*dst = a
	return true
}

// Prefix reads a network in CIDR notation for cidr. As in PostgreSQL, a
// bare address is a network of one address, and bits set to the right of
// the mask ("10.1.2.3/8") are an error (code "format").
func (d *Decoder) Prefix(dst *netip.Prefix) bool {
	b, ok := d.stringBytes("must be a CIDR network string")
	if !ok {
		return false
	}
	s := jsonView(b)
	var p netip.Prefix
	var err error
	if strings.IndexByte(s, '/') < 0 {
		var a netip.Addr
		if a, err = netip.ParseAddr(s); err == nil && a.Zone() == "" {
			p = netip.PrefixFrom(a, a.BitLen())
		}
	} else {
		p, err = netip.ParsePrefix(s) // rejects zones
	}
	if err != nil || !p.IsValid() {
		d.Fail(CodeFormat, "must be a network in CIDR notation, e.g. 192.168.0.0/24")
		return false
	}
	if p.Masked() != p {
		d.Fail(CodeFormat, "must have no bits set to the right of the mask")
		return false
	}
	*dst = p
	return true
}

// Nullable reads null as a nil pointer, and anything else with read into a
// new T.
func Nullable[T any](d *Decoder, dst **T, read func(*T) bool) bool {
	if d.Null() {
		*dst = nil
		return true
	}
	v := new(T)
	if !read(v) {
		return false
	}
	*dst = v
	return true
}

// ReadOptional reads a field that was present: null sets Null, anything
// else is read with read into Value.
func ReadOptional[T any](d *Decoder, dst *Optional[T], read func(*T) bool) bool {
	var zero T
	dst.Set, dst.Null, dst.Value = true, false, zero
	if d.Null() {
		dst.Null = true
		return true
	}
	return read(&dst.Value)
}

// ArrayOf reads an array with read for each element. An empty array gives
// an empty, non-nil slice, because pgx sends a nil slice as NULL rather
// than '{}'. It reports whether the array and all its elements were valid.
func ArrayOf[T any](d *Decoder, dst *[]T, read func(*T) bool) bool {
	s := make([]T, 0)
	ok := true
	if !d.Array(func(int) {
		var zero T
		s = append(s, zero)
		if !read(&s[len(s)-1]) {
			ok = false
		}
	}) {
		return false
	}
	*dst = s
	return ok
}

// --- scanning ---

func jsonSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func jsonDigit(c byte) bool { return '0' <= c && c <= '9' }

// jsonView returns b as a string without copying, for parsers that do not
// keep their input (or only in errors this package drops).
func jsonView(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

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
		d.number()
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

// jsonStringSafe holds the bytes that stand for themselves in a string.
var jsonStringSafe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// scanString consumes the string at d.pos, checking escapes and UTF-8, and
// reports whether it has escapes. A \u0000 sets d.nul.
func (d *Decoder) scanString() (escaped, ok bool) {
	data := d.data
	i := d.pos + 1
	for {
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
	return string(appendJSONUnescaped(d.buf[:0], raw)), true
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
		return int64(-u), jsonIntOK
	case !neg && u <= math.MaxInt64:
		return int64(u), jsonIntOK
	}
	return 0, over
}

// parseJSONDateTime parses "YYYY-MM-DDTHH:MM:SS[.fffffffff][Z|±HH:MM]"
// (RFC 3339; T or t or a space, Z or z) into a UTC time, allocation-free.
func parseJSONDateTime(b []byte) (t time.Time, hasOffset, ok bool) {
	num := func(s []byte) int {
		n := 0
		for _, c := range s {
			if !jsonDigit(c) {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	if len(b) < len("2006-01-02T15:04:05") ||
		b[4] != '-' || b[7] != '-' || b[13] != ':' || b[16] != ':' ||
		b[10] != 'T' && b[10] != 't' && b[10] != ' ' {
		return t, false, false
	}
	year, month, day := num(b[0:4]), num(b[5:7]), num(b[8:10])
	hour, minute, sec := num(b[11:13]), num(b[14:16]), num(b[17:19])
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 ||
		minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return t, false, false
	}
	// time.Date normalizes Feb 30 to Mar 2; check that it did not.
	if day > 28 && time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).Day() != day {
		return t, false, false
	}
	b = b[19:]
	nsec := 0
	if len(b) > 0 && b[0] == '.' {
		n := 1
		for n < len(b) && jsonDigit(b[n]) {
			n++
		}
		if n == 1 || n > 10 {
			return t, false, false
		}
		nsec = num(b[1:n])
		for k := n; k < 10; k++ {
			nsec *= 10
		}
		b = b[n:]
	}
	t = time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	switch {
	case len(b) == 0:
		return t, false, true
	case len(b) == 1 && (b[0] == 'Z' || b[0] == 'z'):
		return t, true, true
	case len(b) == 6 && (b[0] == '+' || b[0] == '-') && b[3] == ':':
		oh, om := num(b[1:3]), num(b[4:6])
		if oh < 0 || oh > 23 || om < 0 || om > 59 {
			return t, false, false
		}
		off := time.Duration(oh)*time.Hour + time.Duration(om)*time.Minute
		if b[0] == '+' {
			off = -off
		}
		return t.Add(off), true, true
	}
	return t, false, false
}
