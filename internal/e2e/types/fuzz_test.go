package types_test

import (
	"encoding/binary"
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// A fuzzColumn turns the fuzzer's input into a value of a column's type:
// an SQL expression and its parameters (from $2 on; $1 is the row's key).
// ok is false for input that makes no value.
type fuzzColumn struct {
	tb    table
	col   string
	value func(n, m int64, s string) (sql string, args []any, ok bool)
}

// param is a value passed as it is.
func param(cast string, v any) (string, []any, bool) { return "$2" + cast, []any{v}, true }

// text is a value of text without NUL, which text cannot hold.
func text(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

var fuzzColumns = []fuzzColumn{
	{scalars, "i2n", func(n, _ int64, _ string) (string, []any, bool) { return param("::int2", int16(n)) }},
	{scalars, "i8n", func(n, _ int64, _ string) (string, []any, bool) { return param("::int8", n) }},
	{scalars, "f4n", func(n, _ int64, _ string) (string, []any, bool) {
		return param("::float4", math.Float32frombits(uint32(n)))
	}},
	{scalars, "f8n", func(n, _ int64, _ string) (string, []any, bool) {
		return param("::float8", math.Float64frombits(uint64(n)))
	}},
	{scalars, "numn", func(n, m int64, s string) (string, []any, bool) {
		switch m % 8 {
		case 1:
			return "'NaN'", nil, true
		case 2:
			return "'Infinity'", nil, true
		case 3:
			return "'-Infinity'", nil, true
		}
		// Digits after the point from s, as many as they are.
		frac := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
		v := strconv.FormatInt(n, 10)
		if frac != "" {
			v += "." + frac
		}
		return param("::numeric", v)
	}},
	{scalars, "tn", func(_, _ int64, s string) (string, []any, bool) { return "$2", []any{s}, text(s) }},
	{scalars, "vcn", func(_, _ int64, s string) (string, []any, bool) {
		return "$2", []any{s}, text(s) && utf8.RuneCountInString(s) <= 20
	}},
	{scalars, "byn", func(_, _ int64, s string) (string, []any, bool) { return "$2", []any{[]byte(s)}, true }},
	{scalars, "tstzn", func(n, m int64, _ string) (string, []any, bool) {
		if inf := infinity(m); inf != "" {
			return inf, nil, true
		}
		return param("::bigint * interval '1 microsecond' + timestamptz '2000-01-01 00:00:00+00'", n)
	}},
	{scalars, "tsn", func(n, m int64, _ string) (string, []any, bool) {
		if inf := infinity(m); inf != "" {
			return inf, nil, true
		}
		return param("::bigint * interval '1 microsecond' + timestamp '2000-01-01 00:00:00'", n)
	}},
	{scalars, "dn", func(n, m int64, _ string) (string, []any, bool) {
		if inf := infinity(m); inf != "" {
			return inf, nil, true
		}
		return param("::int4 + date '2000-01-01'", int32(n))
	}},
	{scalars, "tmn", func(n, _ int64, _ string) (string, []any, bool) {
		us := n % (86_400_000_000 + 1)
		if us < 0 {
			us = -us
		}
		return param("::bigint * interval '1 microsecond' + time '00:00'", us)
	}},
	{scalars, "ivn", func(n, m int64, _ string) (string, []any, bool) {
		return "$2::int4 * interval '1 month' + $3::int4 * interval '1 day' + $4::bigint * interval '1 microsecond'",
			[]any{int32(m), int32(m >> 32), n}, true
	}},
	{scalars, "jsn", func(_, _ int64, s string) (string, []any, bool) { return "$2::text::json", []any{s}, text(s) }},
	{scalars, "jbn", func(_, _ int64, s string) (string, []any, bool) { return "$2::text::jsonb", []any{s}, text(s) }},
	{scalars, "ipn", func(n, m int64, _ string) (string, []any, bool) {
		var b [16]byte
		binary.BigEndian.PutUint64(b[:], uint64(n))
		binary.BigEndian.PutUint64(b[8:], uint64(m))
		addr := netip.AddrFrom16(b)
		if m%2 == 0 {
			addr = netip.AddrFrom4([4]byte(b[:4]))
		}
		bits := int(uint8(m>>8)) % (addr.BitLen() + 1)
		return param("::text::inet", netip.PrefixFrom(addr, bits).String())
	}},
	{scalars, "un", func(n, m int64, _ string) (string, []any, bool) {
		return param("::uuid", fmt.Sprintf("%016x%016x", uint64(n), uint64(m)))
	}},
	{scalars, "mn", func(n, _ int64, _ string) (string, []any, bool) {
		return param("::text::mood", []string{"sad", "ok", "happy"}[uint64(n)%3])
	}},
	{arrays, "intsn", func(n, m int64, s string) (string, []any, bool) {
		return param("::text::int4[]", arrayText(n, m, s, func(i int, b byte) string { return strconv.Itoa(int(int8(b)) * (i + 1)) }))
	}},
	{arrays, "textsn", func(n, m int64, s string) (string, []any, bool) {
		if !text(s) {
			return "", nil, false
		}
		words := strings.Fields(s)
		return param("::text[]", words)
	}},
	{arrays, "times", func(n, m int64, s string) (string, []any, bool) {
		return param("::text::timestamptz[]", arrayText(n, m, s, func(i int, b byte) string {
			switch b % 4 {
			case 0:
				return "infinity"
			case 1:
				return "-infinity"
			}
			return fmt.Sprintf(`"%04d-%02d-%02d 12:34:56.%06d+00%s"`, 1+int(b)*37, 1+int(b)%12, 1+int(b)%28, i, map[bool]string{true: " BC"}[b%3 == 0])
		}))
	}},
	{arrays, "nums", func(n, m int64, s string) (string, []any, bool) {
		return param("::text::numeric[]", arrayText(n, m, s, func(i int, b byte) string {
			if b%5 == 0 {
				return "NaN"
			}
			return fmt.Sprintf("%d.%0*d", int8(b), i%4, i)
		}))
	}},
	{arrays, "matrix", func(n, m int64, s string) (string, []any, bool) {
		return param("::text::int4[]", arrayText(n, m, s, func(i int, b byte) string { return strconv.Itoa(int(b) - i) }))
	}},
	{arrays, "moodsn", func(n, m int64, s string) (string, []any, bool) {
		return param("::text::mood[]", arrayText(n, m, s, func(_ int, b byte) string { return []string{"sad", "ok", "happy"}[b%3] }))
	}},
	{fallbacks, "hs", func(_, _ int64, s string) (string, []any, bool) { return "$2::text::hstore", []any{s}, text(s) }},
	{fallbacks, "pr", func(n, _ int64, s string) (string, []any, bool) {
		return "ROW($2::int4, $3::text)::pair", []any{int32(n), s}, text(s)
	}},
	{fallbacks, "r8", func(n, m int64, _ string) (string, []any, bool) {
		return "int8range($2, $3, $4)", []any{min(n, m), max(n, m), []string{"[)", "(]", "[]", "()"}[uint64(n^m)%4]}, true
	}},
}

// infinity returns 'infinity' or '-infinity' for a few values of m, else "".
func infinity(m int64) string {
	switch m % 16 {
	case 1:
		return "'infinity'"
	case 2:
		return "'-infinity'"
	}
	return ""
}

// arrayText is the text of an array whose elements each makes of a byte
// of s (NULL for some): of 1 to 3 dimensions with lower bounds from n and
// lengths from m, as many elements as s has bytes, or an empty array.
func arrayText(n, m int64, s string, each func(i int, b byte) string) string {
	if s == "" {
		return "{}"
	}
	dims := 1 + int(uint64(m)%3)
	lengths := make([]int, dims)
	count := 1
	for i := range lengths {
		lengths[i] = 1 + int(uint64(m>>(8*i+8))%3)
		count *= lengths[i]
	}
	var b strings.Builder
	if n%2 != 0 {
		for i := range lengths {
			lower := int(int8(n >> (8 * i)))
			fmt.Fprintf(&b, "[%d:%d]", lower, lower+lengths[i]-1)
		}
		b.WriteByte('=')
	}
	var elem func(level int, at *int)
	elem = func(level int, at *int) {
		b.WriteByte('{')
		for i := range lengths[level] {
			if i > 0 {
				b.WriteByte(',')
			}
			if level+1 < dims {
				elem(level+1, at)
				continue
			}
			c := s[*at%len(s)]
			if c%7 == 0 {
				b.WriteString("NULL")
			} else {
				b.WriteString(each(*at, c))
			}
			*at++
		}
		b.WriteByte('}')
	}
	at := 0
	elem(0, &at)
	return b.String()
}

// FuzzReadBack writes a value the fuzzer builds into a column with SQL,
// behind the API's back, and requires it to read back as the document
// says and write back unchanged (readsBack). Values PostgreSQL refuses
// are skipped.
func FuzzReadBack(f *testing.F) {
	// Three seeds a column, in turn from the list (the edges of each type
	// are TestEdgesReadBack's): every seed runs in make test.
	seeds := []struct {
		n, m int64
		s    string
	}{
		{0, 0, ""}, {1, 1, "a1"}, {-1, 2, `{"a": [1, null]}`}, {math.MaxInt64, math.MinInt64, "é 🌍 x"},
		{0x7ff8000000000001, 17, "a=>b, \"c d\"=>NULL"}, {-211813488000000000, 3, "0123456789"},
		{9223371331199999999, 4, strings.Repeat("xyz ", 10)},
	}
	for i := range fuzzColumns {
		for j := range 3 {
			seed := seeds[(i+j)%len(seeds)]
			f.Add(uint8(i), seed.n, seed.m, seed.s)
		}
	}
	f.Fuzz(func(t *testing.T, column uint8, n, m int64, s string) {
		c := fuzzColumns[int(column)%len(fuzzColumns)]
		expr, args, ok := c.value(n, m, s)
		if !ok {
			return
		}
		srv := newServer(t)
		id := srv.newRow(t, c.tb)
		defer func() {
			res := srv.Do(t, http.MethodDelete, c.tb.path+"/"+id, nil)
			require.Equal(t, http.StatusNoContent, res.Status, "%s", res.Raw)
		}()
		if err := srv.set(c.tb, id, c.col, expr, args...); err != nil {
			return // not a value of the column
		}
		srv.readsBack(t, c.tb, id)
	})
}
