package runtime

import (
	"math/bits"
	"time"
)

// TimeOfDay is a time of day without a time zone, in microseconds since
// midnight: PostgreSQL's time (time without time zone). It goes from
// 00:00:00 to 24:00:00 inclusive, as in PostgreSQL. Its text and JSON form
// is "HH:MM:SS" with ".ffffff" when there are fractional seconds, trailing
// zeros trimmed ("04:05:06.5"), as PostgreSQL prints it.
//
// The zero value is midnight, 00:00:00.
type TimeOfDay struct {
	Microseconds int64
}

const (
	microsPerSecond = 1_000_000
	microsPerMinute = 60 * microsPerSecond
	microsPerHour   = 60 * microsPerMinute
	microsPerDay    = 24 * microsPerHour
)

// ParseTimeOfDay parses "HH:MM", "HH:MM:SS" or "HH:MM:SS.fraction" (two
// digits for each of hours, minutes and seconds; any number of fraction
// digits, rounded to the microsecond, half up). The time must be at most
// 24:00:00. Time zones, which PostgreSQL would ignore, are rejected.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	bad := func() (TimeOfDay, error) {
		return TimeOfDay{}, &parseError{what: "time of day", input: s, msg: "want HH:MM:SS"}
	}
	if len(s) < len("15:04") || s[2] != ':' {
		return bad()
	}
	h, ok1 := atoiFixed(s[0:2])
	m, ok2 := atoiFixed(s[3:5])
	if !ok1 || !ok2 {
		return bad()
	}
	sec, frac, rest := 0, "", s[5:]
	if rest != "" {
		if len(rest) < len(":05") || rest[0] != ':' {
			return bad()
		}
		var ok bool
		if sec, ok = atoiFixed(rest[1:3]); !ok {
			return bad()
		}
		if rest = rest[3:]; rest != "" {
			if rest[0] != '.' || len(rest) == 1 {
				return bad()
			}
			if frac = rest[1:]; !allDigits(frac) {
				return bad()
			}
		}
	}
	// #nosec G115 -- scaleFraction returns less than its unit
	us := int64(h)*microsPerHour + int64(m)*microsPerMinute + int64(sec)*microsPerSecond + int64(scaleFraction(frac, microsPerSecond))
	if m > 59 || sec > 59 || us > microsPerDay {
		return TimeOfDay{}, &parseError{what: "time of day", input: s, msg: "out of range (00:00:00 to 24:00:00)", outOfRange: true}
	}
	return TimeOfDay{Microseconds: us}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigitChar(s[i]) {
			return false
		}
	}
	return true
}

// scaleFraction returns 0.frac × unit rounded to an integer, half up. frac
// is made of ASCII digits; only its first 18 count, which is exact when unit
// is a power of ten up to 10^6 and off by at most 10^-8 otherwise.
func scaleFraction(frac string, unit uint64) uint64 {
	const maxDigits = 18
	if len(frac) > maxDigits {
		frac = frac[:maxDigits]
	}
	var num uint64
	den := uint64(1)
	for i := 0; i < len(frac); i++ {
		num = num*10 + uint64(frac[i]-'0')
		den *= 10
	}
	// num < den, so the high word of num × unit is below den.
	hi, lo := bits.Mul64(num, unit)
	q, r := bits.Div64(hi, lo, den)
	if r >= den-r {
		q++
	}
	return q
}

// TimeOfDayFromTime returns the time of day of t in t's location,
// truncated to the microsecond.
func TimeOfDayFromTime(t time.Time) TimeOfDay {
	h, m, s := t.Clock()
	return TimeOfDay{Microseconds: int64(h)*microsPerHour + int64(m)*microsPerMinute + int64(s)*microsPerSecond + int64(t.Nanosecond()/1000)}
}

// Duration returns the time since midnight.
func (t TimeOfDay) Duration() time.Duration {
	return time.Duration(t.Microseconds) * time.Microsecond
}

// IsValid reports whether t is from 00:00:00 to 24:00:00.
func (t TimeOfDay) IsValid() bool {
	return 0 <= t.Microseconds && t.Microseconds <= microsPerDay
}

// String returns "HH:MM:SS" or "HH:MM:SS.ffffff" with the trailing zeros of
// the fraction trimmed. An invalid TimeOfDay prints as a duration with
// hours beyond 24 or a minus sign.
func (t TimeOfDay) String() string {
	return string(t.appendText(make([]byte, 0, len("15:04:05.000000"))))
}

func (t TimeOfDay) appendText(b []byte) []byte {
	us := uint64(t.Microseconds) // #nosec G115 -- two's complement: negated below when negative
	if t.Microseconds < 0 {
		b = append(b, '-')
		us = -us
	}
	return appendClock(b, us)
}

// appendClock appends the duration us as H+:MM:SS[.ffffff].
func appendClock(b []byte, us uint64) []byte {
	b = appendPadded(b, int64(us/microsPerHour), 2) // #nosec G115 -- at most MaxUint64/microsPerHour
	b = append(b, ':')
	b = appendPadded(b, int64(us/microsPerMinute%60), 2)
	b = append(b, ':')
	b = appendPadded(b, int64(us/microsPerSecond%60), 2)
	return appendFraction(b, us%microsPerSecond)
}

// appendFraction appends ".ffffff" for us microseconds (below a second),
// trailing zeros trimmed; nothing for 0.
func appendFraction(b []byte, us uint64) []byte {
	if us == 0 {
		return b
	}
	digits := 6
	for us%10 == 0 {
		us /= 10
		digits--
	}
	b = append(b, '.')
	return appendPadded(b, int64(us), digits) // #nosec G115 -- below a million
}

// AppendText implements encoding.TextAppender; the text is String's.
func (t TimeOfDay) AppendText(b []byte) ([]byte, error) { return t.appendText(b), nil }

// MarshalText implements encoding.TextMarshaler; the text is String's.
func (t TimeOfDay) MarshalText() ([]byte, error) { return t.appendText(nil), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseTimeOfDay.
func (t *TimeOfDay) UnmarshalText(text []byte) error {
	v, err := ParseTimeOfDay(string(text))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// AppendJSON appends t as a JSON string: "04:05:06.5".
func (t TimeOfDay) AppendJSON(b []byte) []byte {
	b = append(b, '"')
	b = t.appendText(b)
	return append(b, '"')
}

// MarshalJSON implements json.Marshaler like AppendJSON.
func (t TimeOfDay) MarshalJSON() ([]byte, error) { return t.AppendJSON(nil), nil }

// UnmarshalJSON implements json.Unmarshaler: it accepts a JSON string in the
// syntax of ParseTimeOfDay. null leaves t unchanged, as encoding/json
// expects.
func (t *TimeOfDay) UnmarshalJSON(data []byte) error {
	text, isNull, err := jsonString(data, "time of day")
	if err != nil || isNull {
		return err
	}
	return t.UnmarshalText([]byte(text))
}

// TimeOfDayOf reads a TimeOfDay from a JSON string (see ParseTimeOfDay).
// Another JSON type is a FieldError with code "type" ("must be a string"),
// a string that is not a time of day one with code "format" ("must be a
// time of day (HH:MM:SS)").
func TimeOfDayOf(d *Decoder, dst *TimeOfDay) bool {
	text, ok := d.StringValue()
	if !ok {
		return false
	}
	v, err := ParseTimeOfDay(text)
	if err != nil {
		d.Fail(CodeFormat, "must be a time of day (HH:MM:SS)")
		return false
	}
	*dst = v
	return true
}
