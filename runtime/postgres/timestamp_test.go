package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crudgen/crudgen/runtime"
	"github.com/crudgen/crudgen/runtime/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var tsFormats = []struct {
	name   string
	format int16
}{{"binary", pgtype.BinaryFormatCode}, {"text", pgtype.TextFormatCode}}

// PostgreSQL's range of date.
var (
	minDate = runtime.Date{Year: -4713, Month: time.November, Day: 24}
	maxDate = runtime.Date{Year: 5874897, Month: time.December, Day: 31}
)

func utc(y int, m time.Month, d, h, mi, s, ns int) time.Time {
	return time.Date(y, m, d, h, mi, s, ns, time.UTC)
}

// decodeFunc is a func as a runtime.Decodable.
type decodeFunc func(d *runtime.Decoder)

func (f decodeFunc) DecodeJSON(d *runtime.Decoder) { f(d) }

// TestTimeCodec encodes and scans time.Time through a registered type map
// in both formats, without a server: the sentinels are the infinities,
// the edges of the range survive, and other Go types are pgx's business.
func TestTimeCodec(t *testing.T) {
	m := pgtype.NewMap()
	RegisterTypes(m)
	RegisterTypes(m) // twice is once
	values := []time.Time{runtime.TimeInfinity, runtime.TimeNegativeInfinity, minTimestamp, maxTimestamp,
		utc(-43, 3, 15, 12, 0, 0, 0), utc(0, 1, 1, 0, 0, 0, 0), utc(-4, 2, 29, 23, 59, 59, 999999000),
		utc(10000, 1, 1, 0, 0, 0, 0), utc(2024, 2, 29, 13, 14, 15, 123456000)}
	for _, f := range tsFormats {
		for _, oid := range []uint32{pgtype.TimestamptzOID, pgtype.TimestampOID} {
			for _, v := range values {
				buf, err := m.Encode(oid, f.format, v, nil)
				require.NoError(t, err, "%v", v)
				var got time.Time
				require.NoError(t, m.Scan(oid, f.format, buf, &got), "%s %q", f.name, buf)
				assert.True(t, got.Equal(v), "%s %d %v: %v", f.name, oid, v, got)
				var p *time.Time
				require.NoError(t, m.Scan(oid, f.format, buf, &p))
				require.NotNil(t, p)
				assert.True(t, p.Equal(v))
				pbuf, err := m.Encode(oid, f.format, &v, nil)
				require.NoError(t, err)
				assert.Equal(t, buf, pbuf)
				if f.format == pgtype.TextFormatCode && runtime.TimeIsInf(v, 0) {
					assert.Equal(t, strings.TrimPrefix(string(runtime.AppendTime(nil, v)), `"`), string(buf)+`"`)
				}
				// pgx's own types are untouched: infinities are modifiers.
				var ts pgtype.Timestamptz
				if oid == pgtype.TimestamptzOID {
					require.NoError(t, m.Scan(oid, f.format, buf, &ts))
					assert.Equal(t, runtime.TimeIsInf(v, 0), ts.InfinityModifier != pgtype.Finite)
				}
			}
			// Slices, and the element types the arrays were registered with.
			arrayOID := uint32(pgtype.TimestamptzArrayOID)
			if oid == pgtype.TimestampOID {
				arrayOID = pgtype.TimestampArrayOID
			}
			buf, err := m.Encode(arrayOID, f.format, values, nil)
			require.NoError(t, err)
			var got []time.Time
			require.NoError(t, m.Scan(arrayOID, f.format, buf, &got), "%s %q", f.name, buf)
			require.Len(t, got, len(values))
			for i := range values {
				assert.True(t, got[i].Equal(values[i]), "%v: %v", values[i], got[i])
			}
			ptrs := []*time.Time{&values[0], nil, &values[1]}
			buf, err = m.Encode(arrayOID, f.format, ptrs, nil)
			require.NoError(t, err)
			var gotPtrs []*time.Time
			require.NoError(t, m.Scan(arrayOID, f.format, buf, &gotPtrs))
			require.Len(t, gotPtrs, 3)
			assert.True(t, runtime.TimeIsInf(*gotPtrs[0], 1) && gotPtrs[1] == nil && runtime.TimeIsInf(*gotPtrs[2], -1))

			// What PostgreSQL cannot store is an error, not a value
			// wrapped around.
			for _, v := range []time.Time{minTimestamp.Add(-time.Microsecond), maxTimestamp.Add(time.Microsecond), utc(1000000, 1, 1, 0, 0, 0, 0), runtime.TimeInfinity.Add(1)} {
				_, err := m.Encode(oid, f.format, v, nil)
				assert.ErrorContains(t, err, "out of range", "%v", v)
			}
			_, err = m.Encode(oid, f.format, maxTimestamp.Add(999), nil) // truncated to the microsecond
			assert.NoError(t, err)
			var v time.Time
			assert.EqualError(t, m.Scan(oid, f.format, nil, &v), "cannot scan NULL into *time.Time")
		}
		// A time.Time of no known type is a timestamptz, as in pgx.
		buf, err := m.Encode(0, pgtype.TextFormatCode, runtime.TimeNegativeInfinity, nil)
		require.NoError(t, err)
		assert.Equal(t, "-infinity", string(buf))
		buf, err = m.Encode(0, pgtype.TextFormatCode, []time.Time{runtime.TimeInfinity, utc(-43, 3, 15, 12, 0, 0, 0)}, nil)
		require.NoError(t, err)
		assert.Equal(t, `{infinity,"0044-03-15 12:00:00Z BC"}`, string(buf))
	}
	// A timestamp's wall clock decides, whatever the location.
	wall := maxTimestamp.In(time.FixedZone("", 3600))
	_, err := m.Encode(pgtype.TimestampOID, pgtype.BinaryFormatCode, wall, nil)
	assert.ErrorContains(t, err, "out of range")
	_, err = m.Encode(pgtype.TimestamptzOID, pgtype.BinaryFormatCode, wall, nil)
	assert.NoError(t, err)
}

// TestTimeCodecScanLocation: a codec the application registered with a
// ScanLocation keeps it, in pgx's plans and in ScanRows's.
func TestTimeCodecScanLocation(t *testing.T) {
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Skip(err)
	}
	m := pgtype.NewMap()
	m.RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID, Codec: &pgtype.TimestamptzCodec{ScanLocation: kolkata}})
	RegisterTypes(m)
	tz, _ := m.TypeForOID(pgtype.TimestamptzOID)
	assert.Equal(t, kolkata, unwrapTimeCodec(tz.Codec).(*pgtype.TimestamptzCodec).ScanLocation)
	for _, f := range tsFormats {
		buf, err := m.Encode(pgtype.TimestamptzOID, f.format, utc(2024, 1, 1, 0, 0, 0, 0), nil)
		require.NoError(t, err)
		var got time.Time
		require.NoError(t, m.Scan(pgtype.TimestamptzOID, f.format, buf, &got))
		assert.Equal(t, kolkata, got.Location())
	}

	ctx := context.Background()
	cfg, err := pgx.ParseConfig(pgtest.URL(t))
	require.NoError(t, err)
	conn, err := pgx.ConnectConfig(ctx, cfg)
	require.NoError(t, err)
	defer conn.Close(ctx)
	conn.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID, Codec: &pgtype.TimestamptzCodec{ScanLocation: kolkata}})
	RegisterTypes(conn.TypeMap())
	var a, b time.Time
	var c, d *time.Time
	require.NoError(t, QueryRow(ctx, conn, "SELECT '2024-01-01 00:00:00+00'::timestamptz, 'infinity'::timestamptz, '0044-03-15 12:00:00+00 BC'::timestamptz, NULL::timestamptz").Scan(&a, &b, &c, &d))
	assert.Equal(t, kolkata, a.Location())
	assert.True(t, a.Equal(utc(2024, 1, 1, 0, 0, 0, 0)))
	assert.True(t, runtime.TimeIsInf(b, 1))
	assert.Equal(t, kolkata, c.Location())
	assert.True(t, c.Equal(utc(-43, 3, 15, 12, 0, 0, 0)))
	assert.Nil(t, d)
}

// The edge values of each type as SQL text, with the Go values they scan
// as. Timestamps with time zone have explicit offsets; the session's
// Asia/Kolkata prints old ones in local mean time (+05:53:28).
var (
	tsEdgeTZ = []struct {
		sql  string
		want time.Time
	}{
		{"infinity", runtime.TimeInfinity},
		{"-infinity", runtime.TimeNegativeInfinity},
		{"4714-11-24 00:00:00+00 BC", minTimestamp},
		{"294276-12-31 23:59:59.999999+00", maxTimestamp},
		{"0044-03-15 12:00:00+00 BC", utc(-43, 3, 15, 12, 0, 0, 0)},
		{"0001-01-01 00:00:00+00 BC", utc(0, 1, 1, 0, 0, 0, 0)},
		{"0001-12-31 23:59:59.999999+00 BC", utc(0, 12, 31, 23, 59, 59, 999999000)},
		{"0005-02-29 12:00:00+00 BC", utc(-4, 2, 29, 12, 0, 0, 0)},
		{"10000-01-01 00:00:00+00", utc(10000, 1, 1, 0, 0, 0, 0)},
		{"1800-06-01 12:00:00+05:53:28", utc(1800, 6, 1, 6, 6, 32, 0)},
		{"2024-02-29 13:14:15.123456+05:30", utc(2024, 2, 29, 7, 44, 15, 123456000)},
	}
	tsEdgeTS = []struct {
		sql  string
		want time.Time
	}{
		{"infinity", runtime.TimeInfinity},
		{"-infinity", runtime.TimeNegativeInfinity},
		{"4714-11-24 00:00:00 BC", minTimestamp},
		{"294276-12-31 23:59:59.999999", maxTimestamp},
		{"0044-03-15 12:00:00 BC", utc(-43, 3, 15, 12, 0, 0, 0)},
		{"0001-01-01 00:00:00 BC", utc(0, 1, 1, 0, 0, 0, 0)},
		{"0001-12-31 23:59:59.999999 BC", utc(0, 12, 31, 23, 59, 59, 999999000)},
		{"0005-02-29 00:00:00 BC", utc(-4, 2, 29, 0, 0, 0, 0)},
		{"10000-01-01 00:00:00", utc(10000, 1, 1, 0, 0, 0, 0)},
		{"2024-02-29 13:14:15.123456", utc(2024, 2, 29, 13, 14, 15, 123456000)},
		{"1970-01-01 00:00:00.000001", utc(1970, 1, 1, 0, 0, 0, 1000)},
	}
	tsEdgeDate = []struct {
		sql  string
		want runtime.Date
	}{
		{"infinity", runtime.DateInfinity},
		{"-infinity", runtime.DateNegativeInfinity},
		{"4714-11-24 BC", minDate},
		{"5874897-12-31", maxDate},
		{"0044-03-15 BC", runtime.Date{Year: -43, Month: 3, Day: 15}},
		{"0001-01-01 BC", runtime.Date{Year: 0, Month: 1, Day: 1}},
		{"0001-12-31 BC", runtime.Date{Year: 0, Month: 12, Day: 31}},
		{"0005-02-29 BC", runtime.Date{Year: -4, Month: 2, Day: 29}},
		{"10000-01-01", runtime.Date{Year: 10000, Month: 1, Day: 1}},
		{"294277-01-01", runtime.Date{Year: 294277, Month: 1, Day: 1}},
		{"2024-02-29", runtime.Date{Year: 2024, Month: 2, Day: 29}},
	}
)

// tsEdgeRow is a row of the table of edge values, scanned.
type tsEdgeRow struct {
	id       int32
	tz       time.Time
	tzp      *time.Time
	ts       time.Time
	tsp      *time.Time
	d        runtime.Date
	dp       *runtime.Date
	tza, tsa []time.Time
	da       []runtime.Date
}

func (r *tsEdgeRow) dest() []any {
	return []any{&r.id, &r.tz, &r.tzp, &r.ts, &r.tsp, &r.d, &r.dp, &r.tza, &r.tsa, &r.da}
}

const tsEdgeSelect = "SELECT id, tz, tz, ts, ts, d, d, tza, tsa, da FROM ts_edges"

// TestTimestampsPostgres stores the edges of timestamptz, timestamp and
// date and their arrays with SQL text, then, in every query mode and
// through pgx's Scan, ScanRows and QueryRow: scans them into time.Time,
// *time.Time, runtime.Date, []time.Time and []runtime.Date; writes their
// JSON; reads that back with the runtime.Decoder; and has PostgreSQL
// compare the result, sent as a parameter, with what it stored.
func TestTimestampsPostgres(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	setup, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer setup.Close(ctx)
	require.Equal(t, len(tsEdgeTZ), len(tsEdgeTS))
	require.Equal(t, len(tsEdgeTZ), len(tsEdgeDate))
	array := func(typ string, lits []string) string {
		return "ARRAY['" + strings.Join(lits, "', '") + "']::" + typ + "[]"
	}
	var tzs, tss, ds []string
	for i := range tsEdgeTZ {
		tzs, tss, ds = append(tzs, tsEdgeTZ[i].sql), append(tss, tsEdgeTS[i].sql), append(ds, tsEdgeDate[i].sql)
	}
	sql := `SET TimeZone = 'Asia/Kolkata';
		DROP TABLE IF EXISTS ts_edges;
		CREATE TABLE ts_edges (id int PRIMARY KEY, tz timestamptz, ts timestamp, d date, tza timestamptz[], tsa timestamp[], da date[]);`
	for i := range tsEdgeTZ {
		// Each row's arrays hold the edges from its own on, the last row's
		// none: '{}'.
		sql += fmt.Sprintf("\nINSERT INTO ts_edges VALUES (%d, '%s', '%s', '%s', %s, %s, %s);", i, tzs[i], tss[i], ds[i],
			array("timestamptz", tzs[i+1:]), array("timestamp", tss[i+1:]), array("date", ds[i+1:]))
	}
	_, err = setup.Exec(ctx, strings.ReplaceAll(sql, "ARRAY['']", "ARRAY[]"), pgx.QueryExecModeSimpleProtocol)
	require.NoError(t, err)

	for _, mode := range tvModes {
		t.Run(mode.name, func(t *testing.T) {
			cfg, err := pgx.ParseConfig(url)
			require.NoError(t, err)
			cfg.DefaultQueryExecMode = mode.mode
			cfg.RuntimeParams["timezone"] = "Asia/Kolkata"
			conn, err := pgx.ConnectConfig(ctx, cfg)
			require.NoError(t, err)
			defer conn.Close(ctx)
			RegisterTypes(conn.TypeMap())
			var zone string
			require.NoError(t, conn.QueryRow(ctx, "SHOW TimeZone").Scan(&zone))
			require.Equal(t, "Asia/Kolkata", zone)
			// What pgx parses in the text format: BC, six-digit years, local
			// mean time's offset in seconds.
			var texts []string
			require.NoError(t, conn.QueryRow(ctx, "SELECT ARRAY[tz::text, tza[1]::text, tza[8]::text] FROM ts_edges WHERE id = 1").Scan(&texts))
			assert.Equal(t, []string{"-infinity", "4714-11-24 05:53:28+05:53:28 BC", "1800-06-01 12:00:00+05:53:28"}, texts)
			require.NoError(t, conn.QueryRow(ctx, "SELECT ARRAY[tz::text] FROM ts_edges WHERE id = 3").Scan(&texts))
			assert.Equal(t, []string{"294277-01-01 05:29:59.999999+05:30"}, texts)

			for _, how := range []string{"pgx", "ScanRows", "QueryRow"} {
				rows := tsScanEdges(t, conn, how)
				require.Len(t, rows, len(tsEdgeTZ), how)
				for _, r := range rows {
					t.Run(fmt.Sprintf("%s/%d", how, r.id), func(t *testing.T) {
						tsCheckEdgeRow(t, conn, r)
					})
				}
			}
			// Values PostgreSQL cannot store are errors before they are
			// sent, and never wrap around.
			for _, v := range []time.Time{utc(300000, 1, 1, 0, 0, 0, 0), utc(-5000, 1, 1, 0, 0, 0, 0), runtime.TimeInfinity.Add(time.Hour)} {
				var ok bool
				err := conn.QueryRow(ctx, "SELECT $1::timestamptz IS NOT NULL", v).Scan(&ok)
				assert.ErrorContains(t, err, "out of range", "%v", v)
				err = conn.QueryRow(ctx, "SELECT $1::timestamp[] IS NOT NULL", []time.Time{v}).Scan(&ok)
				assert.ErrorContains(t, err, "out of range", "%v", v)
			}
		})
	}
}

// tsScanEdges reads the table in one of three ways.
func tsScanEdges(t *testing.T, conn *pgx.Conn, how string) []tsEdgeRow {
	t.Helper()
	ctx := context.Background()
	var out []tsEdgeRow
	if how == "QueryRow" {
		for i := range tsEdgeTZ {
			var r tsEdgeRow
			require.NoError(t, QueryRow(ctx, conn, tsEdgeSelect+" WHERE id = $1", i).Scan(r.dest()...), "row %d", i)
			out = append(out, r)
		}
		return out
	}
	rows, err := conn.Query(ctx, tsEdgeSelect+" ORDER BY id")
	require.NoError(t, err)
	defer rows.Close()
	var row pgx.Row = rows
	if how == "ScanRows" {
		row = ScanRows(rows)
	}
	for rows.Next() {
		var r tsEdgeRow
		require.NoError(t, row.Scan(r.dest()...), "%s row %d", how, len(out))
		out = append(out, r)
	}
	require.NoError(t, rows.Err())
	return out
}

// tsCheckEdgeRow checks a row's values, then their JSON, read back and
// compared by PostgreSQL with the stored ones.
func tsCheckEdgeRow(t *testing.T, conn *pgx.Conn, r tsEdgeRow) {
	i := int(r.id)
	wantTZ, wantTS, wantD := tsEdgeTZ[i].want, tsEdgeTS[i].want, tsEdgeDate[i].want
	assert.True(t, wantTZ.Equal(r.tz), "timestamptz %s: %v", tsEdgeTZ[i].sql, r.tz)
	assert.True(t, r.tzp != nil && wantTZ.Equal(*r.tzp), "*time.Time %s", tsEdgeTZ[i].sql)
	assert.True(t, wantTS.Equal(r.ts), "timestamp %s: %v", tsEdgeTS[i].sql, r.ts)
	assert.True(t, r.tsp != nil && wantTS.Equal(*r.tsp), "*time.Time %s", tsEdgeTS[i].sql)
	assert.Equal(t, wantD, r.d)
	assert.Equal(t, &wantD, r.dp)
	require.Len(t, r.tza, len(tsEdgeTZ)-i-1)
	require.Len(t, r.tsa, len(tsEdgeTS)-i-1)
	require.Len(t, r.da, len(tsEdgeDate)-i-1)
	for k := range r.tza {
		assert.True(t, tsEdgeTZ[i+1+k].want.Equal(r.tza[k]), "timestamptz[] %s: %v", tsEdgeTZ[i+1+k].sql, r.tza[k])
		assert.True(t, tsEdgeTS[i+1+k].want.Equal(r.tsa[k]), "timestamp[] %s: %v", tsEdgeTS[i+1+k].sql, r.tsa[k])
		assert.Equal(t, tsEdgeDate[i+1+k].want, r.da[k])
	}

	// The JSON of the row, as generated code writes it.
	b := []byte(`{"tz":`)
	b = runtime.AppendTime(b, r.tz)
	b = append(b, `,"tzp":`...)
	b = runtime.AppendNullable(b, r.tzp, runtime.AppendTime)
	b = append(b, `,"ts":`...)
	b = runtime.AppendTimestamp(b, r.ts)
	b = append(b, `,"tsp":`...)
	b = runtime.AppendNullable(b, r.tsp, runtime.AppendTimestamp)
	b = append(b, `,"d":`...)
	b = runtime.AppendDate(b, r.d)
	b = append(b, `,"tza":`...)
	b = runtime.AppendSlice(b, r.tza, runtime.AppendTime)
	b = append(b, `,"tsa":`...)
	b = runtime.AppendSlice(b, r.tsa, runtime.AppendTimestamp)
	b = append(b, `,"da":`...)
	b = runtime.AppendSlice(b, r.da, runtime.AppendDate)
	b = append(b, '}')

	var back tsEdgeRow
	require.NoError(t, runtime.Decode(b, decodeFunc(func(d *runtime.Decoder) {
		d.Object(func(key string) {
			switch key {
			case "tz":
				d.Time(&back.tz)
			case "tzp":
				runtime.Nullable(d, &back.tzp, runtime.ReadTime)
			case "ts":
				d.Timestamp(&back.ts)
			case "tsp":
				runtime.Nullable(d, &back.tsp, runtime.ReadTimestamp)
			case "d":
				runtime.ReadDate(d, &back.d)
			case "tza":
				runtime.SliceOf(d, &back.tza, runtime.ReadTime)
			case "tsa":
				runtime.SliceOf(d, &back.tsa, runtime.ReadTimestamp)
			case "da":
				runtime.SliceOf(d, &back.da, runtime.ReadDate)
			}
		})
	})), "%s", b)
	assert.True(t, back.tz.Equal(r.tz) && back.tzp.Equal(*r.tzp) && back.ts.Equal(r.ts) && back.tsp.Equal(*r.tsp), "%s", b)
	assert.Equal(t, r.d, back.d)
	assert.Equal(t, r.da, back.da)

	// PostgreSQL compares the values read back with those it stored.
	var same [8]bool
	err := conn.QueryRow(context.Background(), `SELECT tz IS NOT DISTINCT FROM $2, tz IS NOT DISTINCT FROM $3,
			ts IS NOT DISTINCT FROM $4, ts IS NOT DISTINCT FROM $5, d IS NOT DISTINCT FROM $6,
			tza IS NOT DISTINCT FROM $7, tsa IS NOT DISTINCT FROM $8, da IS NOT DISTINCT FROM $9
		FROM ts_edges WHERE id = $1`, r.id, back.tz, back.tzp, back.ts, back.tsp, back.d, back.tza, back.tsa, back.da).
		Scan(&same[0], &same[1], &same[2], &same[3], &same[4], &same[5], &same[6], &same[7])
	require.NoError(t, err, "%s", b)
	assert.Equal(t, [8]bool{true, true, true, true, true, true, true, true}, same, "%s", b)
}
