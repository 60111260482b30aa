package runtime

import (
	"math"
	"time"
)

// Date is a calendar date without a time zone: PostgreSQL's date. Its text
// and JSON form is "YYYY-MM-DD", with an ISO 8601 expanded year outside
// the years 0000-9999: "-0043-03-15", "+5874897-12-31".
//
// It covers PostgreSQL's whole range, from 4714-11-24 BC to 5874897-12-31,
// in the proleptic Gregorian calendar with astronomical years: Year 0 is 1
// BC, -43 is 44 BC (so years 0, -4 and -400 are leap years). PostgreSQL's
// infinity and -infinity are DateInfinity and DateNegativeInfinity,
// "infinity" and "-infinity" in text and JSON.
//
// The zero value is not a valid date (IsValid reports false); the database
// rejects it as a parameter.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateInfinity and DateNegativeInfinity are PostgreSQL's dates infinity and
// -infinity, later and earlier than every other date. They compare as such
// with Compare and field by field (their years are the extreme ints); the
// variables must not be changed.
var (
	DateInfinity         = Date{Year: math.MaxInt}
	DateNegativeInfinity = Date{Year: math.MinInt}
)

// ParseDate parses a date as String writes it: "YYYY-MM-DD" (exactly
// those digits) for the years 0000 to 9999, a sign and at least four
// digits for the others ("-0043-03-15", "+10000-01-01"; not "+2024-01-01"
// or "-0000-01-01"), and, in any case, "infinity" and "-infinity". Dates
// beyond PostgreSQL's range are an error.
func ParseDate(s string) (Date, error) {
	d, res := parseDateText(s)
	switch res {
	case timeOK:
		return d, nil
	case timeNoSuchDay:
		return Date{}, &parseError{what: "date", input: s, msg: "no such date", outOfRange: true}
	case timeRange:
		return Date{}, &parseError{what: "date", input: s, msg: "out of range (" + dateRangeText + ")", outOfRange: true}
	}
	return Date{}, &parseError{what: "date", input: s, msg: "want YYYY-MM-DD"}
}

// atoiFixed parses s, made of ASCII digits only.
func atoiFixed(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigitChar(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// isCalendarDate reports whether d is a day of the proleptic Gregorian
// calendar within PostgreSQL's range.
func (d Date) isCalendarDate() bool {
	return time.January <= d.Month && d.Month <= time.December &&
		1 <= d.Day && d.Day <= daysIn(d.Year, d.Month) && d.inRange()
}

// daysIn returns the number of days of month m of year (astronomical:
// Go's % keeps the dividend's sign, so 0, -4 and -400 are leap years).
func daysIn(year int, m time.Month) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// IsValid reports whether d is a date PostgreSQL can store: a day from
// 4714-11-24 BC to 5874897-12-31, or one of the infinities.
func (d Date) IsValid() bool {
	return d == DateInfinity || d == DateNegativeInfinity || d.isCalendarDate()
}

// IsInf reports whether d is an infinity, according to sign: DateInfinity
// when sign > 0, DateNegativeInfinity when sign < 0, either when sign == 0.
func (d Date) IsInf(sign int) bool {
	return sign >= 0 && d == DateInfinity || sign <= 0 && d == DateNegativeInfinity
}

// Compare returns -1, 0 or +1 as d is before, the same as or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(d.Month, e.Month)
	}
	return cmpInt(d.Day, e.Day)
}

func cmpInt[T ~int | ~int64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// DateFromTime returns the date of t in t's location.
func DateFromTime(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// Time returns midnight at the start of d in loc. It is meaningless for the
// infinities, and normalizes invalid dates as time.Date does.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// String returns "YYYY-MM-DD" (a sign and at least four digits of year
// outside the years 0000-9999: "-0043-03-15", "+10000-01-01"), "infinity"
// or "-infinity". An invalid date prints its fields as they are.
func (d Date) String() string {
	return string(d.appendText(make([]byte, 0, len("2006-01-02"))))
}

func (d Date) appendText(b []byte) []byte {
	switch d {
	case DateInfinity:
		return append(b, "infinity"...)
	case DateNegativeInfinity:
		return append(b, "-infinity"...)
	}
	b = appendYear(b, d.Year)
	b = append(b, '-')
	b = appendPadded(b, int64(d.Month), 2)
	b = append(b, '-')
	return appendPadded(b, int64(d.Day), 2)
}

// appendPadded appends v in decimal with at least width digits.
func appendPadded(b []byte, v int64, width int) []byte {
	u := uint64(v) // #nosec G115 -- two's complement: negated below when v < 0
	if v < 0 {
		b = append(b, '-')
		u = -u
	}
	var buf [20]byte
	i := len(buf)
	for u >= 10 {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
	}
	i--
	buf[i] = byte('0' + u)
	b = appendZeros(b, width-(len(buf)-i))
	return append(b, buf[i:]...)
}

// AppendText implements encoding.TextAppender; the text is String's.
func (d Date) AppendText(b []byte) ([]byte, error) { return d.appendText(b), nil }

// MarshalText implements encoding.TextMarshaler; the text is String's.
func (d Date) MarshalText() ([]byte, error) { return d.appendText(nil), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseDate.
func (d *Date) UnmarshalText(text []byte) error {
	v, err := ParseDate(string(text))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// AppendJSON appends d as a JSON string: "2024-02-29", "-0043-03-15",
// "infinity".
func (d Date) AppendJSON(b []byte) []byte {
	b = append(b, '"')
	b = d.appendText(b)
	return append(b, '"')
}

// MarshalJSON implements json.Marshaler like AppendJSON.
func (d Date) MarshalJSON() ([]byte, error) { return d.AppendJSON(nil), nil }

// UnmarshalJSON implements json.Unmarshaler: it accepts a JSON string in the
// syntax of ParseDate. null leaves d unchanged, as encoding/json expects.
func (d *Date) UnmarshalJSON(data []byte) error {
	text, isNull, err := jsonString(data, "date")
	if err != nil || isNull {
		return err
	}
	return d.UnmarshalText([]byte(text))
}

// DateOf reads a Date from a JSON string (see ParseDate). Another JSON type
// is a FieldError with code "type" ("must be a string"), a string that is
// not a date one with code "format" ("must be a date (YYYY-MM-DD)"), a
// date beyond PostgreSQL's range too ("must be a date from -4713-11-24 to
// +5874897-12-31").
func DateOf(d *Decoder, dst *Date) bool {
	text, ok := d.StringValue()
	if !ok {
		return false
	}
	v, res := parseDateText(text)
	switch res {
	case timeOK:
		*dst = v
		return true
	case timeRange:
		d.Fail(CodeFormat, "must be a date from "+dateRangeText)
	default:
		d.Fail(CodeFormat, "must be a date (YYYY-MM-DD)")
	}
	return false
}
