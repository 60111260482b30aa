package runtime

import (
	"math"
	"time"
)

// Interval is PostgreSQL's interval: months, days and microseconds, kept
// apart because a month has no fixed number of days and a day no fixed
// number of hours (daylight saving time).
//
// Its text and JSON form is an ISO 8601 duration exactly as PostgreSQL
// prints intervals with IntervalStyle iso_8601: "P1Y2M3DT4H5M6.5S", each
// part with its own sign ("P-1Y-2M3DT-4H-5M-6.5S", "PT-0.5S"), years and
// months from Months (Months/12 and Months%12), days from Days, and hours,
// minutes and seconds from Microseconds; zero is "PT0S".
//
// The zero value is the empty interval, PT0S.
type Interval struct {
	Months       int32
	Days         int32
	Microseconds int64
}

// IntervalFromDuration returns the interval of d, in microseconds
// (truncated), no days or months.
func IntervalFromDuration(d time.Duration) Interval {
	return Interval{Microseconds: d.Microseconds()}
}

// ParseInterval parses an ISO 8601 duration: "P", then integers with the
// designators Y, M (months), W (weeks of 7 days) and D, then optionally "T"
// and numbers with H, M (minutes) and S. Each number may have its own sign;
// those of H, M and S may have a fraction ("PT1.5H", "PT0.5S", also with a
// comma), rounded to the microsecond, ties up. A leading minus sign negates
// every part ("-P1DT2H" is "P-1DT-2H"), as JavaScript's Temporal.Duration
// writes negative durations.
//
// It is stricter than PostgreSQL, which reads the same forms otherwise: the
// designators must come in the order above, each at most once, at least
// one part must be present and at least one after a T ("P", "PT" and
// "P1DT" are errors), and fractions of years, months, weeks and days are
// rejected. The parts must fit Interval's fields, as in PostgreSQL.
//
// It also accepts PostgreSQL's default output format (IntervalStyle
// postgres): "1 year 2 mons -3 days +04:05:06.5", with the units year(s),
// mon(s) and day(s) in that order and an optional [+-]H:MM:SS[.fraction].
func ParseInterval(s string) (Interval, error) {
	if len(s) > 0 && (s[0] == 'P' || len(s) > 1 && s[0] == '-' && s[1] == 'P') {
		return parseISOInterval(s)
	}
	return parsePostgresInterval(s)
}

// intervalSum accumulates the parts of an interval without overflowing.
type intervalSum struct {
	months, days, micros int64
	ok                   bool
}

// add adds v × unit to *dst, noting when the product or the sum leaves
// [-limit-1, limit].
func (a *intervalSum) add(dst *int64, v, unit, limit int64) {
	if v > limit/unit || v < (-limit-1)/unit {
		a.ok = false
		return
	}
	p := v * unit
	if p > 0 && *dst > limit-p || p < 0 && *dst < -limit-1-p {
		a.ok = false
		return
	}
	*dst += p
}

func (a *intervalSum) interval() Interval {
	return Interval{Months: int32(a.months), Days: int32(a.days), Microseconds: a.micros} // #nosec G115 -- add kept months and days within int32 (its limit)
}

// intervalNumber reads [+-]digits[(.|,)digits] from the start of s,
// returning the integer part (saturated beyond 2^62), the fraction digits,
// whether it is negative and the rest of s.
func intervalNumber(s string, allowFraction bool) (v int64, frac string, neg bool, rest string, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	for ; i < len(s) && isDigitChar(s[i]); i++ {
		if v < 1<<62/10 {
			v = v*10 + int64(s[i]-'0')
		} else {
			v = 1 << 62
		}
	}
	if i == start {
		return 0, "", false, s, false
	}
	if allowFraction && i < len(s) && (s[i] == '.' || s[i] == ',') {
		i++
		start = i
		for i < len(s) && isDigitChar(s[i]) {
			i++
		}
		if i == start {
			return 0, "", false, s, false
		}
		frac = s[start:i]
	}
	return v, frac, neg, s[i:], true
}

func parseISOInterval(s string) (Interval, error) {
	input := s
	bad := func(msg string) (Interval, error) {
		return Interval{}, &parseError{what: "interval", input: input, msg: msg}
	}
	negAll := s[0] == '-'
	if negAll {
		s = s[1:]
	}
	s = s[1:] // P
	sum := intervalSum{ok: true}
	const designators = "YMWDHMS" // in order; the last three after T
	next := 0                     // index in designators of the next allowed part
	inTime, parts, timeParts := false, 0, 0
	for s != "" {
		if s[0] == 'T' {
			if inTime {
				return bad("a second T")
			}
			inTime, next, s = true, 4, s[1:]
			continue
		}
		v, frac, neg, rest, ok := intervalNumber(s, inTime)
		if !ok || rest == "" {
			return bad("want a number and a designator")
		}
		unit := -1
		for i := next; i < len(designators) && (i < 4) != inTime; i++ {
			if designators[i] == rest[0] {
				unit = i
				break
			}
		}
		if unit < 0 {
			return bad("unexpected " + string(rest[0]))
		}
		next, s = unit+1, rest[1:]
		parts++
		if inTime {
			timeParts++
		}
		if neg != negAll {
			v = -v
		}
		switch unit {
		case 0: // Y
			sum.add(&sum.months, v, 12, math.MaxInt32)
		case 1: // M
			sum.add(&sum.months, v, 1, math.MaxInt32)
		case 2: // W
			sum.add(&sum.days, v, 7, math.MaxInt32)
		case 3: // D
			sum.add(&sum.days, v, 1, math.MaxInt32)
		default:
			unitMicros := [...]int64{microsPerHour, microsPerMinute, microsPerSecond}[unit-4]
			sum.add(&sum.micros, v, unitMicros, math.MaxInt64)
			f := int64(scaleFraction(frac, uint64(unitMicros))) // #nosec G115 -- unitMicros is positive, and scaleFraction returns less than it
			if neg != negAll {
				f = -f
			}
			sum.add(&sum.micros, f, 1, math.MaxInt64)
		}
	}
	switch {
	case parts == 0:
		return bad("no parts")
	case inTime && timeParts == 0:
		return bad("no parts after T")
	case !sum.ok:
		return Interval{}, &parseError{what: "interval", input: input, msg: "out of range", outOfRange: true}
	}
	return sum.interval(), nil
}

// parsePostgresInterval parses PostgreSQL's output with IntervalStyle
// postgres.
func parsePostgresInterval(s string) (Interval, error) {
	input := s
	bad := func() (Interval, error) {
		return Interval{}, &parseError{what: "interval", input: input, msg: "want an ISO 8601 duration such as P1DT2H"}
	}
	sum := intervalSum{ok: true}
	next := 0 // 0 years, 1 months, 2 days, 3 time; the next allowed part
	parts := 0
	for s != "" {
		if parts > 0 {
			if s[0] != ' ' {
				return bad()
			}
			s = s[1:]
		}
		parts++
		v, _, neg, rest, ok := intervalNumber(s, false)
		if !ok || next > 3 {
			return bad()
		}
		if neg {
			v = -v
		}
		if rest != "" && rest[0] == ':' { // [+-]H:MM:SS[.f]
			h := v
			if len(rest) < len(":04:05") || rest[3] != ':' {
				return bad()
			}
			m, ok1 := atoiFixed(rest[1:3])
			sec, ok2 := atoiFixed(rest[4:6])
			if !ok1 || !ok2 || m > 59 || sec > 59 {
				return bad()
			}
			rest = rest[6:]
			var frac string
			if rest != "" && rest[0] == '.' {
				end := 1
				for end < len(rest) && isDigitChar(rest[end]) {
					end++
				}
				if end == 1 {
					return bad()
				}
				frac, rest = rest[1:end], rest[end:]
			}
			// #nosec G115 -- scaleFraction returns less than its unit
			abs := int64(m)*microsPerMinute + int64(sec)*microsPerSecond + int64(scaleFraction(frac, microsPerSecond))
			if neg {
				abs = -abs
			}
			sum.add(&sum.micros, h, microsPerHour, math.MaxInt64)
			sum.add(&sum.micros, abs, 1, math.MaxInt64)
			next, s = 4, rest
			continue
		}
		if rest == "" || rest[0] != ' ' {
			return bad()
		}
		rest = rest[1:]
		unit, word := -1, rest
		for i, c := range rest {
			if c == ' ' {
				word = rest[:i]
				break
			}
		}
		switch word {
		case "year", "years":
			unit = 0
		case "mon", "mons":
			unit = 1
		case "day", "days":
			unit = 2
		}
		if unit < next {
			return bad()
		}
		switch unit {
		case 0:
			sum.add(&sum.months, v, 12, math.MaxInt32)
		case 1:
			sum.add(&sum.months, v, 1, math.MaxInt32)
		case 2:
			sum.add(&sum.days, v, 1, math.MaxInt32)
		}
		next, s = unit+1, rest[len(word):]
	}
	if parts == 0 {
		return bad()
	}
	if !sum.ok {
		return Interval{}, &parseError{what: "interval", input: input, msg: "out of range", outOfRange: true}
	}
	return sum.interval(), nil
}

// String returns i as an ISO 8601 duration in PostgreSQL's iso_8601
// IntervalStyle: "P1Y2M3DT4H5M6.5S", "P-1D", "PT-0.5S", "PT0S".
func (i Interval) String() string {
	return string(i.appendText(make([]byte, 0, 32)))
}

func (i Interval) appendText(b []byte) []byte {
	if i == (Interval{}) {
		return append(b, "PT0S"...)
	}
	b = append(b, 'P')
	b = appendISOPart(b, int64(i.Months/12), 'Y')
	b = appendISOPart(b, int64(i.Months%12), 'M')
	b = appendISOPart(b, int64(i.Days), 'D')
	if i.Microseconds == 0 {
		return b
	}
	b = append(b, 'T')
	us := i.Microseconds
	b = appendISOPart(b, us/microsPerHour, 'H')
	b = appendISOPart(b, us/microsPerMinute%60, 'M')
	if us%microsPerMinute != 0 {
		abs := uint64(us % microsPerMinute) // #nosec G115 -- two's complement: negated below when us < 0
		if us < 0 {
			b = append(b, '-')
			abs = -abs
		}
		b = appendPadded(b, int64(abs/microsPerSecond), 1) // #nosec G115 -- below 60 after the division
		b = appendFraction(b, abs%microsPerSecond)
		b = append(b, 'S')
	}
	return b
}

func appendISOPart(b []byte, v int64, designator byte) []byte {
	if v == 0 {
		return b
	}
	b = appendPadded(b, v, 1)
	return append(b, designator)
}

// AppendText implements encoding.TextAppender; the text is String's.
func (i Interval) AppendText(b []byte) ([]byte, error) { return i.appendText(b), nil }

// MarshalText implements encoding.TextMarshaler; the text is String's.
func (i Interval) MarshalText() ([]byte, error) { return i.appendText(nil), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseInterval.
func (i *Interval) UnmarshalText(text []byte) error {
	v, err := ParseInterval(string(text))
	if err != nil {
		return err
	}
	*i = v
	return nil
}

// AppendJSON appends i as a JSON string: "P1DT2H".
func (i Interval) AppendJSON(b []byte) []byte {
	b = append(b, '"')
	b = i.appendText(b)
	return append(b, '"')
}

// MarshalJSON implements json.Marshaler like AppendJSON.
func (i Interval) MarshalJSON() ([]byte, error) { return i.AppendJSON(nil), nil }

// UnmarshalJSON implements json.Unmarshaler: it accepts a JSON string in the
// syntax of ParseInterval. null leaves i unchanged, as encoding/json
// expects.
func (i *Interval) UnmarshalJSON(data []byte) error {
	text, isNull, err := jsonString(data, "interval")
	if err != nil || isNull {
		return err
	}
	return i.UnmarshalText([]byte(text))
}

// IntervalOf reads an Interval from a JSON string (see ParseInterval).
// Another JSON type is a FieldError with code "type" ("must be a string"),
// a string that is not an interval one with code "format" ("must be an ISO
// 8601 duration such as P1DT2H30M"), or "is out of range for interval"
// when a part overflows.
func IntervalOf(d *Decoder, dst *Interval) bool {
	text, ok := d.StringValue()
	if !ok {
		return false
	}
	v, err := ParseInterval(text)
	if err != nil {
		if isOutOfRange(err) {
			d.Fail(CodeFormat, "is out of range for interval")
		} else {
			d.Fail(CodeFormat, "must be an ISO 8601 duration such as P1DT2H30M")
		}
		return false
	}
	*dst = v
	return true
}
