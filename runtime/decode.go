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
//     other than utf-8 is not; a missing Content-Type is accepted), or the
//     body has a Content-Encoding such as gzip;
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
	if ce := r.Header.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		// RFC 7694: say that only unencoded bodies are understood, rather
		// than report compressed bytes as malformed JSON.
		p := NewProblem(http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Encoding %q is not supported", ce))
		p.Header = http.Header{"Accept-Encoding": {"identity"}}
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
	bigNum bool        // a number skipped since RawJSON began is beyond numeric's range

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

// Required records that field key of the object just read is missing. A
// key that was present with an invalid value already has its error and is
// not also missing.
func (d *Decoder) Required(key string) {
	if len(d.errs) < jsonMaxFieldErrors {
		d.errs = append(d.errs, FieldError{Loc: append(d.Loc(), key), Code: CodeRequired, Message: "is required"})
	}
}

// failKey records an error at key of the object just read.
func (d *Decoder) failKey(key, code, message string) {
	if len(d.errs) < jsonMaxFieldErrors {
		d.errs = append(d.errs, FieldError{Loc: append(d.Loc(), key), Code: code, Message: message})
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
// (unlike encoding/json, not case-insensitively). A key may share memory
// with the input: strings.Clone it to keep it past the request.
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
		*dst = int16(v) // #nosec G115 -- integer kept v within int16
	}
	return ok
}

// Int32 reads an integer in the range of integer; see Int16.
func (d *Decoder) Int32(dst *int32) bool {
	v, ok := d.integer(math.MinInt32, math.MaxInt32)
	if ok {
		*dst = int32(v) // #nosec G115 -- integer kept v within int32
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
		if f, ok := nonFinite(string(b)); ok {
			return f, true
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
// cannot store it, and so is a number beyond the range of numeric, as
// which jsonb stores numbers (more than 131072 digits before the point or
// 16383 after it, as 1e999999 or 1e-99999 have).
func (d *Decoder) RawJSON(dst *json.RawMessage) bool {
	d.nul, d.bigNum = false, false
	var v json.RawMessage
	if !d.JSONText(&v) {
		return false
	}
	if d.nul {
		d.Fail(CodeFormat, "must not contain NUL characters (\\u0000)")
		return false
	}
	if d.bigNum {
		d.Fail(CodeFormat, "must not contain numbers beyond the range of PostgreSQL's numeric")
		return false
	}
	*dst = v
	return true
}

// JSONText reads any value, null included, and copies it as written: for
// json columns, which keep the text as it is, NUL escapes and numbers of
// any size included (unlike jsonb; see RawJSON).
func (d *Decoder) JSONText(dst *json.RawMessage) bool {
	if _, ok := d.start(); !ok {
		return false
	}
	start := d.pos
	d.skip()
	if d.err != nil {
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
// digits are read and rounded to the microsecond, half up, which is what
// PostgreSQL keeps (pgx would truncate them). A space may replace the T.
// Years outside 0000-9999 are expanded as AppendTime writes them
// ("-0043-03-15T12:00:00Z"), and "infinity" and "-infinity" (in any case)
// are TimeInfinity and TimeNegativeInfinity. Leap seconds, a missing
// offset and instants that PostgreSQL cannot store (once rounded) are
// rejected with code "format".
func (d *Decoder) Time(dst *time.Time) bool {
	return d.dateTime(dst, true)
}

// Timestamp reads a date-time without time zone, as for timestamp:
// "2006-01-02T15:04:05" with up to 9 fractional digits, rounded to the
// microsecond, years and infinities as by Time. A trailing Z or offset is
// rejected (code "format"): accepting one would suggest a conversion that
// timestamp does not do. The result is in UTC.
func (d *Decoder) Timestamp(dst *time.Time) bool {
	return d.dateTime(dst, false)
}

func (d *Decoder) dateTime(dst *time.Time, tz bool) bool {
	b, ok := d.stringBytes("must be a date-time string")
	if !ok {
		return false
	}
	t, res := parseDateTime(jsonView(b), tz)
	switch {
	case res == timeOK:
		*dst = t
		return true
	case res == timeRange && tz:
		d.Fail(CodeFormat, "must be an instant from "+timeRangeText)
	case res == timeRange:
		d.Fail(CodeFormat, "must be a date-time from "+timestampRangeText)
	case tz:
		d.Fail(CodeFormat, "must be an RFC 3339 date-time with a time zone offset, e.g. 2006-01-02T15:04:05Z")
	default:
		d.Fail(CodeFormat, "must be a date-time without time zone, e.g. 2006-01-02T15:04:05")
	}
	return false
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
// new T. Like ReadOptional and SliceOf it takes read in the shape of the
// package-level readers (ReadString, ReadDecimal, ReadArray(...)), which
// unlike method values cost no closure.
func Nullable[T any](d *Decoder, dst **T, read func(*Decoder, *T) bool) bool {
	if d.Null() {
		*dst = nil
		return true
	}
	v := new(T)
	if !read(d, v) {
		return false
	}
	*dst = v
	return true
}

// NullOr reads null as the zero T and anything else with read, for types
// whose zero value already stands for NULL: []byte, json.RawMessage and
// slices for arrays. (So a nullable jsonb column stores SQL NULL for a JSON
// null, not the JSON value null.)
func NullOr[T any](d *Decoder, dst *T, read func(*Decoder, *T) bool) bool {
	if d.Null() {
		var zero T
		*dst = zero
		return true
	}
	return read(d, dst)
}

// ReadOptional reads a field that was present: null sets Null, anything
// else is read with read into Value.
func ReadOptional[T any](d *Decoder, dst *Optional[T], read func(*Decoder, *T) bool) bool {
	var zero T
	dst.Set, dst.Null, dst.Value = true, false, zero
	if d.Null() {
		dst.Null = true
		return true
	}
	return read(d, &dst.Value)
}

// ReadPresent reads an Optional field of a NOT NULL column: it may be
// absent, but null is an error (code "type", "must not be null").
func ReadPresent[T any](d *Decoder, dst *Optional[T], read func(*Decoder, *T) bool) bool {
	if d.Null() {
		d.Fail(CodeType, "must not be null")
		return false
	}
	var zero T
	dst.Set, dst.Null, dst.Value = true, false, zero
	return read(d, &dst.Value)
}

// ReadValue reads a field that was present with read, which takes null as
// a value of its own: for NOT NULL json and jsonb columns, which can hold
// the JSON value null.
func ReadValue[T any](d *Decoder, dst *Optional[T], read func(*Decoder, *T) bool) bool {
	var zero T
	dst.Set, dst.Null, dst.Value = true, false, zero
	return read(d, &dst.Value)
}

// SliceOf reads a JSON array with read for each element into a slice. An
// empty array gives an empty, non-nil slice. It reports whether the array
// and all its elements were valid. (Array columns are Arrays, read by
// ReadArray.)
func SliceOf[T any](d *Decoder, dst *[]T, read func(*Decoder, *T) bool) bool {
	s := make([]T, 0, 4) // one allocation for most arrays in requests
	ok := true
	if !d.Array(func(int) {
		var zero T
		s = append(s, zero)
		if !read(d, &s[len(s)-1]) {
			ok = false
		}
	}) {
		return false
	}
	*dst = s
	return ok
}
