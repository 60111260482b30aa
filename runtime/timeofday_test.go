package runtime

import (
	"encoding/json"
	"github.com/crudgen/crudgen/runtime/internal/valuecases"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTimeOfDay(t *testing.T) {
	for _, tc := range valuecases.TimesOfDay {
		got, err := ParseTimeOfDay(tc.In)
		require.NoError(t, err, tc.In)
		assert.Equal(t, TimeOfDay{tc.Want}, got, tc.In)
		assert.Equal(t, tc.Text, got.String(), tc.In)
	}
	// Ties round up (PostgreSQL's rounding of a float may differ).
	got, err := ParseTimeOfDay("12:00:00.0000005")
	require.NoError(t, err)
	assert.Equal(t, "12:00:00.000001", got.String())

	for _, in := range []string{
		"", "1", "12", "12:", "1:00", "12:0", "12:00:", "12:00:0", "12:00:00.", "12:00:00.x", "12:00:00,5",
		"24:00:00.000001", "24:00:01", "24:01", "25:00", "99:00", "12:60", "12:00:60", "-01:00", "+01:00",
		"12:00:00Z", "12:00:00+02", "12:00:00 ", " 12:00", "12-00", "12:00:00.5.5", "1２:00",
	} {
		_, err := ParseTimeOfDay(in)
		assert.Error(t, err, "%q", in)
	}
}

func TestTimeOfDayMethods(t *testing.T) {
	assert.Equal(t, "00:00:00", TimeOfDay{}.String())
	assert.True(t, TimeOfDay{}.IsValid())
	assert.True(t, TimeOfDay{microsPerDay}.IsValid())
	assert.False(t, TimeOfDay{microsPerDay + 1}.IsValid())
	assert.False(t, TimeOfDay{-1}.IsValid())
	assert.Equal(t, "-00:00:00.000001", TimeOfDay{-1}.String())
	assert.Equal(t, "48:00:00", TimeOfDay{2 * microsPerDay}.String())
	assert.Equal(t, "-2562047788:00:54.775808", TimeOfDay{math.MinInt64}.String())
	assert.Equal(t, "2562047788:00:54.775807", TimeOfDay{math.MaxInt64}.String())

	tm := time.Date(2024, 1, 2, 13, 14, 15, 123456789, time.UTC)
	tod := TimeOfDayFromTime(tm)
	assert.Equal(t, "13:14:15.123456", tod.String())
	assert.Equal(t, 13*time.Hour+14*time.Minute+15*time.Second+123456*time.Microsecond, tod.Duration())
}

func TestTimeOfDayTextAndJSON(t *testing.T) {
	for _, tc := range valuecases.TimesOfDay {
		v := TimeOfDay{tc.Want}
		b, err := v.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, tc.Text, string(b))
		b, err = v.AppendText([]byte("x"))
		require.NoError(t, err)
		assert.Equal(t, "x"+tc.Text, string(b))
		var got TimeOfDay
		require.NoError(t, got.UnmarshalText([]byte(tc.In)))
		assert.Equal(t, v, got)

		b, err = json.Marshal(v)
		require.NoError(t, err)
		assert.Equal(t, `"`+tc.Text+`"`, string(b))
		assert.Equal(t, b, v.AppendJSON(nil))
		got = TimeOfDay{}
		require.NoError(t, json.Unmarshal(b, &got))
		assert.Equal(t, v, got)
	}
	v := TimeOfDay{5}
	require.NoError(t, v.UnmarshalJSON([]byte("null")))
	assert.Equal(t, TimeOfDay{5}, v)
	for _, bad := range []string{`1`, `"25:00"`, `true`, `"12:00`} {
		require.Error(t, v.UnmarshalJSON([]byte(bad)), bad)
		assert.Equal(t, TimeOfDay{5}, v)
	}
	require.Error(t, v.UnmarshalText([]byte("x")))
}

func TestTimeOfDayOf(t *testing.T) {
	for _, tc := range valuecases.TimesOfDay {
		var got TimeOfDay
		ok, err := tvDecode(`"`+tc.In+`"`, func(d *Decoder) bool { return TimeOfDayOf(d, &got) })
		require.NoError(t, err, tc.In)
		assert.True(t, ok)
		assert.Equal(t, TimeOfDay{tc.Want}, got)
	}
	for body, want := range map[string][2]string{
		`"24:00:01"`: {CodeFormat, "must be a time of day (HH:MM:SS)"},
		`"noon"`:     {CodeFormat, "must be a time of day (HH:MM:SS)"},
		`43200`:      {CodeType, "must be a string"},
		`{}`:         {CodeType, "must be a string"},
	} {
		got := TimeOfDay{5}
		ok, err := tvDecode(body, func(d *Decoder) bool { return TimeOfDayOf(d, &got) })
		assert.False(t, ok, body)
		tvFieldError(t, err, want[0], want[1])
		assert.Equal(t, TimeOfDay{5}, got)
	}
}

func FuzzParseTimeOfDay(f *testing.F) {
	for _, tc := range valuecases.TimesOfDay {
		f.Add(tc.In)
	}
	f.Add("24:00:00.0000005")
	f.Add("99:99:99.999999999999999999999")
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTimeOfDay(s)
		if err != nil {
			return
		}
		require.True(t, v.IsValid())
		text := v.String()
		again, err := ParseTimeOfDay(text)
		require.NoError(t, err, "%q → %q", s, text)
		require.Equal(t, v, again)
	})
}
