package runtime

import (
	"encoding/base64"
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
)

// PathParam reads the route parameter name and parses it; a value that
// does not parse is a 422 problem located at ["path", name].
func PathParam[T any](r *http.Request, name string, parse func(string) (T, error)) (T, error) {
	raw := chi.URLParam(r, name)
	if r.URL.RawPath != "" {
		// chi matched the escaped path; the parameter is still escaped.
		if s, err := url.PathUnescape(raw); err == nil {
			raw = s
		}
	}
	v, err := parse(raw)
	if err != nil {
		var zero T
		return zero, Invalid(FieldError{Loc: []any{"path", name}, Code: CodeType, Message: err.Error()})
	}
	return v, nil
}

// QueryLimit reads the limit query parameter: def when absent, a 422
// problem when it is not an integer from 1 to max.
func QueryLimit(r *http.Request, def, max int) (int, error) {
	raw := r.URL.Query().Get("limit")
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	switch {
	case err != nil:
		return 0, Invalid(FieldError{Loc: []any{"query", "limit"}, Code: CodeType, Message: "must be an integer"})
	case n < 1:
		return 0, Invalid(FieldError{Loc: []any{"query", "limit"}, Code: CodeMinimum, Message: "must be at least 1"})
	case n > max:
		return 0, Invalid(FieldError{Loc: []any{"query", "limit"}, Code: CodeMaximum, Message: fmt.Sprintf("must be at most %d", max)})
	}
	return n, nil
}

// Location is the URL of a created row: the collection's path from the
// request, then each key part, escaped as one path segment. A key "." or
// ".." is escaped in full ("%2E%2E"), since clients resolve those
// segments as the current and parent directory.
func Location(r *http.Request, key ...string) string {
	b := []byte(strings.TrimSuffix(r.URL.EscapedPath(), "/"))
	for _, k := range key {
		b = append(b, '/')
		switch k {
		case ".", "..":
			b = append(b, strings.Repeat("%2E", len(k))...)
		default:
			b = append(b, url.PathEscape(k)...)
		}
	}
	return string(b)
}

// KeyString prints a key value as it appears in a URL.
func KeyString(v any) string {
	switch k := v.(type) {
	case string:
		return k
	case int16:
		return strconv.FormatInt(int64(k), 10)
	case int32:
		return strconv.FormatInt(int64(k), 10)
	case int64:
		return strconv.FormatInt(k, 10)
	case bool:
		return strconv.FormatBool(k)
	case time.Time:
		return timeKey(k)
	case fmt.Stringer:
		return k.String()
	}
	return fmt.Sprint(v) // named string types (enums) print as themselves
}

// TimestampKey prints a timestamp (without time zone) key as
// ParseTimestamp reads it.
func TimestampKey(t time.Time) string {
	return strings.Trim(string(AppendTimestamp(nil, t)), `"`)
}

// The parsers below read path parameters; their errors become messages.

// ParseString accepts any text PostgreSQL can store: valid UTF-8 without
// NUL characters. Anything else would reach the database, which refuses it
// with an error that names no parameter.
func ParseString(s string) (string, error) {
	switch {
	case strings.IndexByte(s, 0) >= 0:
		return "", fmt.Errorf("must not contain NUL characters")
	case !utf8.ValidString(s):
		return "", fmt.Errorf("must be valid UTF-8")
	}
	return s, nil
}

// ParseInt16 parses a smallint.
func ParseInt16(s string) (int16, error) {
	n, err := parseInt(s, math.MinInt16, math.MaxInt16)
	return int16(n), err // #nosec G115 -- parseInt keeps n within int16
}

// ParseInt32 parses an integer.
func ParseInt32(s string) (int32, error) {
	n, err := parseInt(s, math.MinInt32, math.MaxInt32)
	return int32(n), err // #nosec G115 -- parseInt keeps n within int32
}

// ParseInt64 parses a bigint.
func ParseInt64(s string) (int64, error) { return parseInt(s, math.MinInt64, math.MaxInt64) }

func parseInt(s string, min, max int64) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < min || n > max {
		return 0, fmt.Errorf("must be an integer from %d to %d", min, max)
	}
	return n, nil
}

// ParseBool parses true or false.
func ParseBool(s string) (bool, error) {
	switch s {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("must be true or false")
}

// ParseEnum accepts any text for an enum type; Valid checks it later.
func ParseEnum[T ~string](s string) (T, error) { return T(s), nil }

// ParseValidEnum parses a value of an enum type, which must be one of its
// labels.
func ParseValidEnum[T interface {
	~string
	Valid() bool
}](s string) (T, error) {
	if !T(s).Valid() {
		return "", fmt.Errorf("%q is not a value of the enum", s)
	}
	return T(s), nil
}

// ParseFloat32 parses a real.
func ParseFloat32(s string) (float32, error) {
	f, err := parseFloat(s, 32)
	return float32(f), err
}

// ParseFloat64 parses a double precision.
func ParseFloat64(s string) (float64, error) { return parseFloat(s, 64) }

// nonFinite reads "NaN", "Infinity" and "-Infinity", the strings
// AppendFloat writes for the floats JSON numbers cannot be.
func nonFinite(s string) (float64, bool) {
	switch s {
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	return 0, false
}

// parseFloat parses a number that fits bits, or "NaN", "Infinity" or
// "-Infinity" as responses write them (not strconv's other spellings, such
// as inf, nor numbers too large, which it reads as infinities).
func parseFloat(s string, bits int) (float64, error) {
	if f, ok := nonFinite(s); ok {
		return f, nil
	}
	f, err := strconv.ParseFloat(s, bits)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("must be a number, NaN, Infinity or -Infinity")
	}
	return f, nil
}

// ParseBytes parses bytea written as standard base64, as responses write it.
func ParseBytes(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("must be base64")
	}
	return b, nil
}

// ParseAddr parses an inet address.
func ParseAddr(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("must be an IP address")
	}
	return a, nil
}

// ParsePrefix parses a cidr network.
func ParsePrefix(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil || p.Masked() != p {
		return netip.Prefix{}, fmt.Errorf("must be a network such as 10.0.0.0/8")
	}
	return p, nil
}
