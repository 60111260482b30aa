package runtime

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var dateCases = []struct {
	in   string
	want Date
	text string
}{
	{"2024-02-29", Date{2024, time.February, 29}, "2024-02-29"},
	{"2000-02-29", Date{2000, time.February, 29}, "2000-02-29"},
	{"0001-01-01", Date{1, time.January, 1}, "0001-01-01"},
	{"9999-12-31", Date{9999, time.December, 31}, "9999-12-31"},
	{"1970-01-01", Date{1970, time.January, 1}, "1970-01-01"},
	{"2023-04-30", Date{2023, time.April, 30}, "2023-04-30"},
	{"infinity", DateInfinity, "infinity"},
	{"Infinity", DateInfinity, "infinity"},
	{"-INFINITY", DateNegativeInfinity, "-infinity"},
}

func TestParseDate(t *testing.T) {
	for _, tc := range dateCases {
		d, err := ParseDate(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, d, tc.in)
		assert.Equal(t, tc.text, d.String(), tc.in)
		assert.True(t, d.IsValid(), tc.in)
	}
	for _, in := range []string{
		"", "2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32",
		"2024-04-31", "2024-1-01", "24-01-01", "2024-01-01T00:00:00", " 2024-01-01", "2024-01-01 ", "2024/01/01",
		"10000-01-01", "+2024-01-01", "2024-01-0a", "２024-01-01", "2024-01-01 BC", "infinit", "-inf", "+infinity",
	} {
		_, err := ParseDate(in)
		assert.Error(t, err, "%q", in)
	}
}

func TestDateMethods(t *testing.T) {
	assert.False(t, Date{}.IsValid())
	assert.Equal(t, "0000-00-00", Date{}.String())
	assert.Equal(t, "-0005-13-100", Date{Year: -5, Month: 13, Day: 100}.String())
	assert.Equal(t, "+12345-01-01", Date{Year: 12345, Month: 1, Day: 1}.String())
	assert.False(t, Date{Year: 2023, Month: 2, Day: 29}.IsValid())

	assert.True(t, DateInfinity.IsInf(1))
	assert.True(t, DateInfinity.IsInf(0))
	assert.False(t, DateInfinity.IsInf(-1))
	assert.True(t, DateNegativeInfinity.IsInf(-1))
	assert.False(t, DateNegativeInfinity.IsInf(1))
	assert.False(t, Date{2024, 1, 1}.IsInf(0))

	dates := []Date{DateNegativeInfinity, {1, 1, 1}, {2023, 12, 31}, {2024, 1, 1}, {2024, 1, 2}, {2024, 2, 1}, {9999, 12, 31}, DateInfinity}
	for i, a := range dates {
		for j, b := range dates {
			assert.Equal(t, cmpInt(i, j), a.Compare(b), "%v %v", a, b)
		}
	}

	tm := time.Date(2024, 2, 29, 23, 30, 0, 0, time.FixedZone("x", -3600))
	assert.Equal(t, Date{2024, 2, 29}, DateFromTime(tm))
	assert.Equal(t, Date{2024, 3, 1}, DateFromTime(tm.UTC()))
	assert.Equal(t, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), Date{2024, 2, 29}.Time(time.UTC))
}

func TestDateTextAndJSON(t *testing.T) {
	for _, tc := range dateCases {
		b, err := tc.want.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, tc.text, string(b))
		b, err = tc.want.AppendText([]byte("x"))
		require.NoError(t, err)
		assert.Equal(t, "x"+tc.text, string(b))
		var d Date
		require.NoError(t, d.UnmarshalText([]byte(tc.in)))
		assert.Equal(t, tc.want, d)

		assert.Equal(t, `"`+tc.text+`"`, string(tc.want.AppendJSON(nil)))
		b, err = json.Marshal(tc.want)
		require.NoError(t, err)
		assert.Equal(t, `"`+tc.text+`"`, string(b))
		d = Date{}
		require.NoError(t, json.Unmarshal(b, &d))
		assert.Equal(t, tc.want, d)
	}
	d := Date{2024, 1, 2}
	require.NoError(t, d.UnmarshalJSON([]byte("null")))
	assert.Equal(t, Date{2024, 1, 2}, d)
	for _, bad := range []string{`20240102`, `"2024-01-32"`, `true`, `{}`, `"2024-01-01`} {
		require.Error(t, d.UnmarshalJSON([]byte(bad)), bad)
		assert.Equal(t, Date{2024, 1, 2}, d)
	}
	require.Error(t, d.UnmarshalText([]byte("x")))
}

func TestDateOf(t *testing.T) {
	for _, tc := range dateCases {
		var got Date
		ok, err := tvDecode(`"`+tc.in+`"`, func(d *Decoder) bool { return DateOf(d, &got) })
		require.NoError(t, err, tc.in)
		assert.True(t, ok)
		assert.Equal(t, tc.want, got)
	}
	for body, want := range map[string][2]string{
		`"2024-02-30"`:       {CodeFormat, "must be a date (YYYY-MM-DD)"},
		`"2024-02-01T00"`:    {CodeFormat, "must be a date (YYYY-MM-DD)"},
		`"0001-02-29"`:       {CodeFormat, "must be a date (YYYY-MM-DD)"},
		`"-4713-11-23"`:      {CodeFormat, "must be a date from -4713-11-24 to +5874897-12-31"},
		`20240201`:           {CodeType, "must be a string"},
		`null`:               {CodeType, "must be a string"},
		`["2024-01-01"]`:     {CodeType, "must be a string"},
		`"2024-01-01\u0000"`: {CodeFormat, "must not contain NUL characters"},
	} {
		got := Date{2000, 1, 1}
		ok, err := tvDecode(body, func(d *Decoder) bool { return DateOf(d, &got) })
		assert.False(t, ok, body)
		tvFieldError(t, err, want[0], want[1])
		assert.Equal(t, Date{2000, 1, 1}, got)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, tc := range dateCases {
		f.Add(tc.in)
	}
	f.Add("2023-02-29")
	f.Add("0000-00-00")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		require.True(t, d.IsValid())
		text := d.String()
		again, err := ParseDate(text)
		require.NoError(t, err, "%q → %q", s, text)
		require.Equal(t, d, again)
		if !d.IsInf(0) {
			require.Equal(t, d, DateFromTime(d.Time(time.UTC)))
		}
		if !d.IsInf(0) && 0 <= d.Year && d.Year <= 9999 {
			require.Equal(t, text, d.Time(time.UTC).Format(time.DateOnly))
		}
	})
}
