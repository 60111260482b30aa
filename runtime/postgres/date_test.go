package postgres

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dateCases are dates in the runtime's text form, which PostgreSQL reads
// too, with the text both print.
var dateCases = []struct {
	in   string
	want runtime.Date
	text string
}{
	{"2024-02-29", runtime.Date{Year: 2024, Month: time.February, Day: 29}, "2024-02-29"},
	{"2000-02-29", runtime.Date{Year: 2000, Month: time.February, Day: 29}, "2000-02-29"},
	{"0001-01-01", runtime.Date{Year: 1, Month: time.January, Day: 1}, "0001-01-01"},
	{"9999-12-31", runtime.Date{Year: 9999, Month: time.December, Day: 31}, "9999-12-31"},
	{"1970-01-01", runtime.Date{Year: 1970, Month: time.January, Day: 1}, "1970-01-01"},
	{"2023-04-30", runtime.Date{Year: 2023, Month: time.April, Day: 30}, "2023-04-30"},
	{"infinity", runtime.DateInfinity, "infinity"},
	{"Infinity", runtime.DateInfinity, "infinity"},
	{"-INFINITY", runtime.DateNegativeInfinity, "-infinity"},
}

func TestDatePgtype(t *testing.T) {
	var d runtime.Date
	p := (*pgDate)(&d)
	require.ErrorContains(t, p.ScanDate(pgtype.Date{}), "NULL")
	require.Error(t, p.ScanDate(pgtype.Date{Time: time.Date(-4713, 11, 23, 0, 0, 0, 0, time.UTC), Valid: true}))
	require.Error(t, p.ScanDate(pgtype.Date{Time: time.Date(5874898, 1, 1, 0, 0, 0, 0, time.UTC), Valid: true}))
	require.NoError(t, p.ScanDate(pgtype.Date{Time: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), Valid: true}))
	assert.Equal(t, runtime.Date{Year: 2024, Month: 2, Day: 29}, d)
	require.NoError(t, p.ScanDate(pgtype.Date{InfinityModifier: pgtype.NegativeInfinity, Valid: true}))
	assert.Equal(t, runtime.DateNegativeInfinity, d)
	require.ErrorContains(t, p.ScanText(pgtype.Text{}), "NULL")

	for _, bad := range []runtime.Date{{}, {Year: 2023, Month: 2, Day: 29}, {Year: -4713, Month: 11, Day: 23}, {Year: 5874898, Month: 1, Day: 1}, {Year: -1, Month: 2, Day: 29}, {Year: runtime.DateInfinity.Year, Month: 1}} {
		_, err := pgDate(bad).DateValue()
		require.Error(t, err, "%v", bad)
		_, err = pgDate(bad).TextValue()
		require.Error(t, err, "%v", bad)
	}
	v, err := pgDate(runtime.DateInfinity).DateValue()
	require.NoError(t, err)
	assert.Equal(t, pgtype.Date{InfinityModifier: pgtype.Infinity, Valid: true}, v)
}

// pgDateForms are dates with PostgreSQL's text of them in the ISO
// DateStyle: before year 1 with BC, after 9999 with more digits.
var pgDateForms = []struct {
	want runtime.Date
	pg   string
}{
	{minDate, "4714-11-24 BC"},
	{maxDate, "5874897-12-31"},
	{runtime.Date{Year: -43, Month: 3, Day: 15}, "0044-03-15 BC"},
	{runtime.Date{Year: 0, Month: 1, Day: 1}, "0001-01-01 BC"},
	{runtime.Date{Year: 0, Month: 2, Day: 29}, "0001-02-29 BC"},
	{runtime.Date{Year: -4, Month: 2, Day: 29}, "0005-02-29 BC"},
	{runtime.Date{Year: -400, Month: 2, Day: 29}, "0401-02-29 BC"},
	{runtime.Date{Year: 1, Month: 1, Day: 1}, "0001-01-01"},
	{runtime.Date{Year: 9999, Month: 12, Day: 31}, "9999-12-31"},
	{runtime.Date{Year: 10000, Month: 1, Day: 1}, "10000-01-01"},
	{runtime.Date{Year: 294277, Month: 1, Day: 1}, "294277-01-01"},
	{runtime.DateInfinity, "infinity"},
	{runtime.DateNegativeInfinity, "-infinity"},
}

func TestDatePGForms(t *testing.T) {
	for _, tc := range pgDateForms {
		v, err := pgDate(tc.want).TextValue()
		require.NoError(t, err)
		assert.Equal(t, tc.pg, v.String)
		var got runtime.Date
		require.NoError(t, (*pgDate)(&got).ScanText(pgtype.Text{String: tc.pg, Valid: true}))
		assert.Equal(t, tc.want, got, tc.pg)
		if !tc.want.IsInf(0) {
			pd, err := pgDate(tc.want).DateValue()
			require.NoError(t, err)
			got = runtime.Date{}
			require.NoError(t, (*pgDate)(&got).ScanDate(pd))
			assert.Equal(t, tc.want, got)
		}
	}
	// PostgreSQL's text: years of four to seven digits, BC from year 1 on.
	for _, in := range []string{"0000-01-01", "0000-01-01 BC", "-0043-03-15", "4715-01-01 BC", "5874898-01-01", "12345678-01-01", "0044-03-15BC", "0044-03-15 bc", "044-03-15"} {
		var got runtime.Date
		assert.Error(t, (*pgDate)(&got).ScanText(pgtype.Text{String: in, Valid: true}), in)
	}
	for _, d := range []runtime.Date{{Year: -1, Month: 2, Day: 29}, {Year: -100, Month: 2, Day: 29}, {Year: -4713, Month: 11, Day: 23}, {Year: 5874898, Month: 1, Day: 1}, {Year: -4713, Month: 2, Day: 29}} {
		_, err := pgDate(d).DateValue()
		assert.Error(t, err, "%v", d)
		_, err = pgDate(d).TextValue()
		assert.Error(t, err, "%v", d)
	}
	// The binary format: pgx's days from 2000-01-01 in the proleptic
	// Gregorian calendar, as Go's.
	var d runtime.Date
	require.NoError(t, (*pgDate)(&d).ScanDate(pgtype.Date{Time: time.Date(-4713, 11, 24, 0, 0, 0, 0, time.UTC), Valid: true}))
	assert.Equal(t, minDate, d)
}

// tvDates returns n random dates of the years 1 to 9999.
func tvDates(r *rand.Rand, n int) []runtime.Date {
	start := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	out := make([]runtime.Date, n)
	for i := range out {
		out[i] = runtime.DateFromTime(start.AddDate(0, 0, r.IntN(days+1)))
	}
	return out
}

func TestDatePostgres(t *testing.T) {
	ctx := context.Background()
	random := tvDates(rand.New(rand.NewPCG(7, 8)), 500)
	tvEachRegisteredConn(t, func(t *testing.T, c tvConn) {
		for _, tc := range dateCases {
			got, text := tvFromText[runtime.Date](t, c, "date", tc.in)
			assert.Equal(t, tc.text, text)
			assert.Equal(t, tc.want, got)
			got, text = tvRoundTrip(t, c, "date", tc.want)
			assert.Equal(t, tc.text, text)
			assert.Equal(t, tc.want, got)
		}

		// Dates BC and after 9999 too (timestamp_test.go has more).
		for in, want := range map[string]runtime.Date{
			"0001-12-31 BC": {Year: 0, Month: 12, Day: 31}, "4713-01-01 BC": {Year: -4712, Month: 1, Day: 1}, "10000-01-01": {Year: 10000, Month: 1, Day: 1}, "5874897-12-31": {Year: 5874897, Month: 12, Day: 31},
		} {
			got, text := tvFromText[runtime.Date](t, c, "date", in)
			assert.Equal(t, want, got, in)
			assert.Equal(t, in, text)
		}
		_, err := c.conn.Exec(ctx, "SELECT $1::date", runtime.Date{Year: 2023, Month: 2, Day: 29})
		require.Error(t, err)

		var p *runtime.Date
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT NULL::date").Scan(&p))
		assert.Nil(t, p)
		require.ErrorContains(t, tvScanErr[runtime.Date](c, "SELECT NULL::date"), "NULL")

		texts := make([]string, len(random))
		for i, d := range random {
			texts[i] = d.String()
		}
		require.Equal(t, texts, tvPGTexts(t, c, "date", texts))
		got, pgTexts := tvArrayRoundTrip(t, c, "date", random)
		require.Equal(t, texts, pgTexts)
		require.Equal(t, random, got)
		special := []runtime.Date{runtime.DateNegativeInfinity, {Year: 1, Month: 1, Day: 1}, runtime.DateInfinity}
		got, pgTexts = tvArrayRoundTrip(t, c, "date", special)
		require.Equal(t, []string{"-infinity", "0001-01-01", "infinity"}, pgTexts)
		require.Equal(t, special, got)
	})
}

// FuzzDatePGText checks PostgreSQL's text form of every date the runtime
// reads: it reads back as the same date.
func FuzzDatePGText(f *testing.F) {
	for _, s := range []string{"-4713-11-24", "+5874897-12-31", "0000-02-29", "-0043-03-15", "2024-02-29", "+10000-01-01", "infinity", "-infinity"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := runtime.ParseDate(s)
		if err != nil {
			return
		}
		pg, err := pgDate(d).TextValue()
		require.NoError(t, err)
		var back runtime.Date
		require.NoError(t, (*pgDate)(&back).ScanText(pg))
		require.Equal(t, d, back)
	})
}
