package runtime

import (
	"regexp"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The same patterns, as the document writes them.
const (
	patternTimeLit  = `^(?:-?[iI][nN][fF][iI][nN][iI][tT][yY]|(?:\d{4}|-(?:000[1-9]|00[1-9]\d|0[1-9]\d{2}|[1-9]\d{3})|\+[1-9]\d{4,5})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[Tt ](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d))$`
	patternStampLit = `^(?:-?[iI][nN][fF][iI][nN][iI][tT][yY]|(?:\d{4}|-(?:000[1-9]|00[1-9]\d|0[1-9]\d{2}|[1-9]\d{3})|\+[1-9]\d{4,5})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[Tt ](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?)$`
	patternDateLit  = `^(?:-?[iI][nN][fF][iI][nN][iI][tT][yY]|(?:\d{4}|-(?:000[1-9]|00[1-9]\d|0[1-9]\d{2}|[1-9]\d{3})|\+[1-9]\d{4,6})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))$`
)

var (
	reTime  = regexp.MustCompile(TimestamptzPattern)
	reStamp = regexp.MustCompile(TimestampPattern)
	reDate  = regexp.MustCompile(DatePattern)
)

func utc(y int, m time.Month, d, h, mi, s, ns int) time.Time {
	return time.Date(y, m, d, h, mi, s, ns, time.UTC)
}

func TestTimeSentinels(t *testing.T) {
	kolkata := time.FixedZone("IST", 5*3600+1800)
	assert.True(t, TimeIsInf(TimeInfinity, 1))
	assert.True(t, TimeIsInf(TimeInfinity, 0))
	assert.False(t, TimeIsInf(TimeInfinity, -1))
	assert.True(t, TimeIsInf(TimeNegativeInfinity, -1))
	assert.True(t, TimeIsInf(TimeNegativeInfinity, 0))
	assert.False(t, TimeIsInf(TimeNegativeInfinity, 1))
	assert.True(t, TimeIsInf(TimeInfinity.In(kolkata), 1), "an instant, in any location")
	for _, v := range []time.Time{{}, maxTimestamp, minTimestamp, time.Now(), TimeInfinity.Add(-1), TimeNegativeInfinity.Add(1)} {
		assert.False(t, TimeIsInf(v, 0), "%v", v)
	}
	assert.Equal(t, time.UTC, TimeInfinity.Location())
	assert.Equal(t, time.UTC, TimeNegativeInfinity.Location())
	// Later and earlier than all PostgreSQL holds, dates included.
	assert.True(t, TimeInfinity.After(maxDate.Time(time.UTC)))
	assert.True(t, TimeNegativeInfinity.Before(minDate.Time(time.UTC)))
}

// timeCases are readings of JSON strings by Decoder.Time and
// Decoder.Timestamp (and ParseTime, ParseTimestamp): the instant in UTC,
// or zero for a format error, or out for a range error.
var timeCases = []struct {
	in     string
	tz, ts time.Time
	out    bool // beyond the range, for the reader that parses it
}{
	{in: "infinity", tz: TimeInfinity, ts: TimeInfinity},
	{in: "-infinity", tz: TimeNegativeInfinity, ts: TimeNegativeInfinity},
	{in: "INFINITY", tz: TimeInfinity, ts: TimeInfinity},
	{in: "-InFiNiTy", tz: TimeNegativeInfinity, ts: TimeNegativeInfinity},
	{in: "-4713-11-24T00:00:00Z", tz: minTimestamp},
	{in: "-4713-11-24T00:00:00", ts: minTimestamp},
	{in: "-4713-11-24T05:30:00+05:30", tz: minTimestamp},
	{in: "+294276-12-31T23:59:59.999999Z", tz: maxTimestamp},
	{in: "+294276-12-31T23:59:59.999999", ts: maxTimestamp},
	{in: "+294277-01-01T05:29:59.999999+05:30", tz: maxTimestamp},
	{in: "+294276-12-31t23:59:59.9999994z", tz: maxTimestamp},
	{in: "-0043-03-15T12:00:00Z", tz: utc(-43, 3, 15, 12, 0, 0, 0)},
	{in: "-0043-03-15 12:00:00.5", ts: utc(-43, 3, 15, 12, 0, 0, 5e8)},
	{in: "0000-01-01T00:00:00Z", tz: utc(0, 1, 1, 0, 0, 0, 0)},
	{in: "0000-02-29T00:00:00", ts: utc(0, 2, 29, 0, 0, 0, 0)},
	{in: "-0004-02-29T00:00:00Z", tz: utc(-4, 2, 29, 0, 0, 0, 0)},
	{in: "-0400-02-29T00:00:00", ts: utc(-400, 2, 29, 0, 0, 0, 0)},
	{in: "0000-01-01T00:00:00+00:01", tz: utc(-1, 12, 31, 23, 59, 0, 0)},
	{in: "9999-12-31T23:59:59.9999995Z", tz: utc(10000, 1, 1, 0, 0, 0, 0)},
	{in: "9999-12-31T23:59:59.9999995", ts: utc(10000, 1, 1, 0, 0, 0, 0)},
	{in: "+10000-01-01T00:00:00Z", tz: utc(10000, 1, 1, 0, 0, 0, 0)},
	{in: "+123456-07-08T09:10:11.000001", ts: utc(123456, 7, 8, 9, 10, 11, 1000)},
	{in: "2024-02-29T13:14:15.123456-23:59", tz: utc(2024, 3, 1, 13, 13, 15, 123456000)},
	{in: "-4713-11-23T23:59:59.9999995Z", tz: minTimestamp},
	// Beyond the range: format errors that say the range.
	{in: "-4713-11-23T23:59:59.999999Z", out: true},
	{in: "-4713-11-23T23:59:59.999999", out: true},
	{in: "-4713-11-24T00:00:00+00:01", out: true},
	{in: "+294276-12-31T23:59:59.9999995Z", out: true},
	{in: "+294276-12-31T23:59:59.9999995", out: true},
	{in: "+294276-12-31T23:00:00-01:00", out: true},
	{in: "+294277-01-01T00:00:00", out: true},
	{in: "-9999-01-01T00:00:00Z", out: true},
	{in: "+999999-01-01T00:00:00Z", out: true},
	{in: "+9999999999999999999999-01-01T00:00:00", out: true},
	// Not the syntax, or no such day.
	{in: "+infinity"}, {in: "infinite"}, {in: "inf"}, {in: " infinity"}, {in: "-0000-01-01T00:00:00Z"},
	{in: "+2024-01-01T00:00:00Z"}, {in: "+9999-01-01T00:00:00"}, {in: "+010000-01-01T00:00:00Z"},
	{in: "-00043-03-15T00:00:00Z"}, {in: "-043-03-15T00:00:00Z"}, {in: "10000-01-01T00:00:00Z"},
	{in: "-0001-02-29T00:00:00Z"}, {in: "-0100-02-29T00:00:00"}, {in: "2023-02-29T00:00:00Z"},
	{in: "+-0043-03-15T00:00:00Z"}, {in: "--0043-03-15T00:00:00Z"}, {in: "-0043-3-15T00:00:00Z"},
	{in: "0044-03-15T00:00:00Z BC"}, {in: "0044-03-15 00:00:00 BC"}, {in: "2024-01-01T00:00:00+05:53:28"},
	{in: "2024-01-01T24:00:00Z"}, {in: "2024-01-01T23:59:60"}, {in: "2024-01-01T00:00:00.Z"},
	{in: "2024-01-01T00:00:00.1234567890"}, {in: "2024-01-01"}, {in: ""}, {in: "-"}, {in: "+"},
}

func TestTimeForms(t *testing.T) {
	for _, tc := range timeCases {
		for _, tz := range []bool{true, false} {
			want := tc.ts
			read, parse, re := (*Decoder).Timestamp, ParseTimestamp, reStamp
			rangeMsg := "must be a date-time from -4713-11-24T00:00:00 to +294276-12-31T23:59:59.999999"
			parseRangeMsg := "must be a timestamp from -4713-11-24T00:00:00 to +294276-12-31T23:59:59.999999"
			formatMsg := "must be a date-time without time zone, e.g. 2006-01-02T15:04:05"
			if tz {
				want = tc.tz
				read, parse, re = (*Decoder).Time, ParseTime, reTime
				rangeMsg = "must be an instant from -4713-11-24T00:00:00Z to +294276-12-31T23:59:59.999999Z"
				parseRangeMsg = rangeMsg
				formatMsg = "must be an RFC 3339 date-time with a time zone offset, e.g. 2006-01-02T15:04:05Z"
			}
			if tc.in == "infinity" || tc.in == "-infinity" || tc.in == "INFINITY" || tc.in == "-InFiNiTy" {
				want = tc.tz
			}
			var got time.Time
			ok, err := tvDecode(strconv.Quote(tc.in), func(d *Decoder) bool { return read(d, &got) })
			parsed, perr := parse(tc.in)
			_, res := parseDateTime(tc.in, tz)
			switch {
			case !want.IsZero():
				require.NoError(t, err, "%q tz %v", tc.in, tz)
				assert.True(t, ok)
				assert.True(t, want.Equal(got), "%q tz %v: got %v, want %v", tc.in, tz, got, want)
				assert.Equal(t, time.UTC, got.Location())
				require.NoError(t, perr)
				assert.Equal(t, got, parsed)
				assert.True(t, re.MatchString(tc.in), "%q tz %v does not match the pattern", tc.in, tz)
			case tc.out && res == timeRange:
				tvFieldError(t, err, CodeFormat, rangeMsg)
				assert.EqualError(t, perr, parseRangeMsg)
			default:
				tvFieldError(t, err, CodeFormat, formatMsg)
				require.Error(t, perr, "%q tz %v", tc.in, tz)
				assert.NotContains(t, perr.Error(), "from", tc.in)
				assert.NotEqual(t, timeOK, res)
			}
			assert.False(t, tc.out && res == timeSyntax && re.MatchString(tc.in), "%q", tc.in)
		}
	}
	assert.Equal(t, patternTimeLit, TimestamptzPattern)
	assert.Equal(t, patternStampLit, TimestampPattern)
	assert.Equal(t, patternDateLit, DatePattern)
}

func TestAppendTimeForms(t *testing.T) {
	ist := time.FixedZone("IST", 5*3600+1800)
	lmt := time.FixedZone("LMT", 5*3600+53*60+28)
	for _, tt := range []struct {
		v        time.Time
		tz, notz string
	}{
		{TimeInfinity, `"infinity"`, `"infinity"`},
		{TimeNegativeInfinity, `"-infinity"`, `"-infinity"`},
		{TimeInfinity.In(ist), `"infinity"`, `"infinity"`},
		{minTimestamp, `"-4713-11-24T00:00:00Z"`, `"-4713-11-24T00:00:00"`},
		{maxTimestamp, `"+294276-12-31T23:59:59.999999Z"`, `"+294276-12-31T23:59:59.999999"`},
		{maxTimestamp.In(ist), `"+294276-12-31T23:59:59.999999Z"`, `"+294277-01-01T05:29:59.999999"`},
		{utc(-43, 3, 15, 12, 0, 0, 0), `"-0043-03-15T12:00:00Z"`, `"-0043-03-15T12:00:00"`},
		{utc(-43, 3, 15, 12, 0, 0, 0).In(lmt), `"-0043-03-15T12:00:00Z"`, `"-0043-03-15T17:53:28"`},
		{utc(0, 1, 1, 0, 0, 0, 0), `"0000-01-01T00:00:00Z"`, `"0000-01-01T00:00:00"`},
		{utc(0, 1, 1, 0, 0, 0, 0).In(ist), `"0000-01-01T00:00:00Z"`, `"0000-01-01T05:30:00"`},
		{utc(0, 1, 1, 3, 0, 0, 0).In(time.FixedZone("", -4*3600)), `"0000-01-01T03:00:00Z"`, `"-0001-12-31T23:00:00"`},
		{utc(-1, 12, 31, 23, 59, 59, 999999999), `"-0001-12-31T23:59:59.999999999Z"`, `"-0001-12-31T23:59:59.999999999"`},
		{utc(-4, 2, 29, 0, 0, 0, 120000000), `"-0004-02-29T00:00:00.12Z"`, `"-0004-02-29T00:00:00.12"`},
		{utc(9999, 12, 31, 23, 59, 59, 0), `"9999-12-31T23:59:59Z"`, `"9999-12-31T23:59:59"`},
		{utc(10000, 1, 1, 0, 0, 0, 1000), `"+10000-01-01T00:00:00.000001Z"`, `"+10000-01-01T00:00:00.000001"`},
		{utc(2024, 2, 29, 13, 14, 15, 0).In(ist), `"2024-02-29T13:14:15Z"`, `"2024-02-29T18:44:15"`},
		{time.Time{}, `"0001-01-01T00:00:00Z"`, `"0001-01-01T00:00:00"`},
	} {
		assert.Equal(t, tt.tz, string(AppendTime(nil, tt.v)), "%v", tt.v)
		assert.Equal(t, tt.notz, string(AppendTimestamp(nil, tt.v)), "%v", tt.v)
	}
	// Outside PostgreSQL's range, times are written all the same (only
	// the readers refuse them).
	assert.Equal(t, `"+1000000-01-01T00:00:00Z"`, string(AppendTime(nil, utc(1000000, 1, 1, 0, 0, 0, 0))))
	assert.Equal(t, `"-10000-01-01T00:00:00"`, string(AppendTimestamp(nil, utc(-10000, 1, 1, 0, 0, 0, 0))))
	assert.Equal(t, `"+100000000-01-01T00:00:00.000000001Z"`, string(AppendTime(nil, TimeInfinity.Add(1))))
}

// TestTimeRoundTrip reads back what AppendTime and AppendTimestamp write,
// at the edges of the range and at random instants through all of it.
func TestTimeRoundTrip(t *testing.T) {
	values := []time.Time{TimeInfinity, TimeNegativeInfinity, minTimestamp, maxTimestamp, utc(-43, 3, 15, 12, 0, 0, 0), utc(0, 2, 29, 23, 59, 59, 999999000)}
	minSec, maxSec := minTimestamp.Unix(), maxTimestamp.Unix()
	for i := range int64(20000) {
		sec := minSec + (maxSec-minSec)/20000*i + i*7919%86400
		values = append(values, time.Unix(sec, i*104729%1_000_000*1000).UTC())
	}
	for _, v := range values {
		var back time.Time
		in := AppendTime(nil, v)
		require.True(t, reTime.Match(in[1:len(in)-1]), "%s", in)
		require.NoError(t, Decode(in, decFunc(func(d *Decoder) { d.Time(&back) })), "%s", in)
		require.True(t, back.Equal(v), "%s read back as %v", in, back)
		in = AppendTimestamp(nil, v)
		require.True(t, reStamp.Match(in[1:len(in)-1]), "%s", in)
		require.NoError(t, Decode(in, decFunc(func(d *Decoder) { d.Timestamp(&back) })), "%s", in)
		require.True(t, back.Equal(v), "%s read back as %v", in, back)
		key := timeKey(v.In(time.FixedZone("", 3600)))
		parsed, err := ParseTime(key)
		require.NoError(t, err, key)
		require.True(t, parsed.Equal(v), key)
		parsed, err = ParseTimestamp(TimestampKey(v))
		require.NoError(t, err)
		require.True(t, parsed.Equal(v))
	}
	assert.Equal(t, "infinity", KeyString(TimeInfinity))
	assert.Equal(t, "-0043-03-15T12:00:00Z", KeyString(utc(-43, 3, 15, 12, 0, 0, 0)))
	assert.Equal(t, "-infinity", TimestampKey(TimeNegativeInfinity))
}

func TestDateForms(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Date
		text string // String's, if not in
	}{
		{"-4713-11-24", minDate, ""},
		{"+5874897-12-31", maxDate, ""},
		{"-0043-03-15", Date{-43, 3, 15}, ""},
		{"0000-01-01", Date{0, 1, 1}, ""},
		{"0000-02-29", Date{0, 2, 29}, ""},
		{"-0004-02-29", Date{-4, 2, 29}, ""},
		{"-0400-02-29", Date{-400, 2, 29}, ""},
		{"0001-01-01", Date{1, 1, 1}, ""},
		{"9999-12-31", Date{9999, 12, 31}, ""},
		{"+10000-01-01", Date{10000, 1, 1}, ""},
		{"+294277-01-01", Date{294277, 1, 1}, ""},
		{"INFINITY", DateInfinity, "infinity"},
		{"-infinity", DateNegativeInfinity, ""},
	} {
		text := tc.text
		if text == "" {
			text = tc.in
		}
		d, err := ParseDate(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, d)
		assert.True(t, d.IsValid())
		assert.Equal(t, text, d.String())
		assert.Equal(t, `"`+text+`"`, string(d.AppendJSON(nil)))
		assert.True(t, reDate.MatchString(tc.in), tc.in)
		var got Date
		ok, err := tvDecode(strconv.Quote(tc.in), func(dec *Decoder) bool { return DateOf(dec, &got) })
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Equal(t, tc.want, got)
		require.NoError(t, got.UnmarshalJSON([]byte(strconv.Quote(tc.in))))
		assert.Equal(t, tc.want, got)
	}
	for _, in := range []string{"-4713-11-23", "+5874898-01-01", "-4714-01-01", "+9999999999-01-01", "-9999-12-31"} {
		_, err := ParseDate(in)
		assert.ErrorContains(t, err, "out of range (-4713-11-24 to +5874897-12-31)", in)
		var got Date
		_, err = tvDecode(strconv.Quote(in), func(dec *Decoder) bool { return DateOf(dec, &got) })
		tvFieldError(t, err, CodeFormat, "must be a date from -4713-11-24 to +5874897-12-31")
		assert.True(t, reDate.MatchString(in) || in == "+9999999999-01-01", in)
	}
	for _, in := range []string{
		"-0000-01-01", "+2024-01-01", "+9999-12-31", "+010000-01-01", "-00043-03-15", "-043-03-15", "10000-01-01",
		"-0001-02-29", "-0100-02-29", "0044-03-15 BC", "+infinity", "-", "+", "+-1000-01-01", "0000-00-01",
	} {
		_, err := ParseDate(in)
		assert.Error(t, err, in)
		assert.NotContains(t, err.Error(), "out of range (", in)
		var got Date
		_, err = tvDecode(strconv.Quote(in), func(dec *Decoder) bool { return DateOf(dec, &got) })
		tvFieldError(t, err, CodeFormat, "must be a date (YYYY-MM-DD)")
	}
	for _, d := range []Date{{0, 2, 29}, {-4, 2, 29}, {-400, 2, 29}, {-4712, 2, 29}} {
		assert.True(t, d.IsValid(), "%v", d)
	}
	for _, d := range []Date{{-1, 2, 29}, {-100, 2, 29}, {-4713, 11, 23}, {5874898, 1, 1}, {-4713, 2, 29}} {
		assert.False(t, d.IsValid(), "%v", d)
	}
}

func TestTimePatterns(t *testing.T) {
	for _, s := range []string{"2024-02-30", "+5874898-01-01", "-4714-01-01", "-9999-12-31"} {
		assert.True(t, reDate.MatchString(s), s) // no such day or out of range: the pattern cannot say
		_, res := parseDateText(s)
		assert.NotEqual(t, timeSyntax, res, s)
		assert.NotEqual(t, timeOK, res, s)
	}
	for _, s := range []string{"+12345678-01-01", "-10000-01-01", "2024-13-01", "2024-01-00", "infinity ", "0044-03-15 BC"} {
		assert.False(t, reDate.MatchString(s), s)
		_, res := parseDateText(s)
		assert.NotEqual(t, timeOK, res, s)
	}
	for _, s := range []string{"+1000000-01-01T00:00:00Z", "-10000-01-01T00:00:00Z", "2024-01-01T00:00:00+24:00"} {
		assert.False(t, reTime.MatchString(s), s)
		_, res := parseDateTime(s, true)
		assert.NotEqual(t, timeOK, res, s)
	}
}

// TestTimeAllocations: reading and writing timestamps allocates nothing,
// at the edges of the range as in the middle.
func TestTimeAllocations(t *testing.T) {
	buf := make([]byte, 0, 64)
	for _, v := range []time.Time{utc(2024, 2, 29, 1, 2, 3, 4000), minTimestamp, maxTimestamp, TimeInfinity} {
		assert.Zero(t, testing.AllocsPerRun(100, func() { buf = AppendTime(buf[:0], v) }), "%v", v)
		assert.Zero(t, testing.AllocsPerRun(100, func() { buf = AppendTimestamp(buf[:0], v) }), "%v", v)
	}
	for _, s := range []string{"2024-02-29T01:02:03.123456789+05:30", "-4713-11-24T00:00:00Z", "+294276-12-31T23:59:59.999999", "-INFINITY"} {
		assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = parseDateTime(s, true) }), s)
		assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = ParseTimestamp(s) }), s)
		assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = ParseTime(s) }), s)
	}
	for _, s := range []string{"-0043-03-15", "+5874897-12-31", "2024-02-29", "Infinity"} {
		assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = ParseDate(s) }), s)
	}
	d := Date{-43, 3, 15}
	assert.Zero(t, testing.AllocsPerRun(100, func() { buf = d.AppendJSON(buf[:0]) }))
}

// FuzzTimeJSON checks the JSON forms of timestamptz, timestamp and date:
// any string either fails to read or reads as a value whose appended form
// reads back as the same value. It also checks the patterns: what reads
// matches them, and what matches them fails only for a day that does not
// exist or a value beyond the range.
func FuzzTimeJSON(f *testing.F) {
	for _, tc := range timeCases {
		f.Add(tc.in)
	}
	for _, s := range []string{"-4713-11-24", "+5874897-12-31", "0000-02-29", "-0043-03-15", "2024-02-29", "+10000-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		body := AppendString(nil, s)
		if utf8.ValidString(s) {
			// Path and query values are read as JSON strings are.
			var a, b time.Time
			okTime := Decode(body, decFunc(func(d *Decoder) { d.Time(&a) })) == nil
			parsed, err := ParseTime(s)
			require.Equal(t, okTime, err == nil, "%q", s)
			require.True(t, !okTime || parsed.Equal(a), "%q", s)
			okStamp := Decode(body, decFunc(func(d *Decoder) { d.Timestamp(&b) })) == nil
			parsed, err = ParseTimestamp(s)
			require.Equal(t, okStamp, err == nil, "%q", s)
			require.True(t, !okStamp || parsed.Equal(b), "%q", s)
		}
		for _, kind := range []struct {
			read   func(*Decoder, *time.Time) bool
			append func([]byte, time.Time) []byte
			re     *regexp.Regexp
			tz     bool
		}{
			{ReadTime, AppendTime, reTime, true},
			{ReadTimestamp, AppendTimestamp, reStamp, false},
		} {
			var v time.Time
			if err := Decode(body, decFunc(func(d *Decoder) { kind.read(d, &v) })); err != nil {
				if utf8.ValidString(s) && kind.re.MatchString(s) {
					_, res := parseDateTime(s, kind.tz)
					require.NotEqual(t, timeSyntax, res, "%q matches the pattern", s)
				}
				continue
			}
			if utf8.ValidString(s) {
				require.True(t, kind.re.MatchString(s), "%q does not match the pattern", s)
			}
			require.Equal(t, time.UTC, v.Location())
			require.True(t, TimeIsInf(v, 0) || !v.Before(minTimestamp) && !v.After(maxTimestamp), "%q: %v", s, v)
			require.Zero(t, v.Nanosecond()%1000)
			out := kind.append(nil, v)
			require.True(t, kind.re.Match(out[1:len(out)-1]), "%s", out)
			var back time.Time
			require.NoError(t, Decode(out, decFunc(func(d *Decoder) { kind.read(d, &back) })), "%q → %s", s, out)
			require.True(t, back.Equal(v) && back == v, "%q → %s → %v", s, out, back)
		}
		var d Date
		if err := Decode(body, decFunc(func(dec *Decoder) { DateOf(dec, &d) })); err != nil {
			if utf8.ValidString(s) && reDate.MatchString(s) {
				_, res := parseDateText(s)
				require.NotEqual(t, timeSyntax, res, "%q matches the pattern", s)
			}
			return
		}
		if utf8.ValidString(s) {
			require.True(t, reDate.MatchString(s), "%q does not match the pattern", s)
		}
		require.True(t, d.IsValid())
		out := d.AppendJSON(nil)
		require.True(t, reDate.Match(out[1:len(out)-1]), "%s", out)
		var back Date
		require.NoError(t, Decode(out, decFunc(func(dec *Decoder) { DateOf(dec, &back) })), "%q → %s", s, out)
		require.Equal(t, d, back)
	})
}
