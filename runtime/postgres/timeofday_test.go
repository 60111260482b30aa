package postgres

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	microsPerSecond = 1_000_000
	microsPerMinute = 60 * microsPerSecond
	microsPerHour   = 60 * microsPerMinute
	microsPerDay    = 24 * microsPerHour
)

// timeOfDayCases are inputs PostgreSQL reads the same.
var timeOfDayCases = []struct {
	in   string
	want int64
	text string
}{
	{"00:00", 0, "00:00:00"},
	{"00:00:00", 0, "00:00:00"},
	{"04:05", 4*microsPerHour + 5*microsPerMinute, "04:05:00"},
	{"04:05:06", 4*microsPerHour + 5*microsPerMinute + 6*microsPerSecond, "04:05:06"},
	{"04:05:06.5", 4*microsPerHour + 5*microsPerMinute + 6*microsPerSecond + 500000, "04:05:06.5"},
	{"04:05:06.50", 4*microsPerHour + 5*microsPerMinute + 6*microsPerSecond + 500000, "04:05:06.5"},
	{"00:00:00.000001", 1, "00:00:00.000001"},
	{"00:00:00.000100", 100, "00:00:00.0001"},
	{"12:34:56.123456", 12*microsPerHour + 34*microsPerMinute + 56*microsPerSecond + 123456, "12:34:56.123456"},
	{"00:00:00.1234564", 123456, "00:00:00.123456"},
	{"00:00:00.1234566", 123457, "00:00:00.123457"},
	{"00:00:00.99999949", 999999, "00:00:00.999999"},
	{"23:59:59.999999", microsPerDay - 1, "23:59:59.999999"},
	{"23:59:59.9999999", microsPerDay, "24:00:00"},
	{"24:00:00", microsPerDay, "24:00:00"},
	{"24:00", microsPerDay, "24:00:00"},
	{"24:00:00.000000", microsPerDay, "24:00:00"},
	{"24:00:00.0000001", microsPerDay, "24:00:00"},
}

func TestTimeOfDayPgtype(t *testing.T) {
	var v runtime.TimeOfDay
	w := (*pgTimeOfDay)(&v)
	require.ErrorContains(t, w.ScanTime(pgtype.Time{}), "NULL")
	require.ErrorContains(t, w.ScanText(pgtype.Text{}), "NULL")
	require.Error(t, w.ScanTime(pgtype.Time{Microseconds: microsPerDay + 1, Valid: true}))
	require.Error(t, w.ScanTime(pgtype.Time{Microseconds: -1, Valid: true}))
	require.NoError(t, w.ScanTime(pgtype.Time{Microseconds: microsPerDay, Valid: true}))
	assert.Equal(t, runtime.TimeOfDay{Microseconds: microsPerDay}, v)
	for _, bad := range []pgTimeOfDay{{Microseconds: -1}, {Microseconds: microsPerDay + 1}} {
		_, err := bad.TimeValue()
		require.Error(t, err)
		_, err = bad.TextValue()
		require.Error(t, err)
	}
}

func TestTimeOfDayPostgres(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(9, 10))
	random := make([]runtime.TimeOfDay, 500)
	for i := range random {
		switch i % 3 {
		case 0:
			random[i] = runtime.TimeOfDay{Microseconds: r.Int64N(microsPerDay + 1)}
		case 1:
			random[i] = runtime.TimeOfDay{Microseconds: r.Int64N(microsPerDay/microsPerSecond+1) * microsPerSecond}
		default:
			random[i] = runtime.TimeOfDay{Microseconds: r.Int64N(microsPerDay/1000+1) * 1000}
		}
	}
	tvEachRegisteredConn(t, func(t *testing.T, c tvConn) {
		for _, tc := range timeOfDayCases {
			got, text := tvFromText[runtime.TimeOfDay](t, c, "time", tc.in)
			assert.Equal(t, tc.text, text, tc.in)
			assert.Equal(t, runtime.TimeOfDay{Microseconds: tc.want}, got, tc.in)
			got, text = tvRoundTrip(t, c, "time", runtime.TimeOfDay{Microseconds: tc.want})
			assert.Equal(t, tc.text, text, tc.in)
			assert.Equal(t, runtime.TimeOfDay{Microseconds: tc.want}, got, tc.in)
		}
		_, err := c.conn.Exec(ctx, "SELECT $1::time", runtime.TimeOfDay{Microseconds: microsPerDay + 1})
		require.Error(t, err)

		var p *runtime.TimeOfDay
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT NULL::time").Scan(&p))
		assert.Nil(t, p)
		require.ErrorContains(t, tvScanErr[runtime.TimeOfDay](c, "SELECT NULL::time"), "NULL")

		texts := make([]string, len(random))
		for i, v := range random {
			texts[i] = v.String()
		}
		require.Equal(t, texts, tvPGTexts(t, c, "time", texts))
		got, pgTexts := tvArrayRoundTrip(t, c, "time", random)
		require.Equal(t, texts, pgTexts)
		require.Equal(t, random, got)
	})
}
