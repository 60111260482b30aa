package sqlite

import (
	"database/sql"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/crudgen/crudgen/runtime"
)

// SQLite stores integers, reals, text and blobs; the runtime's types
// travel as text, in the form their MarshalText writes and UnmarshalText
// reads (Decimal, Date, TimeOfDay, UUID), which is also what SQLite's date
// and time functions read. Times are written in UTC as "YYYY-MM-DD
// HH:MM:SS" with the fraction of a second when there is one: the form of
// CURRENT_TIMESTAMP, so that times written by SQLite and by the API sort
// together as text.

// TimeLayout is how times are written.
const TimeLayout = "2006-01-02 15:04:05.999999999"

// bindArgs converts the arguments of a statement to what SQLite stores.
// NaN is an error: SQLite would store it as NULL.
func bindArgs(args []any) ([]any, error) {
	out := args
	for i, a := range args {
		if f, ok := a.(float64); ok && math.IsNaN(f) || isNaN32(a) {
			return nil, errNaN
		}
		v, changed := bindArg(a)
		if !changed {
			continue
		}
		if &out[0] == &args[0] {
			out = append([]any(nil), args...) // the caller's slice stays as it was
		}
		out[i] = v
	}
	return out, nil
}

func isNaN32(a any) bool {
	f, ok := a.(float32)
	return ok && f != f
}

// errNaN is a 422: SQLite has no NaN, and would store NULL.
var errNaN = errors.New("sqlite: NaN cannot be stored: SQLite would store NULL")

func bindArg(a any) (any, bool) {
	switch v := a.(type) {
	case nil, string, int64, int32, int16, int, float64, float32, bool, []byte:
		return a, false
	case time.Time:
		return v.UTC().Format(TimeLayout), true
	case json.RawMessage:
		if v == nil {
			return nil, true
		}
		return string(v), true // JSON is text, not a blob
	}
	if p := reflect.ValueOf(a); p.Kind() == reflect.Pointer {
		// Pointers of nullable fields: nil is NULL.
		if p.IsNil() {
			return nil, true
		}
		v, _ := bindArg(p.Elem().Interface())
		return v, true
	}
	switch v := a.(type) {
	case encoding.TextMarshaler:
		b, err := v.MarshalText()
		if err != nil {
			return a, false // the driver reports it
		}
		return string(b), true
	}
	return a, false
}

// converter is what database/sql scans a column into when the
// destination's type is one it cannot fill from SQLite's values (see
// kindOf): it converts the value and stores it in dst. Rows keep one per
// column and reuse it from row to row, so that scanning allocates only
// for what the values themselves need.
type converter struct {
	kind conversion
	dst  any
	text []byte // a number's text, for a TextUnmarshaler
}

// conversion is what a converter does.
type conversion uint8

const (
	asIs       conversion = iota // database/sql fills the destination itself
	toTime                       // *time.Time: see scanTime
	toTimePtr                    // **time.Time: NULL is nil
	toJSON                       // *json.RawMessage: the document, stored as text or a blob
	toText                       // an encoding.TextUnmarshaler (the runtime's types): from its text
	toTextPtr                    // a **T whose *T is an encoding.TextUnmarshaler: NULL is nil
	toInt                        // *int64: see scanInt
	toIntPtr                     // **int64: NULL is nil
	toFloat                      // *float64: see scanFloat
	toFloatPtr                   // **float64: NULL is nil
	toBool                       // *bool: see scanBool
	toBoolPtr                    // **bool: NULL is nil
)

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// kindOf returns the conversion a destination needs.
func kindOf(d any) conversion {
	switch d.(type) {
	case *string, *int32, *int16, *float32, *[]byte, *any, sql.Scanner,
		**string, **int32, **int16, **float32:
		return asIs
	case *int64:
		return toInt
	case **int64:
		return toIntPtr
	case *float64:
		return toFloat
	case **float64:
		return toFloatPtr
	case *bool:
		return toBool
	case **bool:
		return toBoolPtr
	case *time.Time:
		return toTime
	case **time.Time:
		return toTimePtr
	case *json.RawMessage:
		return toJSON
	case encoding.TextUnmarshaler:
		return toText
	}
	if t := reflect.TypeOf(d); t != nil && t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Pointer &&
		t.Elem().Implements(textUnmarshaler) {
		return toTextPtr
	}
	return asIs
}

// scanTargets appends to targets the destinations to give database/sql for
// dest: each as it is, or one of convs (grown as needed, and returned)
// converting into it.
func scanTargets(targets []any, convs []converter, dest []any) ([]any, []converter) {
	n := 0
	for _, d := range dest {
		if kindOf(d) != asIs {
			n++
		}
	}
	if len(convs) < n {
		convs = make([]converter, n)
	}
	if cap(targets) < len(dest) {
		targets = make([]any, 0, len(dest))
	}
	n = 0
	for _, d := range dest {
		k := kindOf(d)
		if k == asIs {
			targets = append(targets, d)
			continue
		}
		c := &convs[n]
		c.kind, c.dst = k, d
		targets = append(targets, c)
		n++
	}
	return targets, convs
}

func (c *converter) Scan(src any) error {
	switch c.kind {
	case toTime:
		return scanTime(c.dst.(*time.Time), src)
	case toTimePtr:
		p := c.dst.(**time.Time)
		if src == nil {
			*p = nil
			return nil
		}
		t := new(time.Time)
		if err := scanTime(t, src); err != nil {
			return err
		}
		*p = t
	case toJSON:
		dst := c.dst.(*json.RawMessage)
		switch v := src.(type) {
		case nil:
			*dst = nil
		case string:
			*dst = json.RawMessage(v)
		case []byte:
			*dst = append(json.RawMessage(nil), v...)
		default:
			text, _ := textOf(v) // a number is a JSON document too
			*dst = json.RawMessage(text)
		}
	case toInt:
		return scanInt(c.dst.(*int64), src)
	case toIntPtr:
		return scanNullable(c.dst.(**int64), src, scanInt)
	case toFloat:
		return scanFloat(c.dst.(*float64), src)
	case toFloatPtr:
		return scanNullable(c.dst.(**float64), src, scanFloat)
	case toBool:
		return scanBool(c.dst.(*bool), src)
	case toBoolPtr:
		return scanNullable(c.dst.(**bool), src, scanBool)
	case toText:
		return c.scanText(c.dst.(encoding.TextUnmarshaler), src)
	case toTextPtr:
		p := reflect.ValueOf(c.dst).Elem()
		if src == nil {
			p.SetZero()
			return nil
		}
		v := reflect.New(p.Type().Elem())
		if err := c.scanText(v.Interface().(encoding.TextUnmarshaler), src); err != nil {
			return err
		}
		p.Set(v)
	}
	return nil
}

// scanText reads a runtime type from its text.
func (c *converter) scanText(dst encoding.TextUnmarshaler, src any) error {
	switch v := src.(type) {
	case nil:
		return fmt.Errorf("sqlite: cannot scan NULL into %T", dst)
	case time.Time:
		if d, ok := dst.(*runtime.Date); ok {
			// The driver reads the text of DATE columns as a time.
			*d = runtime.DateFromTime(v)
			return nil
		}
		c.text = v.UTC().AppendFormat(c.text[:0], TimeLayout)
	case int64, float64:
		if d, ok := dst.(*runtime.Date); ok {
			f, _ := v.(float64)
			if n, ok := v.(int64); ok {
				f = float64(n)
			}
			*d = runtime.DateFromTime(numericTime(f))
			return nil
		}
		if n, ok := v.(int64); ok {
			c.text = strconv.AppendInt(c.text[:0], n, 10)
		} else {
			c.text = strconv.AppendFloat(c.text[:0], v.(float64), 'f', -1, 64)
		}
	case []byte:
		return dst.UnmarshalText(v) // which copies what it keeps
	case string:
		c.text = append(c.text[:0], v...)
	default:
		return fmt.Errorf("sqlite: cannot scan %T into %T", src, dst)
	}
	return dst.UnmarshalText(c.text)
}

// textOf returns a value SQLite stores as text.
func textOf(src any) (string, bool) {
	switch v := src.(type) {
	case string:
		return v, true
	case []byte:
		return string(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case time.Time:
		return v.UTC().Format(TimeLayout), true
	}
	return "", false
}

// timeLayouts are the forms of time SQLite's functions read, besides
// RFC 3339: with a T or a space, with or without seconds, a fraction and
// a zone; a date alone is midnight.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// scanTime reads a time written as text in one of the timeLayouts, as
// the driver's time.Time (for columns declared DATE, DATETIME or
// TIMESTAMP), or as a number (see numericTime).
func scanTime(dst *time.Time, src any) error {
	switch v := src.(type) {
	case time.Time:
		*dst = v.UTC()
		return nil
	case int64:
		*dst = numericTime(float64(v))
		return nil
	case float64:
		*dst = numericTime(v)
		return nil
	case string, []byte:
		text, _ := textOf(v)
		t, err := ParseTime(text)
		if err != nil {
			return err
		}
		*dst = t
		return nil
	case nil:
		return fmt.Errorf("sqlite: cannot scan NULL into %T", dst)
	}
	return fmt.Errorf("sqlite: cannot scan %T into %T", src, dst)
}

// numericTime reads a number as SQLite's date and time functions do with
// the auto modifier: from 0 to 5373484.5 a Julian day number (julianday()
// writes those), otherwise a Unix time in seconds (unixepoch()).
func numericTime(v float64) time.Time {
	if v >= 0 && v <= 5373484.5 {
		v = (v - 2440587.5) * 86400 // the Julian day of 1970-01-01 00:00 UTC
	}
	sec := math.Floor(v)
	return time.Unix(int64(sec), int64(math.Round((v-sec)*1e6))*1e3).UTC()
}

// ParseTime reads a time as SQLite's date and time functions write and
// read it; one without a zone is in UTC.
func ParseTime(s string) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("sqlite: %q is not a time such as 2006-01-02 15:04:05", s)
}

// SQLite keeps a value in the storage class it came with when the
// column's affinity cannot convert it losslessly (and a STRICT table's
// columns take one class only): other programs may have written 1.0 or
// "42" where the API writes integers, 1, "true" or "yes" for booleans.
// The scanners below read every value whose meaning in the column's type
// is clear; any other (text "abc" in an INTEGER column) is an error.

// scanNullable scans NULL into *p as nil, and a value into a new T.
func scanNullable[T any](p **T, src any, scan func(*T, any) error) error {
	if src == nil {
		*p = nil
		return nil
	}
	v := new(T)
	if err := scan(v, src); err != nil {
		return err
	}
	*p = v
	return nil
}

// scanInt reads an integer, a real without a fraction, or the text of
// either.
func scanInt(dst *int64, src any) error {
	switch v := src.(type) {
	case int64:
		*dst = v
		return nil
	case float64:
		if v == math.Trunc(v) && v >= -(1<<63) && v < 1<<63 {
			*dst = int64(v)
			return nil
		}
	case string, []byte:
		text, _ := textOf(v)
		text = strings.TrimSpace(text)
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			*dst = n
			return nil
		}
		if f, err := strconv.ParseFloat(text, 64); err == nil {
			return scanInt(dst, f)
		}
	case nil:
		return errors.New("sqlite: cannot scan NULL into *int64")
	}
	return fmt.Errorf("sqlite: %v (%T) is not an integer", src, src)
}

// scanFloat reads a number, or its text.
func scanFloat(dst *float64, src any) error {
	switch v := src.(type) {
	case float64:
		*dst = v
		return nil
	case int64:
		*dst = float64(v)
		return nil
	case string, []byte:
		text, _ := textOf(v)
		if f, err := strconv.ParseFloat(strings.TrimSpace(text), 64); err == nil {
			*dst = f
			return nil
		}
	case nil:
		return errors.New("sqlite: cannot scan NULL into *float64")
	}
	return fmt.Errorf("sqlite: %v (%T) is not a number", src, src)
}

// scanBool reads a boolean as SQLite and the programs around it write
// one: a number (0 is false, any other true), or the text true/false,
// t/f, yes/no, y/n, on/off, 1/0 in any case.
func scanBool(dst *bool, src any) error {
	switch v := src.(type) {
	case int64:
		*dst = v != 0
		return nil
	case float64:
		*dst = v != 0
		return nil
	case bool:
		*dst = v
		return nil
	case string, []byte:
		text, _ := textOf(v)
		switch strings.ToLower(strings.TrimSpace(text)) {
		case "1", "true", "t", "yes", "y", "on":
			*dst = true
			return nil
		case "0", "false", "f", "no", "n", "off":
			*dst = false
			return nil
		}
	case nil:
		return errors.New("sqlite: cannot scan NULL into *bool")
	}
	return fmt.Errorf("sqlite: %v (%T) is not a boolean", src, src)
}
