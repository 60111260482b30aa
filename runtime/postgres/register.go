package postgres

import (
	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5/pgtype"
)

// RegisterTypes registers with m, a connection's type map, what pgx needs
// to handle the runtime's types. Call it for every connection, e.g. from
// pgxpool.Config.AfterConnect:
//
//	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
//		postgres.RegisterTypes(c.TypeMap())
//		return nil
//	}
//
// Without it, pgx knows the runtime's types only by what they are made
// of, as none implements its interfaces:
//   - it scans no runtime.Decimal, Date, TimeOfDay, Interval or Array
//     (UUID, an array of bytes, it does);
//   - it sends no Array, nor slices of the runtime's types in the modes
//     that do not ask the server for parameter types
//     (pgx.QueryExecModeExec and pgx.QueryExecModeSimpleProtocol), and
//     sends the other types in the text of their String method, which
//     PostgreSQL misreads for dates before year 1;
//   - timestamptz and timestamp infinities neither scan into time.Time
//     nor are sent for runtime.TimeInfinity and TimeNegativeInfinity.
//
// It puts ahead of pgx's plan wrappers its own, which hand pgx each of
// those types, and each Array, in a form implementing its interfaces. It
// registers wrappers of pgx's codecs for numeric, date, time, interval,
// uuid and their arrays, which read and write the runtime's types
// themselves and leave every other Go type to pgx: numeric exactly,
// keeping the scale of zero that pgx's binary decoding drops, and the
// elements of arrays in the text format as the runtime parses them (pgx
// would, failing for intervals with IntervalStyle iso_8601). It maps those
// types, and slices of them, to those PostgreSQL types, for the modes that
// do not ask the server. It wraps the timestamptz and timestamp codecs of
// m (keeping their ScanLocation) so that time.Time and *time.Time, and
// slices of them, scan and encode the infinities as TimeInfinity and
// TimeNegativeInfinity.
func RegisterTypes(m *pgtype.Map) {
	m.TryWrapEncodePlanFuncs = append([]pgtype.TryWrapEncodePlanFunc{tryWrapArrayEncodePlan(m), tryWrapValueEncodePlan},
		m.TryWrapEncodePlanFuncs...)
	m.TryWrapScanPlanFuncs = append([]pgtype.TryWrapScanPlanFunc{tryWrapArrayScanPlan, tryWrapValueScanPlan},
		m.TryWrapScanPlanFuncs...)
	for _, t := range []struct {
		name          string
		oid, arrayOID uint32
		codec         pgtype.Codec
		value, slice  any
	}{
		{"numeric", pgtype.NumericOID, pgtype.NumericArrayOID, decimalCodec{}, runtime.Decimal{}, []runtime.Decimal(nil)},
		{"date", pgtype.DateOID, pgtype.DateArrayOID, pgtype.DateCodec{}, runtime.Date{}, []runtime.Date(nil)},
		{"time", pgtype.TimeOID, pgtype.TimeArrayOID, pgtype.TimeCodec{}, runtime.TimeOfDay{}, []runtime.TimeOfDay(nil)},
		{"interval", pgtype.IntervalOID, pgtype.IntervalArrayOID, pgtype.IntervalCodec{}, runtime.Interval{}, []runtime.Interval(nil)},
		{"uuid", pgtype.UUIDOID, pgtype.UUIDArrayOID, pgtype.UUIDCodec{}, runtime.UUID{}, []runtime.UUID(nil)},
	} {
		registerWithArray(m, t.name, t.oid, t.arrayOID, runtimeCodec{t.codec})
		m.RegisterDefaultPgType(t.value, t.name)
		m.RegisterDefaultPgType(t.slice, "_"+t.name)
	}
	registerTimeTypes(m)
}

// registerWithArray registers codec as the type name of m, and its array
// type, whose ArrayCodec holds the new element type.
func registerWithArray(m *pgtype.Map, name string, oid, arrayOID uint32, codec pgtype.Codec) {
	elem := &pgtype.Type{Name: name, OID: oid, Codec: codec}
	m.RegisterType(elem)
	m.RegisterType(&pgtype.Type{Name: "_" + name, OID: arrayOID, Codec: &pgtype.ArrayCodec{ElementType: elem}})
}

// runtimeCodec is one of pgx's codecs, except that it scans the runtime's
// types from the text format with their wrappers' ScanText, as pgx does
// for columns but not for the elements of arrays.
type runtimeCodec struct{ pgtype.Codec }

func (c runtimeCodec) PlanScan(m *pgtype.Map, oid uint32, format int16, target any) pgtype.ScanPlan {
	if format == pgtype.TextFormatCode && pgTarget(target) != nil {
		return scanPlanRuntimeText{}
	}
	return c.Codec.PlanScan(m, oid, format, target)
}

type scanPlanRuntimeText struct{}

func (scanPlanRuntimeText) Scan(src []byte, dst any) error {
	s := pgTarget(dst).(pgtype.TextScanner)
	if src == nil {
		return s.ScanText(pgtype.Text{})
	}
	return s.ScanText(pgtype.Text{String: string(src), Valid: true})
}
