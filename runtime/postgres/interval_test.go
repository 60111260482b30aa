package postgres

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// intervalCases are intervals with their text in PostgreSQL's IntervalStyles
// iso_8601 (runtime.Interval.String's) and postgres.
var intervalCases = []struct {
	v         runtime.Interval
	iso, post string
}{
	{runtime.Interval{}, "PT0S", "00:00:00"},
	{runtime.Interval{Months: 14, Days: 3, Microseconds: 4*microsPerHour + 5*microsPerMinute + 6500000}, "P1Y2M3DT4H5M6.5S", "1 year 2 mons 3 days 04:05:06.5"},
	{runtime.Interval{Months: -14, Days: 3, Microseconds: -(4*microsPerHour + 5*microsPerMinute + 6500000)}, "P-1Y-2M3DT-4H-5M-6.5S", "-1 years -2 mons +3 days -04:05:06.5"},
	{runtime.Interval{Days: -1}, "P-1D", "-1 days"},
	{runtime.Interval{Days: 1}, "P1D", "1 day"},
	{runtime.Interval{Months: 1}, "P1M", "1 mon"},
	{runtime.Interval{Months: 12}, "P1Y", "1 year"},
	{runtime.Interval{Months: -12}, "P-1Y", "-1 years"},
	{runtime.Interval{Microseconds: -500000}, "PT-0.5S", "-00:00:00.5"},
	{runtime.Interval{Microseconds: 1}, "PT0.000001S", "00:00:00.000001"},
	{runtime.Interval{Days: 1, Microseconds: -500000}, "P1DT-0.5S", "1 day -00:00:00.5"},
	{runtime.Interval{Microseconds: -microsPerHour - 500000}, "PT-1H-0.5S", "-01:00:00.5"},
	{runtime.Interval{Microseconds: 100000 * microsPerHour}, "PT100000H", "100000:00:00"},
	{runtime.Interval{Microseconds: microsPerMinute}, "PT1M", "00:01:00"},
	{runtime.Interval{Microseconds: microsPerHour + microsPerSecond}, "PT1H1S", "01:00:01"},
	{runtime.Interval{Months: 1, Days: 2, Microseconds: -3}, "P1M2DT-0.000003S", "1 mon 2 days -00:00:00.000003"},
	{runtime.Interval{Months: math.MaxInt32, Days: math.MaxInt32, Microseconds: math.MaxInt64},
		"P178956970Y7M2147483647DT2562047788H54.775807S", "178956970 years 7 mons 2147483647 days 2562047788:00:54.775807"},
	{runtime.Interval{Months: math.MinInt32, Days: math.MinInt32, Microseconds: math.MinInt64},
		"P-178956970Y-8M-2147483648DT-2562047788H-54.775808S", "-178956970 years -8 mons -2147483648 days -2562047788:00:54.775808"},
}

func TestIntervalPgtype(t *testing.T) {
	var v runtime.Interval
	w := (*pgInterval)(&v)
	require.ErrorContains(t, w.ScanInterval(pgtype.Interval{}), "NULL")
	require.ErrorContains(t, w.ScanText(pgtype.Text{}), "NULL")
	require.NoError(t, w.ScanInterval(pgtype.Interval{Months: 1, Days: 2, Microseconds: 3, Valid: true}))
	assert.Equal(t, runtime.Interval{Months: 1, Days: 2, Microseconds: 3}, v)
	p, err := pgInterval(v).IntervalValue()
	require.NoError(t, err)
	assert.Equal(t, pgtype.Interval{Months: 1, Days: 2, Microseconds: 3, Valid: true}, p)
}

func tvIntervals(r *rand.Rand, n int) []runtime.Interval {
	out := make([]runtime.Interval, n)
	for i := range out {
		var v runtime.Interval
		if r.IntN(2) == 0 {
			v.Months = int32(r.IntN(400) - 200)
		}
		if r.IntN(2) == 0 {
			v.Days = int32(r.IntN(800) - 400)
		}
		switch r.IntN(4) {
		case 0:
		case 1:
			v.Microseconds = r.Int64N(200*microsPerHour) - 100*microsPerHour
		case 2:
			v.Microseconds = (r.Int64N(200*microsPerHour) - 100*microsPerHour) / microsPerSecond * microsPerSecond
		default:
			v.Microseconds = int64(r.Uint64())
			v.Months = int32(r.Uint32())
			v.Days = int32(r.Uint32())
		}
		out[i] = v
	}
	return out
}

func TestIntervalPostgres(t *testing.T) {
	ctx := context.Background()
	random := tvIntervals(rand.New(rand.NewPCG(11, 12)), 500)
	isoInputs := []string{
		"P1Y2M3DT4H5M6.5S", "P-1Y-2M3DT-4H-5M-6.5S", "PT1.5H", "PT0.1234565H", "P2W", "P1W2D", "PT1.000001S",
		"PT-1.5M", "P-1DT1H", "PT36H", "P178956970Y7M", "P-178956970Y-8M",
	}
	tvEachRegisteredConn(t, func(t *testing.T, c tvConn) {
		for _, style := range []string{"iso_8601", "postgres"} {
			_, err := c.conn.Exec(ctx, "SET intervalstyle = "+style)
			require.NoError(t, err)
			for _, tc := range intervalCases {
				want := tc.iso
				if style == "postgres" {
					want = tc.post
				}
				got, text := tvRoundTrip(t, c, "interval", tc.v)
				assert.Equal(t, want, text, tc.iso)
				assert.Equal(t, tc.v, got, tc.iso)
				got, text = tvFromText[runtime.Interval](t, c, "interval", tc.iso)
				assert.Equal(t, want, text, tc.iso)
				assert.Equal(t, tc.v, got, tc.iso)
			}
			// PostgreSQL reads ISO 8601 as ParseInterval does.
			for _, in := range isoInputs {
				want, err := runtime.ParseInterval(in)
				require.NoError(t, err, in)
				got, _ := tvFromText[runtime.Interval](t, c, "interval", in)
				assert.Equal(t, want, got, in)
			}

			texts := make([]string, len(random))
			for i, v := range random {
				texts[i] = v.String()
			}
			pgTexts := tvPGTexts(t, c, "interval", texts)
			if style == "iso_8601" {
				require.Equal(t, texts, pgTexts)
			}
			for i, text := range pgTexts {
				v, err := runtime.ParseInterval(text)
				require.NoError(t, err, text)
				require.Equal(t, random[i], v, text)
			}
			got, _ := tvArrayRoundTrip(t, c, "interval", random)
			require.Equal(t, random, got)
		}

		var p *runtime.Interval
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT NULL::interval").Scan(&p))
		assert.Nil(t, p)
		require.ErrorContains(t, tvScanErr[runtime.Interval](c, "SELECT NULL::interval"), "NULL")
	})
}
