package runtime

import (
	"errors"
	"strings"
	"time"
)

// Timestamps (timestamptz and timestamp columns) are time.Time, so that
// hooks see the standard type, and dates are Date. Both cover PostgreSQL's
// whole range: in JSON, a year outside 0000-9999 is an ISO 8601 expanded
// year, a sign and at least four digits in astronomical numbering (year 0
// is 1 BC): "-0043-03-15T12:00:00Z" is 15 March 44 BC. PostgreSQL's
// infinities are the strings "infinity" and "-infinity".

// TimeInfinity and TimeNegativeInfinity are PostgreSQL's timestamps
// infinity and -infinity (of timestamptz and timestamp) as time.Time: the
// years 100000000 and -100000000 in UTC, far beyond PostgreSQL's range, so
// that Before, After and Compare in application code treat them as later
// and earlier than every timestamp the database holds. Test for them with
// TimeIsInf, not ==. The variables must not be changed.
var (
	TimeInfinity         = time.Date(100_000_000, time.January, 1, 0, 0, 0, 0, time.UTC)
	TimeNegativeInfinity = time.Date(-100_000_000, time.January, 1, 0, 0, 0, 0, time.UTC)
)

// TimeIsInf reports whether t is an infinity, according to sign:
// TimeInfinity when sign > 0, TimeNegativeInfinity when sign < 0, either
// when sign == 0. It compares instants (Equal), so the location of t does
// not matter.
func TimeIsInf(t time.Time, sign int) bool {
	return sign >= 0 && t.Equal(TimeInfinity) || sign <= 0 && t.Equal(TimeNegativeInfinity)
}

// PostgreSQL's range of timestamp, and of timestamptz in UTC: 4714-11-24
// 00:00:00 BC to 294276-12-31 23:59:59.999999. Dates go further, to
// 5874897-12-31.
var (
	minTimestamp = time.Date(-4713, time.November, 24, 0, 0, 0, 0, time.UTC)
	maxTimestamp = time.Date(294276, time.December, 31, 23, 59, 59, 999_999_000, time.UTC)
	minDate      = Date{-4713, time.November, 24}
	maxDate      = Date{5874897, time.December, 31}
)

// The ranges as error messages write them.
const (
	timeRangeText      = "-4713-11-24T00:00:00Z to +294276-12-31T23:59:59.999999Z"
	timestampRangeText = "-4713-11-24T00:00:00 to +294276-12-31T23:59:59.999999"
	dateRangeText      = "-4713-11-24 to +5874897-12-31"
)

// timeParse is the outcome of parsing a date or a timestamp.
type timeParse uint8

const (
	timeOK        timeParse = iota
	timeSyntax              // not the syntax
	timeNoSuchDay           // the syntax, but no such day (2023-02-29)
	timeRange               // a real day or instant, outside PostgreSQL's range
)

// appendDateTime appends t's wall clock as "2006-01-02T15:04:05" with the
// fraction trimmed of trailing zeros, and "Z" or t's offset if zone is set;
// the year expanded outside 0000-9999; or "infinity", "-infinity".
func appendDateTime(b []byte, t time.Time, zone bool) []byte {
	switch {
	case TimeIsInf(t, 1):
		return append(b, "infinity"...)
	case TimeIsInf(t, -1):
		return append(b, "-infinity"...)
	}
	layout := "2006-01-02T15:04:05.999999999"
	if zone {
		layout = time.RFC3339Nano
	}
	if y := t.Year(); y < 0 || y > 9999 {
		b = appendYear(b, y)
		layout = layout[len("2006"):] // time.Format would write the year unsigned
	}
	return t.AppendFormat(b, layout)
}

// appendYear appends y as four digits for the years 0 to 9999, else
// expanded: "-0043", "+10000".
func appendYear(b []byte, y int) []byte {
	if y > 9999 {
		b = append(b, '+')
	}
	return appendPadded(b, int64(y), 4)
}

// parseYear reads the year s starts with, as appendYear writes it: four
// digits, or a sign and at least four digits for a year outside 0 to 9999,
// without leading zeros beyond four digits ("-0043", "+10000"; not
// "-0000", "+2024" or "+010000"), so that each year has one spelling. A
// year too large for any type saturates, beyond every range. It returns
// the rest of s.
func parseYear(s string) (year int, rest string, ok bool) {
	if len(s) >= 4 && isDigitChar(s[0]) {
		y, ok := atoiFixed(s[:4])
		return y, s[4:], ok
	}
	if len(s) == 0 || s[0] != '+' && s[0] != '-' {
		return 0, s, false
	}
	n := 1
	for n < len(s) && isDigitChar(s[n]) {
		if year < 1e8 {
			year = year*10 + int(s[n]-'0')
		}
		n++
	}
	digits := n - 1
	switch {
	case digits < 4, digits > 4 && s[1] == '0':
		return 0, s, false
	case s[0] == '+' && year <= 9999, s[0] == '-' && year == 0:
		return 0, s, false // spelt without a sign
	case s[0] == '-':
		year = -year
	}
	return year, s[n:], true
}

// parseDatePart reads the "YYYY-MM-DD" s starts with (the year as
// parseYear reads it) and returns the rest of s.
func parseDatePart(s string) (Date, string, timeParse) {
	y, s, ok := parseYear(s)
	if !ok {
		return Date{}, s, timeSyntax
	}
	return parseMonthDay(y, s)
}

// parseMonthDay reads the "-MM-DD" of year y that s starts with and
// returns the rest of s.
func parseMonthDay(y int, s string) (Date, string, timeParse) {
	if len(s) < len("-01-02") || s[0] != '-' || s[3] != '-' {
		return Date{}, s, timeSyntax
	}
	m, ok1 := atoiFixed(s[1:3])
	d, ok2 := atoiFixed(s[4:6])
	if !ok1 || !ok2 {
		return Date{}, s, timeSyntax
	}
	date := Date{Year: y, Month: time.Month(m), Day: d}
	if date.Month < time.January || date.Month > time.December || d < 1 || d > daysIn(y, date.Month) {
		return Date{}, s, timeNoSuchDay
	}
	return date, s[6:], timeOK
}

// parseInfinity recognizes "infinity" and "-infinity" in any case, as
// PostgreSQL does, returning the sign.
func parseInfinity(s string) (int, bool) {
	switch {
	case strings.EqualFold(s, "infinity"):
		return 1, true
	case strings.EqualFold(s, "-infinity"):
		return -1, true
	}
	return 0, false
}

// parseDateText parses a date as Date.String writes it, or an infinity.
func parseDateText(s string) (Date, timeParse) {
	if sign, ok := parseInfinity(s); ok {
		if sign > 0 {
			return DateInfinity, timeOK
		}
		return DateNegativeInfinity, timeOK
	}
	d, rest, res := parseDatePart(s)
	switch {
	case res != timeOK:
		return Date{}, res
	case rest != "":
		return Date{}, timeSyntax
	case !d.inRange():
		return Date{}, timeRange
	}
	return d, timeOK
}

// parseDateTime parses "YYYY-MM-DDTHH:MM:SS[.fffffffff]" (T or t or a
// space; the year as parseYear reads it) followed, if and only if tz, by
// "Z" or "z" or an offset "±HH:MM" (RFC 3339); or an infinity. The result
// is in UTC, rounded half up to the microsecond, which is what PostgreSQL
// keeps, and only then checked against PostgreSQL's range, as the server
// does. It does not allocate.
func parseDateTime(s string, tz bool) (time.Time, timeParse) {
	if sign, ok := parseInfinity(s); ok {
		if sign > 0 {
			return TimeInfinity, timeOK
		}
		return TimeNegativeInfinity, timeOK
	}
	d, s, res := parseDatePart(s)
	if res != timeOK {
		return time.Time{}, res
	}
	if len(s) < len("T15:04:05") || s[0] != 'T' && s[0] != 't' && s[0] != ' ' || s[3] != ':' || s[6] != ':' {
		return time.Time{}, timeSyntax
	}
	hour, ok1 := atoiFixed(s[1:3])
	minute, ok2 := atoiFixed(s[4:6])
	sec, ok3 := atoiFixed(s[7:9])
	if !ok1 || !ok2 || !ok3 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, timeSyntax
	}
	s = s[9:]
	nsec := 0
	if len(s) > 0 && s[0] == '.' {
		n := 1
		for n < len(s) && isDigitChar(s[n]) {
			n++
		}
		if n == 1 || n > 10 {
			return time.Time{}, timeSyntax
		}
		nsec, _ = atoiFixed(s[1:n])
		for k := n; k < 10; k++ {
			nsec *= 10
		}
		s = s[n:]
	}
	offset, hasOffset, ok := parseOffset(s)
	if !ok || hasOffset != tz {
		return time.Time{}, timeSyntax
	}
	if d.Year < minTimestamp.Year()-1 || d.Year > maxTimestamp.Year()+1 {
		return time.Time{}, timeRange // and time.Date cannot overflow
	}
	t := time.Date(d.Year, d.Month, d.Day, hour, minute, sec, nsec, time.UTC).
		Add(-offset).Round(time.Microsecond)
	if t.Before(minTimestamp) || t.After(maxTimestamp) {
		return time.Time{}, timeRange
	}
	return t, timeOK
}

// parseOffset reads what follows the time: nothing, "Z" or "z", or
// "±HH:MM" (up to 23:59).
func parseOffset(s string) (offset time.Duration, hasOffset, ok bool) {
	switch {
	case s == "":
		return 0, false, true
	case s == "Z" || s == "z":
		return 0, true, true
	case len(s) == len("+07:00") && (s[0] == '+' || s[0] == '-') && s[3] == ':':
		h, ok1 := atoiFixed(s[1:3])
		m, ok2 := atoiFixed(s[4:6])
		if !ok1 || !ok2 || h > 23 || m > 59 {
			return 0, false, false
		}
		offset = time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
		if s[0] == '-' {
			offset = -offset
		}
		return offset, true, true
	}
	return 0, false, false
}

// The JSON forms of timestamptz, timestamp and date as regular
// expressions (in the syntax both Go and ECMA-262 read), for the OpenAPI
// document: RFC 3339 for the years 0000 to 9999, ISO 8601 expanded years
// outside them, and the infinities. Every string the readers accept
// matches; a string that matches is accepted unless it names no day
// (2023-02-29) or is beyond PostgreSQL's range.
const (
	TimestamptzPattern = `^(?:` + tsInfinity + `|` + tsYear + tsMonthDay + tsClock + tsOffset + `)$`
	TimestampPattern   = `^(?:` + tsInfinity + `|` + tsYear + tsMonthDay + tsClock + `)$`
	DatePattern        = `^(?:` + tsInfinity + `|` + tsDateYear + tsMonthDay + `)$`

	tsYear     = `(?:\d{4}|-(?:000[1-9]|00[1-9]\d|0[1-9]\d{2}|[1-9]\d{3})|\+[1-9]\d{4,5})`
	tsDateYear = `(?:\d{4}|-(?:000[1-9]|00[1-9]\d|0[1-9]\d{2}|[1-9]\d{3})|\+[1-9]\d{4,6})`
	tsInfinity = `-?[iI][nN][fF][iI][nN][iI][tT][yY]`
	tsMonthDay = `-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])`
	tsClock    = `[Tt ](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?`
	tsOffset   = `(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)`
)

// ParseTime parses a timestamptz as AppendTime writes it and Decoder.Time
// reads it: an RFC 3339 date-time with offset, with an expanded year
// outside 0000-9999, or infinity or -infinity.
func ParseTime(s string) (time.Time, error) {
	t, res := parseDateTime(s, true)
	switch res {
	case timeOK:
		return t, nil
	case timeRange:
		return time.Time{}, errTimeRange
	}
	return time.Time{}, errTimeSyntax
}

// ParseTimestamp parses a timestamp as AppendTimestamp writes it and
// Decoder.Timestamp reads it: 2006-01-02T15:04:05[.ffffff] without offset,
// with an expanded year outside 0000-9999, or infinity or -infinity.
func ParseTimestamp(s string) (time.Time, error) {
	t, res := parseDateTime(s, false)
	switch res {
	case timeOK:
		return t, nil
	case timeRange:
		return time.Time{}, errTimestampRange
	}
	return time.Time{}, errTimestampSyntax
}

// The errors of ParseTime and ParseTimestamp, which become messages.
var (
	errTimeSyntax      = errors.New("must be an RFC 3339 time with offset")
	errTimeRange       = errors.New("must be an instant from " + timeRangeText)
	errTimestampSyntax = errors.New("must be a timestamp like 2006-01-02T15:04:05, without offset")
	errTimestampRange  = errors.New("must be a timestamp from " + timestampRangeText)
)

// timeKey prints a timestamptz key as ParseTime reads it.
func timeKey(t time.Time) string {
	var buf [48]byte
	b := appendDateTime(buf[:0], t.UTC(), true)
	return string(b)
}

// inRange reports whether d, a calendar day, is within PostgreSQL's range.
func (d Date) inRange() bool {
	return d.Compare(minDate) >= 0 && d.Compare(maxDate) <= 0
}
