package postgres

import (
	"context"
	"database/sql"
	"encoding/binary"
	"math"
	"reflect"
	"time"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// pgx plans the scan of each column again for every query, and its plans
// reach a value through several layers of interfaces. For a read by key
// or a page of rows, planning costs more than decoding. A rowScanner
// decodes the binary formats of the common column types straight into
// Go fields, and leaves every other column, and every value it is not
// sure of (NULL where it cannot go, infinity, malformed bytes), to pgx,
// planned once per query as pgx does. The outcome is the same as pgx's:
// TestScannerAgreesWithPgx checks it value by value.

// ScanRows returns a pgx.Row whose Scan reads the current row of rows;
// it scans nothing but that row and never advances rows. Scan it once per
// row, with destinations of the same types each time (as generated
// code does), so that decoders are chosen once.
func ScanRows(rows pgx.Rows) pgx.Row {
	s := &rowScanner{rows: rows}
	if c := rows.Conn(); c != nil {
		s.types = c.TypeMap()
	}
	return s
}

// QueryRow is db.QueryRow, read by a rowScanner: it returns pgx.ErrNoRows
// when the query returns no row and reads only the first row otherwise.
func QueryRow(ctx context.Context, db Querier, sql string, args ...any) pgx.Row {
	rows, err := db.Query(ctx, sql, args...)
	return &firstRow{rows: rows, err: err}
}

type firstRow struct {
	rows pgx.Rows
	err  error
}

func (r *firstRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := ScanRows(r.rows).Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}

type rowScanner struct {
	rows  pgx.Rows
	types *pgtype.Map
	cols  []columnScan
	text  []byte // the row's values decoded from text, joined
}

// columnScan is how a column is read into destinations of type typ: by
// decode, or by pgx's plan when decode is nil or declines.
type columnScan struct {
	typ reflect.Type
	decoder
	plan pgtype.ScanPlan
}

// A decoder stores the value src into dst and reports true, or reports
// false, leaving dst alone, for pgx to scan. Decoders of strings take
// them from text, src as a string: the text of all a row's such columns
// is made with one allocation instead of one per value.
type decoder struct {
	decode func(src []byte, text string, dst any) bool
	text   bool // decode uses text
}

func (s *rowScanner) Scan(dest ...any) error {
	fields := s.rows.FieldDescriptions()
	values := s.rows.RawValues()
	if s.types == nil || len(fields) != len(dest) || len(values) != len(dest) {
		return s.rows.Scan(dest...) // pgx's own answer, errors included
	}
	if s.cols == nil {
		s.cols = make([]columnScan, len(dest))
	}
	s.text = s.text[:0]
	for i, dst := range dest {
		if dst == nil {
			continue
		}
		c := &s.cols[i]
		if t := reflect.TypeOf(dst); c.typ != t {
			*c = columnScan{typ: t, decoder: decoderFor(s.types, fields[i].DataTypeOID, fields[i].Format, dst)}
		}
		if c.text {
			s.text = append(s.text, values[i]...)
		}
	}
	text := string(s.text)
	for i, dst := range dest {
		if dst == nil {
			continue
		}
		c := &s.cols[i]
		var value string
		if c.text {
			value, text = text[:len(values[i])], text[len(values[i]):]
		}
		if c.decode != nil && c.decode(values[i], value, dst) {
			continue
		}
		if c.plan == nil {
			c.plan = s.types.PlanScan(fields[i].DataTypeOID, fields[i].Format, dst)
		}
		if err := c.plan.Scan(values[i], dst); err != nil {
			return pgx.ScanArgError{ColumnIndex: i, FieldName: fields[i].Name, Err: err}
		}
	}
	return nil
}

// decoderFor returns the decoder of a column of type oid in format into
// destinations like dst, or none. It decodes only where the type map holds
// pgx's own codec (or this package's) for oid, so a registered codec of
// the application's is obeyed.
func decoderFor(m *pgtype.Map, oid uint32, format int16, dst any) decoder {
	t, ok := m.TypeForOID(oid)
	if !ok {
		return decoder{}
	}
	if format != pgtype.BinaryFormatCode {
		if _, ok := t.Codec.(pgtype.TextCodec); ok {
			return stringDecoder(dst)
		}
		return decoder{}
	}
	switch c := unwrapTimeCodec(t.Codec).(type) { // its plan scans the infinities the decoders decline
	case pgtype.Int8Codec:
		return int8Decoders.into(dst)
	case pgtype.Int4Codec:
		return int4Decoders.into(dst)
	case pgtype.Int2Codec:
		return int2Decoders.into(dst)
	case pgtype.BoolCodec:
		return boolDecoders.into(dst)
	case pgtype.Float8Codec:
		return float8Decoders.into(dst)
	case pgtype.Float4Codec:
		return float4Decoders.into(dst)
	case pgtype.TextCodec:
		return stringDecoder(dst)
	case *pgtype.TimestamptzCodec:
		if c.ScanLocation == nil {
			return timestamptzDecoders.into(dst)
		}
		return decodersOf(timestamptzDecoder(c.ScanLocation), false).into(dst)
	case runtimeCodec:
		switch c.Codec.(type) {
		case decimalCodec:
			return numericDecoders.into(dst)
		case pgtype.UUIDCodec:
			return uuidDecoders.into(dst)
		}
	case *pgtype.ArrayCodec:
		if _, ok := c.ElementType.Codec.(pgtype.TextCodec); ok {
			return textArrayDecoders.into(dst)
		}
	}
	return decoder{}
}

// The decoders of each type, made once.
var (
	int8Decoders        = decodersOf(decodeInt8, false)
	int4Decoders        = decodersOf(decodeInt4, false)
	int2Decoders        = decodersOf(decodeInt2, false)
	boolDecoders        = decodersOf(decodeBool, false)
	float8Decoders      = decodersOf(decodeFloat8, false)
	float4Decoders      = decodersOf(decodeFloat4, false)
	textDecoders        = decodersOf(decodeText, true)
	timestamptzDecoders = decodersOf(timestamptzDecoder(nil), false)
	numericDecoders     = decodersOf(decodeNumeric, false)
	uuidDecoders        = decodersOf(decodeUUID, false)
	textArrayDecoders   = decodersOf(decodeTextArray, true)
)

// decoders read values of T into *T and into **T.
type decoders[T any] struct{ value, pointer decoder }

// decodersOf returns the decoders of values decode reads from src, or
// from text if usesText.
func decodersOf[T any](decode func(src []byte, text string) (T, bool), usesText bool) decoders[T] {
	return decoders[T]{
		value: decoder{text: usesText, decode: func(src []byte, text string, dst any) bool {
			if src == nil {
				return false
			}
			v, ok := decode(src, text)
			if ok {
				*dst.(*T) = v
			}
			return ok
		}},
		// As pgx: NULL sets the pointer to nil; a value is stored where
		// the pointer points, or in a new T if it is nil.
		pointer: decoder{text: usesText, decode: func(src []byte, text string, dst any) bool {
			p := dst.(**T)
			if src == nil {
				*p = nil
				return true
			}
			v, ok := decode(src, text)
			if !ok {
				return false
			}
			if *p == nil {
				*p = new(T)
			}
			**p = v
			return true
		}},
	}
}

// into returns the decoder into dst, none if dst is neither *T nor **T.
func (d decoders[T]) into(dst any) decoder {
	switch dst.(type) {
	case *T:
		return d.value
	case **T:
		return d.pointer
	}
	return decoder{}
}

var (
	textScanner = reflect.TypeFor[pgtype.TextScanner]()
	sqlScanner  = reflect.TypeFor[sql.Scanner]()
)

// stringDecoder returns the decoder of text into dst: a *string, a
// **string or a pointer to a string type of the application's (an enum)
// that scans like a string in pgx, having no scanning methods of its own.
func stringDecoder(dst any) decoder {
	if d := textDecoders.into(dst); d.decode != nil {
		return d
	}
	t := reflect.TypeOf(dst)
	if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.String || t.Implements(textScanner) || t.Implements(sqlScanner) {
		return decoder{}
	}
	return decoder{text: true, decode: func(src []byte, text string, dst any) bool {
		if src == nil {
			return false
		}
		reflect.ValueOf(dst).Elem().SetString(text)
		return true
	}}
}

func decodeText(_ []byte, text string) (string, bool) { return text, true }

func decodeInt8(src []byte, _ string) (int64, bool) {
	if len(src) != 8 {
		return 0, false
	}
	return int64(binary.BigEndian.Uint64(src)), true // #nosec G115 -- the wire format is int64, in two's complement
}

func decodeInt4(src []byte, _ string) (int32, bool) {
	if len(src) != 4 {
		return 0, false
	}
	return int32(binary.BigEndian.Uint32(src)), true // #nosec G115 -- the wire format is int32, in two's complement
}

func decodeInt2(src []byte, _ string) (int16, bool) {
	if len(src) != 2 {
		return 0, false
	}
	return int16(binary.BigEndian.Uint16(src)), true // #nosec G115 -- the wire format is int16, in two's complement
}

func decodeBool(src []byte, _ string) (bool, bool) {
	if len(src) != 1 {
		return false, false
	}
	return src[0] == 1, true
}

func decodeFloat8(src []byte, _ string) (float64, bool) {
	if len(src) != 8 {
		return 0, false
	}
	return math.Float64frombits(binary.BigEndian.Uint64(src)), true
}

func decodeFloat4(src []byte, _ string) (float32, bool) {
	if len(src) != 4 {
		return 0, false
	}
	return math.Float32frombits(binary.BigEndian.Uint32(src)), true
}

func decodeNumeric(src []byte, _ string) (runtime.Decimal, bool) {
	d, err := parseNumericBinary(src)
	return d, err == nil
}

func decodeUUID(src []byte, _ string) (runtime.UUID, bool) {
	if len(src) != 16 {
		return runtime.UUID{}, false
	}
	return runtime.UUID(src), true
}

// The binary timestamptz is microseconds since 2000-01-01 UTC; pgx reads
// it with time.Unix, so in time.Local unless the codec names a location,
// and only between its minimum and end (and never infinity).
var (
	y2kUnix           = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	minTimestamptz    = time.Date(-4713, 11, 24, 0, 0, 0, 0, time.UTC)
	endTimestamptz    = time.Date(294277, 1, 1, 0, 0, 0, 0, time.UTC)
	timestampInfinity = [2]int64{math.MaxInt64, math.MinInt64}
)

func timestamptzDecoder(loc *time.Location) func([]byte, string) (time.Time, bool) {
	return func(src []byte, _ string) (time.Time, bool) {
		if len(src) != 8 {
			return time.Time{}, false
		}
		us := int64(binary.BigEndian.Uint64(src)) // #nosec G115 -- the wire format is int64, in two's complement
		if us == timestampInfinity[0] || us == timestampInfinity[1] {
			return time.Time{}, false
		}
		t := time.Unix(y2kUnix+us/1_000_000, us%1_000_000*1_000)
		if t.Before(minTimestamptz) || !t.Before(endTimestamptz) {
			return time.Time{}, false
		}
		if loc != nil {
			t = t.In(loc)
		}
		return t, true
	}
}

// decodeTextArray reads a one-dimensional array of text without NULLs,
// numbered from 1: int32 dimensions, int32 has-nulls, uint32 element type,
// then per dimension int32 length and lower bound, then per element an
// int32 length and the bytes. No dimension is an empty array. Other arrays
// (NULL elements, several dimensions, other bounds) are left to pgx.
func decodeTextArray(src []byte, text string) (runtime.Array[string], bool) {
	if len(src) < 12 {
		return runtime.Array[string]{}, false
	}
	switch binary.BigEndian.Uint32(src) {
	case 0:
		return runtime.Array[string]{Elems: []string{}}, len(src) == 12
	case 1:
	default:
		return runtime.Array[string]{}, false
	}
	if len(src) < 20 || binary.BigEndian.Uint32(src[4:]) != 0 || binary.BigEndian.Uint32(src[16:]) != 1 {
		return runtime.Array[string]{}, false
	}
	n := int(int32(binary.BigEndian.Uint32(src[12:]))) // #nosec G115 -- the wire format is int32; checked below
	rest := src[20:]
	if n < 0 || n > len(rest)/4 {
		return runtime.Array[string]{}, false
	}
	all := text[20:] // the elements are slices of it
	out := make([]string, n)
	at := 0
	for i := range out {
		if len(all)-at < 4 {
			return runtime.Array[string]{}, false
		}
		size := int(int32(binary.BigEndian.Uint32(rest[at:]))) // #nosec G115 -- the wire format is int32; checked below
		at += 4
		if size < 0 || size > len(all)-at {
			return runtime.Array[string]{}, false
		}
		out[i] = all[at : at+size]
		at += size
	}
	if at != len(all) {
		return runtime.Array[string]{}, false
	}
	return runtime.Array[string]{Elems: out}, true
}
