package runtime

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// intervalCases are intervals with their text in PostgreSQL's IntervalStyles
// iso_8601 (String's) and postgres.
var intervalCases = []struct {
	v         Interval
	iso, post string
}{
	{Interval{}, "PT0S", "00:00:00"},
	{Interval{Months: 14, Days: 3, Microseconds: 4*microsPerHour + 5*microsPerMinute + 6500000}, "P1Y2M3DT4H5M6.5S", "1 year 2 mons 3 days 04:05:06.5"},
	{Interval{Months: -14, Days: 3, Microseconds: -(4*microsPerHour + 5*microsPerMinute + 6500000)}, "P-1Y-2M3DT-4H-5M-6.5S", "-1 years -2 mons +3 days -04:05:06.5"},
	{Interval{Days: -1}, "P-1D", "-1 days"},
	{Interval{Days: 1}, "P1D", "1 day"},
	{Interval{Months: 1}, "P1M", "1 mon"},
	{Interval{Months: 12}, "P1Y", "1 year"},
	{Interval{Months: -12}, "P-1Y", "-1 years"},
	{Interval{Microseconds: -500000}, "PT-0.5S", "-00:00:00.5"},
	{Interval{Microseconds: 1}, "PT0.000001S", "00:00:00.000001"},
	{Interval{Days: 1, Microseconds: -500000}, "P1DT-0.5S", "1 day -00:00:00.5"},
	{Interval{Microseconds: -microsPerHour - 500000}, "PT-1H-0.5S", "-01:00:00.5"},
	{Interval{Microseconds: 100000 * microsPerHour}, "PT100000H", "100000:00:00"},
	{Interval{Microseconds: microsPerMinute}, "PT1M", "00:01:00"},
	{Interval{Microseconds: microsPerHour + microsPerSecond}, "PT1H1S", "01:00:01"},
	{Interval{Months: 1, Days: 2, Microseconds: -3}, "P1M2DT-0.000003S", "1 mon 2 days -00:00:00.000003"},
	{Interval{Months: math.MaxInt32, Days: math.MaxInt32, Microseconds: math.MaxInt64},
		"P178956970Y7M2147483647DT2562047788H54.775807S", "178956970 years 7 mons 2147483647 days 2562047788:00:54.775807"},
	{Interval{Months: math.MinInt32, Days: math.MinInt32, Microseconds: math.MinInt64},
		"P-178956970Y-8M-2147483648DT-2562047788H-54.775808S", "-178956970 years -8 mons -2147483648 days -2562047788:00:54.775808"},
}

func TestIntervalString(t *testing.T) {
	for _, tc := range intervalCases {
		assert.Equal(t, tc.iso, tc.v.String())
		for _, in := range []string{tc.iso, tc.post} {
			got, err := ParseInterval(in)
			require.NoError(t, err, in)
			assert.Equal(t, tc.v, got, in)
		}
	}
}

func TestParseInterval(t *testing.T) {
	for in, want := range map[string]Interval{
		"P1Y":                      {Months: 12},
		"P1M":                      {Months: 1},
		"PT1M":                     {Microseconds: microsPerMinute},
		"P2W":                      {Days: 14},
		"P1W2D":                    {Days: 9},
		"P1Y2M3W4DT5H6M7S":         {Months: 14, Days: 25, Microseconds: 5*microsPerHour + 6*microsPerMinute + 7*microsPerSecond},
		"PT1.5H":                   {Microseconds: 90 * microsPerMinute},
		"PT0.1234565H":             {Microseconds: 444443400},
		"PT1.5M":                   {Microseconds: 90 * microsPerSecond},
		"PT-1.5M":                  {Microseconds: -90 * microsPerSecond},
		"PT0,5S":                   {Microseconds: 500000},
		"PT1.0000005S":             {Microseconds: 1000001},
		"PT-0.0000005S":            {Microseconds: -1},
		"PT+5S":                    {Microseconds: 5 * microsPerSecond},
		"P-1DT1H":                  {Days: -1, Microseconds: microsPerHour},
		"PT36H":                    {Microseconds: 36 * microsPerHour},
		"P0D":                      {},
		"PT0S":                     {},
		"-P1D":                     {Days: -1},
		"-P1Y2M3DT4H5M6.5S":        {Months: -14, Days: -3, Microseconds: -(4*microsPerHour + 5*microsPerMinute + 6500000)},
		"-P-1D":                    {Days: 1},
		"-PT-0.5S":                 {Microseconds: 500000},
		"P178956970Y7M":            {Months: math.MaxInt32},
		"P-178956970Y-8M":          {Months: math.MinInt32},
		"PT9223372036854.775807S":  {Microseconds: math.MaxInt64},
		"PT-9223372036854.775808S": {Microseconds: math.MinInt64},
		// PostgreSQL's style.
		"1 year":                   {Months: 12},
		"2 years 1 mon":            {Months: 25},
		"3 mons 4 days":            {Months: 3, Days: 4},
		"-00:00:00":                {},
		"+04:05:06":                {Microseconds: 4*microsPerHour + 5*microsPerMinute + 6*microsPerSecond},
		"1 day 00:00:00.0000005":   {Days: 1, Microseconds: 1},
		"2562047788:00:54.775807":  {Microseconds: math.MaxInt64},
		"-2562047788:00:54.775808": {Microseconds: math.MinInt64},
	} {
		got, err := ParseInterval(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
}

func TestParseIntervalErrors(t *testing.T) {
	for _, in := range []string{
		"", "P", "PT", "P1DT", "-P", "-", "+P1D", "p1d", "P1", "P1X", "PT1D", "P1H", "P1D2Y", "P1M1M", "PT1S2M",
		"P1.5D", "P1.5Y", "P1,5W", "PT1.S", "PT.5S", "P1DTT1H", "P1DT1HT", "P1D ", " P1D", "P--1D", "P1e3D",
		"1", "1 ", "1 day ", " 1 day", "1  day", "1 days 2 years", "1 day 1 day", "1 week", "1 hour", "1 mons 00:00",
		"00:00", "00:00:0", "00:60:00", "00:00:60", "00:00:00.", "00:00:00 1 day", "01:00:00 01:00:00", "day",
		"@ 1 day", "1 day ago", "1-2", "1 day,", "P1D\x00",
	} {
		_, err := ParseInterval(in)
		assert.Error(t, err, "%q", in)
		assert.False(t, isOutOfRange(err), "%q", in)
	}
	for _, in := range []string{
		"P178956970Y8M", "P-178956970Y-9M", "P178956971Y", "P2147483648M", "P2147483648D", "P306783379W",
		"P2147483647DT", "PT2562047789H", "PT9223372036854.775808S", "PT-9223372036854.775809S",
		"PT9223372036854775807H", "P99999999999999999999999999D", "2147483648 days", "2562047789:00:00",
		"-2562047788:00:54.775809", "178956971 years",
	} {
		_, err := ParseInterval(in)
		require.Error(t, err, "%q", in)
		if in != "P2147483647DT" {
			assert.True(t, isOutOfRange(err), "%q", in)
		}
	}
}

func TestIntervalTextAndJSON(t *testing.T) {
	for _, tc := range intervalCases {
		b, err := tc.v.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, tc.iso, string(b))
		b, err = tc.v.AppendText([]byte("x"))
		require.NoError(t, err)
		assert.Equal(t, "x"+tc.iso, string(b))
		var got Interval
		require.NoError(t, got.UnmarshalText([]byte(tc.post)))
		assert.Equal(t, tc.v, got)

		b, err = json.Marshal(tc.v)
		require.NoError(t, err)
		assert.Equal(t, `"`+tc.iso+`"`, string(b))
		assert.Equal(t, b, tc.v.AppendJSON(nil))
		got = Interval{}
		require.NoError(t, json.Unmarshal(b, &got))
		assert.Equal(t, tc.v, got)
	}
	v := Interval{Days: 5}
	require.NoError(t, v.UnmarshalJSON([]byte("null")))
	assert.Equal(t, Interval{Days: 5}, v)
	for _, bad := range []string{`1`, `"P"`, `true`, `"P1D`} {
		require.Error(t, v.UnmarshalJSON([]byte(bad)), bad)
		assert.Equal(t, Interval{Days: 5}, v)
	}
	require.Error(t, v.UnmarshalText([]byte("x")))

	assert.Equal(t, Interval{Microseconds: 1500}, IntervalFromDuration(1500*time.Microsecond+999))
}

func TestIntervalOf(t *testing.T) {
	for _, tc := range intervalCases {
		var got Interval
		ok, err := tvDecode(`"`+tc.iso+`"`, func(d *Decoder) bool { return IntervalOf(d, &got) })
		require.NoError(t, err, tc.iso)
		assert.True(t, ok)
		assert.Equal(t, tc.v, got)
	}
	for body, want := range map[string][2]string{
		`"P1"`:           {CodeFormat, "must be an ISO 8601 duration such as P1DT2H30M"},
		`"1 fortnight"`:  {CodeFormat, "must be an ISO 8601 duration such as P1DT2H30M"},
		`"P9999999999Y"`: {CodeFormat, "is out of range for interval"},
		`3600`:           {CodeType, "must be a string"},
		`null`:           {CodeType, "must be a string"},
	} {
		got := Interval{Days: 5}
		ok, err := tvDecode(body, func(d *Decoder) bool { return IntervalOf(d, &got) })
		assert.False(t, ok, body)
		tvFieldError(t, err, want[0], want[1])
		assert.Equal(t, Interval{Days: 5}, got)
	}
}

func FuzzParseInterval(f *testing.F) {
	for _, tc := range intervalCases {
		f.Add(tc.iso)
		f.Add(tc.post)
	}
	f.Add("-P1Y2M3W4DT5H6M7.5S")
	f.Add("PT0.1234565H")
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseInterval(s)
		if err != nil {
			return
		}
		text := v.String()
		again, err := ParseInterval(text)
		require.NoError(t, err, "%q → %q", s, text)
		require.Equal(t, v, again, "%q → %q", s, text)
	})
}
