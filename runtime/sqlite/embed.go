package sqlite

import (
	"bytes"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/crudgen/crudgen/runtime"
)

// SQLite has no records: a list reads an included relation as JSON, a
// parent as a JSON array of its values (or NULL) and children as an array
// of such arrays (see the model's Relation.SQL). EmbedOne and EmbedMany
// read them into rows through the rows' ScanIndex, converting each value
// as a column of the row's type would be.

// EmbedOne embeds a parent row: its object, or null.
func EmbedOne[T any, P interface {
	*T
	runtime.Marshaler
	runtime.RecordScanner
}]() (any, func([]byte) []byte) {
	var (
		row   T
		valid bool
	)
	target := scanFunc(func(src any) error {
		values, err := jsonValues(src)
		if err != nil || values == nil {
			valid = false
			return err
		}
		var one []any
		if err := decodeJSON(values, &one); err != nil {
			return err
		}
		valid = true
		return scanRecord(P(&row), one)
	})
	return target, func(b []byte) []byte {
		if !valid {
			return append(b, "null"...)
		}
		return P(&row).AppendJSON(b)
	}
}

// EmbedMany embeds children: an array of their objects.
func EmbedMany[T any, P interface {
	*T
	runtime.Marshaler
	runtime.RecordScanner
}]() (any, func([]byte) []byte) {
	var rows []T
	target := scanFunc(func(src any) error {
		values, err := jsonValues(src)
		if err != nil || values == nil {
			rows = nil
			return err
		}
		var many [][]any
		if err := decodeJSON(values, &many); err != nil {
			return err
		}
		rows = make([]T, len(many))
		for i, one := range many {
			if err := scanRecord(P(&rows[i]), one); err != nil {
				return err
			}
		}
		return nil
	})
	return target, func(b []byte) []byte {
		b = append(b, '[')
		for i := range rows {
			if i > 0 {
				b = append(b, ',')
			}
			b = P(&rows[i]).AppendJSON(b)
		}
		return append(b, ']')
	}
}

// decodeJSON decodes with numbers kept as written, so that integers keep
// every digit.
func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

// jsonValues returns the JSON text a relation's SQL gave, nil for NULL.
func jsonValues(src any) ([]byte, error) {
	switch v := src.(type) {
	case nil:
		return nil, nil
	case string:
		return []byte(v), nil
	case []byte:
		return v, nil
	}
	return nil, fmt.Errorf("sqlite: an embedded relation is %T, not JSON", src)
}

// scanRecord scans the JSON values of a row's columns into it.
func scanRecord(r runtime.RecordScanner, values []any) error {
	for i, v := range values {
		dest := r.ScanIndex(i)
		if dest == nil {
			return fmt.Errorf("sqlite: an embedded row has %d values, more than its columns", len(values))
		}
		if err := scanValue(dest, sqliteValue(v, dest)); err != nil {
			return fmt.Errorf("sqlite: embedded column %d: %w", i, err)
		}
	}
	return nil
}

// sqliteValue turns a value of JSON back into what SQLite gave json_array:
// an integer, a real, text, or NULL; a blob was written as hex.
func sqliteValue(v any, dest any) any {
	switch v := v.(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil && !strings.ContainsAny(v.String(), ".eE") {
			return n
		}
		f, _ := v.Float64()
		return f
	case bool:
		if v {
			return int64(1)
		}
		return int64(0)
	case string:
		switch dest.(type) {
		case *[]byte, **[]byte:
			if b, err := hex.DecodeString(v); err == nil {
				return b
			}
		}
		return v
	}
	return v
}

// scanValue stores v in dest as database/sql's Scan would, through the
// same conversions as a column (kindOf).
func scanValue(dest, v any) error {
	if k := kindOf(dest); k != asIs {
		c := converter{kind: k, dst: dest}
		return c.Scan(v)
	}
	if s, ok := dest.(sql.Scanner); ok {
		return s.Scan(v)
	}
	return assign(reflect.ValueOf(dest), v)
}

// scanFunc is a function as a sql.Scanner.
type scanFunc func(src any) error

func (f scanFunc) Scan(src any) error { return f(src) }

// assign stores v, an integer, a real, text, a blob or nil, in the value
// dest points at, for the types database/sql converts itself: strings
// (and string types: enums), numbers, bytes, pointers to them (nil for
// NULL).
func assign(dest reflect.Value, v any) error {
	if dest.Kind() != reflect.Pointer || dest.IsNil() {
		return fmt.Errorf("cannot scan into %s", dest.Type())
	}
	to := dest.Elem()
	if to.Kind() == reflect.Pointer {
		if v == nil {
			to.SetZero()
			return nil
		}
		p := reflect.New(to.Type().Elem())
		if err := scanValue(p.Interface(), v); err != nil {
			return err
		}
		to.Set(p)
		return nil
	}
	if v == nil {
		return fmt.Errorf("cannot scan NULL into %s", dest.Type())
	}
	switch to.Kind() {
	case reflect.Interface:
		to.Set(reflect.ValueOf(v))
		return nil
	case reflect.String:
		text, ok := textOf(v)
		if !ok {
			return fmt.Errorf("cannot scan %T into %s", v, dest.Type())
		}
		to.SetString(text)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var n int64
		if err := scanInt(&n, v); err != nil {
			return err
		}
		if to.OverflowInt(n) {
			return fmt.Errorf("%d is out of the range of %s", n, to.Type())
		}
		to.SetInt(n)
		return nil
	case reflect.Float32, reflect.Float64:
		var f float64
		if err := scanFloat(&f, v); err != nil {
			return err
		}
		to.SetFloat(f)
		return nil
	case reflect.Slice:
		if to.Type().Elem().Kind() == reflect.Uint8 {
			switch b := v.(type) {
			case []byte:
				to.SetBytes(bytes.Clone(b))
				return nil
			case string:
				to.SetBytes([]byte(b))
				return nil
			}
		}
	}
	return fmt.Errorf("cannot scan %T into %s", v, dest.Type())
}
