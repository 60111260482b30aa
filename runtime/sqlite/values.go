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

// scanTargets returns the destinations to give database/sql for dest:
// each as it is, or a converter for the types database/sql cannot fill
// from SQLite's values.
func scanTargets(targets, dest []any) []any {
	for _, d := range dest {
		targets = append(targets, scanTarget(d))
	}
	return targets
}

func scanTarget(d any) any {
	switch d := d.(type) {
	case *string, *int32, *int16, *float32, *[]byte, *any, sql.Scanner:
		return d
	case *int64:
		return &intScanner{dst: d}
	case **int64:
		return nullable(d, func(v *int64) sql.Scanner { return &intScanner{dst: v} })
	case *float64:
		return &floatScanner{dst: d}
	case **float64:
		return nullable(d, func(v *float64) sql.Scanner { return &floatScanner{dst: v} })
	case *bool:
		return &boolScanner{dst: d}
	case **bool:
		return nullable(d, func(v *bool) sql.Scanner { return &boolScanner{dst: v} })
	case *time.Time:
		return &timeScanner{dst: d}
	case **time.Time:
		return nullable(d, func(t *time.Time) sql.Scanner { return &timeScanner{dst: t} })
	case *json.RawMessage:
		return &jsonScanner{dst: d}
	case encoding.TextUnmarshaler:
		return &textScanner{dst: d}
	}
	// A **T of a runtime type: NULL is nil.
	if p := reflect.ValueOf(d); p.Kind() == reflect.Pointer && p.Elem().Kind() == reflect.Pointer {
		if _, ok := reflect.New(p.Elem().Type().Elem()).Interface().(encoding.TextUnmarshaler); ok {
			return scanFunc(func(src any) error {
				if src == nil {
					p.Elem().SetZero()
					return nil
				}
				v := reflect.New(p.Elem().Type().Elem())
				if err := (&textScanner{dst: v.Interface().(encoding.TextUnmarshaler)}).Scan(src); err != nil {
					return err
				}
				p.Elem().Set(v)
				return nil
			})
		}
	}
	return d
}

// nullable scans NULL into *p as nil, and a value into a new T.
func nullable[T any](p **T, scanner func(*T) sql.Scanner) sql.Scanner {
	return scanFunc(func(src any) error {
		if src == nil {
			*p = nil
			return nil
		}
		v := new(T)
		if err := scanner(v).Scan(src); err != nil {
			return err
		}
		*p = v
		return nil
	})
}

type scanFunc func(src any) error

func (f scanFunc) Scan(src any) error { return f(src) }

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

// textScanner reads a runtime type from its text.
type textScanner struct{ dst encoding.TextUnmarshaler }

func (s *textScanner) Scan(src any) error {
	if src == nil {
		return fmt.Errorf("sqlite: cannot scan NULL into %T", s.dst)
	}
	if d, ok := s.dst.(*runtime.Date); ok {
		switch v := src.(type) {
		case time.Time: // the driver reads the text of DATE columns as a time
			*d = runtime.DateFromTime(v)
			return nil
		case int64:
			*d = runtime.DateFromTime(numericTime(float64(v)))
			return nil
		case float64:
			*d = runtime.DateFromTime(numericTime(v))
			return nil
		}
	}
	text, ok := textOf(src)
	if !ok {
		return fmt.Errorf("sqlite: cannot scan %T into %T", src, s.dst)
	}
	return s.dst.UnmarshalText([]byte(text))
}

// jsonScanner reads a JSON document stored as text or as a blob.
type jsonScanner struct{ dst *json.RawMessage }

func (s *jsonScanner) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.dst = nil
	case string:
		*s.dst = json.RawMessage(v)
	case []byte:
		*s.dst = append(json.RawMessage(nil), v...)
	default:
		text, _ := textOf(v) // a number is a JSON document too
		*s.dst = json.RawMessage(text)
	}
	return nil
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

// timeScanner reads a time written as text in one of the timeLayouts, as
// the driver's time.Time (for columns declared DATE, DATETIME or
// TIMESTAMP), or as a number (see numericTime).
type timeScanner struct{ dst *time.Time }

func (s *timeScanner) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*s.dst = v.UTC()
		return nil
	case int64:
		*s.dst = numericTime(float64(v))
		return nil
	case float64:
		*s.dst = numericTime(v)
		return nil
	case string, []byte:
		text, _ := textOf(v)
		t, err := ParseTime(text)
		if err != nil {
			return err
		}
		*s.dst = t
		return nil
	case nil:
		return fmt.Errorf("sqlite: cannot scan NULL into %T", s.dst)
	}
	return fmt.Errorf("sqlite: cannot scan %T into %T", src, s.dst)
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

// intScanner reads an integer, a real without a fraction, or the text of
// either.
type intScanner struct{ dst *int64 }

func (s *intScanner) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*s.dst = v
		return nil
	case float64:
		if v == math.Trunc(v) && v >= -(1<<63) && v < 1<<63 {
			*s.dst = int64(v)
			return nil
		}
	case string, []byte:
		text, _ := textOf(v)
		text = strings.TrimSpace(text)
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			*s.dst = n
			return nil
		}
		if f, err := strconv.ParseFloat(text, 64); err == nil {
			return s.Scan(f)
		}
	case nil:
		return errors.New("sqlite: cannot scan NULL into *int64")
	}
	return fmt.Errorf("sqlite: %v (%T) is not an integer", src, src)
}

// floatScanner reads a number, or its text.
type floatScanner struct{ dst *float64 }

func (s *floatScanner) Scan(src any) error {
	switch v := src.(type) {
	case float64:
		*s.dst = v
		return nil
	case int64:
		*s.dst = float64(v)
		return nil
	case string, []byte:
		text, _ := textOf(v)
		if f, err := strconv.ParseFloat(strings.TrimSpace(text), 64); err == nil {
			*s.dst = f
			return nil
		}
	case nil:
		return errors.New("sqlite: cannot scan NULL into *float64")
	}
	return fmt.Errorf("sqlite: %v (%T) is not a number", src, src)
}

// boolScanner reads a boolean as SQLite and the programs around it write
// one: a number (0 is false, any other true), or the text true/false,
// t/f, yes/no, y/n, on/off, 1/0 in any case.
type boolScanner struct{ dst *bool }

func (s *boolScanner) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*s.dst = v != 0
		return nil
	case float64:
		*s.dst = v != 0
		return nil
	case bool:
		*s.dst = v
		return nil
	case string, []byte:
		text, _ := textOf(v)
		switch strings.ToLower(strings.TrimSpace(text)) {
		case "1", "true", "t", "yes", "y", "on":
			*s.dst = true
			return nil
		case "0", "false", "f", "no", "n", "off":
			*s.dst = false
			return nil
		}
	case nil:
		return errors.New("sqlite: cannot scan NULL into *bool")
	}
	return fmt.Errorf("sqlite: %v (%T) is not a boolean", src, src)
}
