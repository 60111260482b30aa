package runtime

import (
	"fmt"
)

// Relation is a resource a list can embed with include=: the parent row a
// foreign key points at, or the children pointing at the row.
type Relation struct {
	Name string
	// Many relations are one-to-many: an array of at most include_limit
	// children.
	Many bool
	// SQL reads the relation for the current row of the list's table: a
	// record, or an array of records with %s for the include_limit bound.
	SQL string
	// Embed returns a scan target for the SQL's value and a function that
	// writes what it scanned as JSON.
	Embed func() (target any, write func([]byte) []byte)
}

// RecordScanner is implemented by generated row types: ScanIndex returns
// the scan target of the i-th column, so that pgx reads a row from a
// record of its columns.
type RecordScanner interface {
	ScanIndex(i int) any
}

// record is a row read from a record; a NULL record (no parent) leaves
// valid false.
type record[T any, P interface {
	*T
	Marshaler
	RecordScanner
}] struct {
	row   T
	valid bool
}

// ScanNull implements pgtype.CompositeIndexScanner.
func (r *record[T, P]) ScanNull() error {
	r.valid = false
	return nil
}

// ScanIndex implements pgtype.CompositeIndexScanner.
func (r *record[T, P]) ScanIndex(i int) any {
	r.valid = true
	return P(&r.row).ScanIndex(i)
}

// EmbedOne embeds a parent row: its object, or null.
func EmbedOne[T any, P interface {
	*T
	Marshaler
	RecordScanner
}]() (any, func([]byte) []byte) {
	r := new(record[T, P])
	return r, func(b []byte) []byte {
		if !r.valid {
			return append(b, "null"...)
		}
		return P(&r.row).AppendJSON(b)
	}
}

// EmbedMany embeds children: an array of their objects.
func EmbedMany[T any, P interface {
	*T
	Marshaler
	RecordScanner
}]() (any, func([]byte) []byte) {
	var rs []record[T, P]
	return &rs, func(b []byte) []byte {
		b = append(b, '[')
		for i := range rs {
			if i > 0 {
				b = append(b, ',')
			}
			b = P(&rs[i].row).AppendJSON(b)
		}
		return append(b, ']')
	}
}

// embedded holds what a row embeds: one writer per included relation.
type embedded struct {
	names  []string
	writes []func([]byte) []byte
}

// appendEmbedded appends a row's JSON object (written by write, ending
// with '}') with its relations as extra members.
func (e *embedded) appendTo(b []byte, write func([]byte) []byte) []byte {
	b = write(b)
	if len(e.writes) == 0 {
		return b
	}
	b = b[:len(b)-1] // the row's closing brace
	for i, w := range e.writes {
		b = append(b, ',')
		b = AppendString(b, e.names[i])
		b = append(b, ':')
		b = w(b)
	}
	return append(b, '}')
}

// relation returns the list's relation named name.
func (l *List) relation(name string) (*Relation, error) {
	for i := range l.Relations {
		if l.Relations[i].Name == name {
			return &l.Relations[i], nil
		}
	}
	return nil, fmt.Errorf("runtime: %q is not a relation of %s", name, l.Table)
}
