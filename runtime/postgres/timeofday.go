package postgres

import (
	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5/pgtype"
)

// pgTimeOfDay is a runtime.TimeOfDay as pgx's interfaces read and write
// it.
type pgTimeOfDay runtime.TimeOfDay

// ScanTime implements pgtype.TimeScanner, with which pgx scans a time in
// the binary format.
func (t *pgTimeOfDay) ScanTime(v pgtype.Time) error {
	if !v.Valid {
		return errScanNull("TimeOfDay")
	}
	tod := runtime.TimeOfDay{Microseconds: v.Microseconds}
	if !tod.IsValid() {
		return errTimeOfDayRange(tod)
	}
	*t = pgTimeOfDay(tod)
	return nil
}

// TimeValue implements pgtype.TimeValuer, with which pgx encodes a time
// parameter. An invalid TimeOfDay is an error.
func (t pgTimeOfDay) TimeValue() (pgtype.Time, error) {
	if tod := runtime.TimeOfDay(t); !tod.IsValid() {
		return pgtype.Time{}, errTimeOfDayRange(tod)
	}
	return pgtype.Time{Microseconds: t.Microseconds, Valid: true}, nil
}

// ScanText implements pgtype.TextScanner, which pgx prefers for every
// column in the text format (the simple protocol).
func (t *pgTimeOfDay) ScanText(v pgtype.Text) error {
	if !v.Valid {
		return errScanNull("TimeOfDay")
	}
	tod, err := runtime.ParseTimeOfDay(v.String)
	if err != nil {
		return err
	}
	*t = pgTimeOfDay(tod)
	return nil
}

// TextValue implements pgtype.TextValuer, with which pgx writes parameters
// in the text format (the simple protocol). An invalid TimeOfDay is an
// error.
func (t pgTimeOfDay) TextValue() (pgtype.Text, error) {
	tod := runtime.TimeOfDay(t)
	if !tod.IsValid() {
		return pgtype.Text{}, errTimeOfDayRange(tod)
	}
	return pgtype.Text{String: tod.String(), Valid: true}, nil
}

func errTimeOfDayRange(t runtime.TimeOfDay) error {
	return errInvalid("time of day", t.String(), "out of range (00:00:00 to 24:00:00)")
}
