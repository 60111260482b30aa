package postgres

import (
	"strconv"
	"strings"
	"time"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5/pgtype"
)

// pgDate is a runtime.Date as pgx's interfaces read and write it.
type pgDate runtime.Date

// ScanDate implements pgtype.DateScanner, with which pgx scans a date in
// the binary format.
func (d *pgDate) ScanDate(v pgtype.Date) error {
	switch {
	case !v.Valid:
		return errScanNull("Date")
	case v.InfinityModifier == pgtype.Infinity:
		*d = pgDate(runtime.DateInfinity)
		return nil
	case v.InfinityModifier == pgtype.NegativeInfinity:
		*d = pgDate(runtime.DateNegativeInfinity)
		return nil
	}
	date := runtime.DateFromTime(v.Time)
	if !date.IsValid() {
		return errDateRange(date)
	}
	*d = pgDate(date)
	return nil
}

// DateValue implements pgtype.DateValuer, with which pgx encodes a date
// parameter. An invalid Date is an error.
func (d pgDate) DateValue() (pgtype.Date, error) {
	date := runtime.Date(d)
	switch {
	case date == runtime.DateInfinity:
		return pgtype.Date{InfinityModifier: pgtype.Infinity, Valid: true}, nil
	case date == runtime.DateNegativeInfinity:
		return pgtype.Date{InfinityModifier: pgtype.NegativeInfinity, Valid: true}, nil
	case !date.IsValid():
		return pgtype.Date{}, errDateRange(date)
	}
	return pgtype.Date{Time: date.Time(time.UTC), Valid: true}, nil
}

// ScanText implements pgtype.TextScanner, which pgx prefers for every
// column in the text format (the simple protocol). It expects the ISO
// DateStyle, PostgreSQL's default: "2024-02-29", "0044-03-15 BC",
// "10000-01-01".
func (d *pgDate) ScanText(v pgtype.Text) error {
	if !v.Valid {
		return errScanNull("Date")
	}
	date, err := parsePGDate(v.String)
	if err != nil {
		return err
	}
	*d = pgDate(date)
	return nil
}

// TextValue implements pgtype.TextValuer, with which pgx writes parameters
// in the text format (the simple protocol). The text is PostgreSQL's,
// which writes years before 1 as "0044-03-15 BC" rather than the
// runtime's "-0043-03-15". An invalid Date is an error.
func (d pgDate) TextValue() (pgtype.Text, error) {
	date := runtime.Date(d)
	if !date.IsValid() {
		return pgtype.Text{}, errDateRange(date)
	}
	return pgtype.Text{String: string(appendPGDate(make([]byte, 0, len("0044-03-15 BC")), date)), Valid: true}, nil
}

func errDateRange(d runtime.Date) error {
	return errInvalid("date", d.String(), "not a day from -4713-11-24 to +5874897-12-31")
}

// appendPGDate appends d as PostgreSQL writes and reads it in the ISO
// DateStyle: "2024-02-29", "0044-03-15 BC", "10000-01-01", "infinity".
func appendPGDate(b []byte, d runtime.Date) []byte {
	switch {
	case d.IsInf(1):
		return append(b, "infinity"...)
	case d.IsInf(-1):
		return append(b, "-infinity"...)
	}
	year := d.Year
	if d.Year <= 0 {
		year = 1 - d.Year
	}
	b = appendPadded(b, year, 4)
	b = append(b, '-')
	b = appendPadded(b, int(d.Month), 2)
	b = append(b, '-')
	b = appendPadded(b, d.Day, 2)
	if d.Year <= 0 {
		b = append(b, " BC"...)
	}
	return b
}

// appendPadded appends v, not negative, with at least width digits.
func appendPadded(b []byte, v, width int) []byte {
	var buf [20]byte
	digits := strconv.AppendInt(buf[:0], int64(v), 10)
	for range width - len(digits) {
		b = append(b, '0')
	}
	return append(b, digits...)
}

// parsePGDate parses a date in PostgreSQL's ISO DateStyle: four to seven
// digits of year, " BC" after the day before year 1, or an infinity.
func parsePGDate(s string) (runtime.Date, error) {
	switch {
	case strings.EqualFold(s, "infinity"):
		return runtime.DateInfinity, nil
	case strings.EqualFold(s, "-infinity"):
		return runtime.DateNegativeInfinity, nil
	}
	syntax := errInvalid("date", s, "want YYYY-MM-DD [BC]")
	rest, bc := strings.CutSuffix(s, " BC")
	n := 0
	for n < len(rest) && '0' <= rest[n] && rest[n] <= '9' {
		n++
	}
	y, _ := digitsValue(rest[:n])
	rest = rest[n:]
	if n < 4 || n > 7 || y == 0 || len(rest) != len("-01-02") || rest[0] != '-' || rest[3] != '-' {
		return runtime.Date{}, syntax
	}
	m, ok1 := digitsValue(rest[1:3])
	day, ok2 := digitsValue(rest[4:6])
	if !ok1 || !ok2 {
		return runtime.Date{}, syntax
	}
	if bc {
		y = 1 - y
	}
	d := runtime.Date{Year: y, Month: time.Month(m), Day: day}
	// time.Date moves a day that does not exist (February 30) into the
	// next month, in the same proleptic Gregorian calendar.
	if t := d.Time(time.UTC); m < 1 || m > 12 || runtime.DateFromTime(t) != d {
		return runtime.Date{}, errInvalid("date", s, "no such date")
	}
	if !d.IsValid() {
		return runtime.Date{}, errDateRange(d)
	}
	return d, nil
}

// digitsValue returns the value of s, made of ASCII digits only.
func digitsValue(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
