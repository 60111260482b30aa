package runtime

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// Marshaler is implemented by generated response types: AppendJSON appends
// the JSON encoding of the value to b.
type Marshaler interface{ AppendJSON(b []byte) []byte }

// jsonBufferPool recycles response buffers; buffers grown past
// jsonMaxPooledBuffer are dropped so that one huge list response does not
// pin its memory forever.
var jsonBufferPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

const jsonMaxPooledBuffer = 1 << 20

// WriteJSON encodes v into a pooled buffer, then writes status, the
// Content-Type and Content-Length headers and the body in one go: encoding
// cannot fail halfway through a response. A nil v is written as null, and
// no body is written for statuses that forbid one (1xx, 204, 304).
func WriteJSON(w http.ResponseWriter, status int, v Marshaler) {
	writeJSON(w, status, v, false)
}

// writeJSON is WriteJSON, with an ETag of the body when tag is set.
func writeJSON(w http.ResponseWriter, status int, v Marshaler, tag bool) {
	h := w.Header()
	if status == http.StatusNoContent || status == http.StatusNotModified || status < 200 {
		w.WriteHeader(status)
		return
	}
	bp := jsonBufferPool.Get().(*[]byte)
	b := (*bp)[:0]
	if v == nil {
		b = append(b, "null"...)
	} else {
		b = v.AppendJSON(b)
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	if tag {
		var t [etagLen]byte
		h.Set("ETag", string(appendETag(t[:0], b)))
	}
	w.WriteHeader(status)
	_, _ = w.Write(b) // an error means the client is gone: nothing left to do
	if cap(b) <= jsonMaxPooledBuffer {
		*bp = b
		jsonBufferPool.Put(bp)
	}
}

const jsonHexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string, escaped exactly as
// encoding/json does with HTML escaping off: <, > and & stay as they are
// (responses are application/json, never HTML), U+2028 and U+2029 are
// escaped for JavaScript's sake, and each byte of invalid UTF-8 becomes
// \ufffd.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && jsonSafe8(jsonLoad8(s[i:])) {
			i += 8
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonStringSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', jsonHexDigits[c>>4], jsonHexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', jsonHexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jsonLoad8 packs s[0:8] little-endian; the compiler makes it one load.
func jsonLoad8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// AppendBool appends true or false.
func AppendBool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

// AppendInt appends v in decimal.
func AppendInt(b []byte, v int64) []byte { return strconv.AppendInt(b, v, 10) }

// AppendFloat appends v (a float32 when bits is 32) as encoding/json does:
// the shortest representation that reads back exactly, with an exponent
// only below 1e-6 or from 1e21 on. NaN and the infinities, which JSON
// numbers cannot express but real and double precision columns hold, are
// written as the strings "NaN", "Infinity" and "-Infinity", which
// Decoder.Float64 reads back.
func AppendFloat(b []byte, v float64, bits int) []byte {
	switch {
	case math.IsNaN(v):
		return append(b, `"NaN"`...)
	case math.IsInf(v, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(v, -1):
		return append(b, `"-Infinity"`...)
	}
	if bits != 32 {
		bits = 64
	}
	format := byte('f')
	if abs := math.Abs(v); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) ||
			bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b = strconv.AppendFloat(b, v, format, -1, bits)
	if format == 'e' {
		// Turn e-07 into e-7, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// AppendTime appends t as an RFC 3339 string in UTC, with as many
// fractional digits as needed: "2006-01-02T15:04:05.5Z". UTC rather than
// t's own zone because timestamptz keeps no offset and pgx reads it in the
// server's local zone; a response should not depend on where it was made.
// Outside the years 0000-9999 the year is expanded, a sign and at least
// four digits in astronomical numbering ("-0043-03-15T12:00:00Z" is 44
// BC, "+294276-12-31T23:59:59.999999Z"); TimeInfinity and
// TimeNegativeInfinity are "infinity" and "-infinity". Decoder.Time and
// ParseTime read all of them back.
func AppendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = appendDateTime(b, t.UTC(), true)
	return append(b, '"')
}

// AppendTimestamp appends t's wall clock as "2006-01-02T15:04:05" plus the
// fraction trimmed of trailing zeros, without offset, for timestamp
// columns; years and infinities as by AppendTime ("-4713-11-24T00:00:00",
// "infinity").
func AppendTimestamp(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = appendDateTime(b, t, false)
	return append(b, '"')
}

// AppendBytes appends v as a standard, padded base64 string; nil is "" (a
// NULL bytea is a nil pointer, written by AppendNullable).
func AppendBytes(b []byte, v []byte) []byte {
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, v)
	return append(b, '"')
}

// AppendRawJSON appends v as stored; empty is null.
func AppendRawJSON(b []byte, v json.RawMessage) []byte {
	if len(v) == 0 {
		return append(b, "null"...)
	}
	return append(b, v...)
}

// AppendAddr appends v as a string, "" for the zero Addr (as
// encoding/json writes it).
func AppendAddr(b []byte, v netip.Addr) []byte {
	b = append(b, '"')
	b, _ = v.AppendText(b)
	return append(b, '"')
}

// AppendPrefix appends v as a string in CIDR notation, "" for the zero
// Prefix.
func AppendPrefix(b []byte, v netip.Prefix) []byte {
	b = append(b, '"')
	b, _ = v.AppendText(b)
	return append(b, '"')
}

// AppendSlice appends s as a JSON array, each element by each. A nil slice
// is [] too: a missing list is never null. (Array columns are Arrays,
// written by AppendArray.)
func AppendSlice[T any](b []byte, s []T, each func([]byte, T) []byte) []byte {
	b = append(b, '[')
	for i, v := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = each(b, v)
	}
	return append(b, ']')
}

// AppendNullable appends null for nil, else *p by each.
func AppendNullable[T any](b []byte, p *T, each func([]byte, T) []byte) []byte {
	if p == nil {
		return append(b, "null"...)
	}
	return each(b, *p)
}

// AppendMarshaler appends v.AppendJSON; its type parameter lets generated
// code pass the method of a value type without boxing it in an interface.
func AppendMarshaler[T Marshaler](b []byte, v T) []byte { return v.AppendJSON(b) }
