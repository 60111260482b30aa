package postgres

import (
	"context"
	"github.com/crudgen/crudgen/runtime/internal/valuecases"
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
		for _, tc := range valuecases.TimesOfDay {
			got, text := tvFromText[runtime.TimeOfDay](t, c, "time", tc.In)
			assert.Equal(t, tc.Text, text, tc.In)
			assert.Equal(t, runtime.TimeOfDay{Microseconds: tc.Want}, got, tc.In)
			got, text = tvRoundTrip(t, c, "time", runtime.TimeOfDay{Microseconds: tc.Want})
			assert.Equal(t, tc.Text, text, tc.In)
			assert.Equal(t, runtime.TimeOfDay{Microseconds: tc.Want}, got, tc.In)
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
