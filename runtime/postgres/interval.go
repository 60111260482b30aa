package postgres

import (
	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5/pgtype"
)

// pgInterval is a runtime.Interval as pgx's interfaces read and write it.
type pgInterval runtime.Interval

// ScanInterval implements pgtype.IntervalScanner, with which pgx scans an
// interval in the binary format.
func (i *pgInterval) ScanInterval(v pgtype.Interval) error {
	if !v.Valid {
		return errScanNull("Interval")
	}
	*i = pgInterval{Months: v.Months, Days: v.Days, Microseconds: v.Microseconds}
	return nil
}

// IntervalValue implements pgtype.IntervalValuer, with which pgx encodes
// an interval parameter.
func (i pgInterval) IntervalValue() (pgtype.Interval, error) {
	return pgtype.Interval{Months: i.Months, Days: i.Days, Microseconds: i.Microseconds, Valid: true}, nil
}

// ScanText implements pgtype.TextScanner, which pgx prefers for every
// column in the text format (the simple protocol). It reads the
// IntervalStyles postgres (PostgreSQL's default) and iso_8601.
func (i *pgInterval) ScanText(v pgtype.Text) error {
	if !v.Valid {
		return errScanNull("Interval")
	}
	iv, err := runtime.ParseInterval(v.String)
	if err != nil {
		return err
	}
	*i = pgInterval(iv)
	return nil
}

// TextValue implements pgtype.TextValuer, with which pgx writes parameters
// in the text format (the simple protocol): the ISO 8601 form, which
// PostgreSQL reads whatever its IntervalStyle.
func (i pgInterval) TextValue() (pgtype.Text, error) {
	return pgtype.Text{String: runtime.Interval(i).String(), Valid: true}, nil
}
