package postgres

import (
	"errors"
	"time"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5/pgtype"
)

// pgx scans timestamptz and timestamp into time.Time, but refuses their
// infinities, and encodes any time.Time as a finite value
// (runtime.TimeInfinity would overflow the microseconds). RegisterTypes
// wraps pgx's codecs of both types in a timeCodec, which maps the
// infinities to runtime.TimeInfinity and TimeNegativeInfinity for
// time.Time and *time.Time, and slices of them, and leaves every other Go
// type to pgx. pgx itself reads and writes BC and five- or six-digit
// years, and offsets in seconds, in both formats.

// timeCodec is pgx's codec of timestamptz (*pgtype.TimestamptzCodec) or
// timestamp (*pgtype.TimestampCodec), with their ScanLocation.
type timeCodec struct{ pgtype.Codec }

// registerTimeTypes wraps the codecs of timestamptz and timestamp of m, as
// RegisterTypes does for its own types, and has time.Time stand for
// timestamptz where the type is not known, as in pgx.
func registerTimeTypes(m *pgtype.Map) {
	for _, t := range []struct {
		name          string
		oid, arrayOID uint32
	}{
		{"timestamptz", pgtype.TimestamptzOID, pgtype.TimestamptzArrayOID},
		{"timestamp", pgtype.TimestampOID, pgtype.TimestampArrayOID},
	} {
		old, ok := m.TypeForOID(t.oid)
		if !ok {
			continue
		}
		switch old.Codec.(type) {
		case *pgtype.TimestamptzCodec, *pgtype.TimestampCodec:
		default:
			continue // already wrapped, or the application's own codec
		}
		registerWithArray(m, t.name, t.oid, t.arrayOID, timeCodec{old.Codec})
	}
	// Without these, pgx would find its default types for time.Time values
	// of unknown type (the simple protocol), not those registered above.
	var v time.Time
	var s []time.Time
	var ps []*time.Time
	for _, x := range []any{v, &v} {
		m.RegisterDefaultPgType(x, "timestamptz")
	}
	for _, x := range []any{s, &s, ps, &ps} {
		m.RegisterDefaultPgType(x, "_timestamptz")
	}
}

// unwrapTimeCodec returns pgx's codec inside c if c is a timeCodec, else c.
func unwrapTimeCodec(c pgtype.Codec) pgtype.Codec {
	if tc, ok := c.(timeCodec); ok {
		return tc.Codec
	}
	return c
}

// PlanScan scans into a *time.Time through pgx's plan for a
// TimestamptzScanner or TimestampScanner, which gives the infinities.
// (pgx reaches a **time.Time or a slice's elements through a *time.Time.)
func (c timeCodec) PlanScan(m *pgtype.Map, oid uint32, format int16, target any) pgtype.ScanPlan {
	if _, ok := target.(*time.Time); ok {
		if next := c.Codec.PlanScan(m, oid, format, (*timeScanner)(nil)); next != nil {
			return scanPlanTime{next}
		}
	}
	return c.Codec.PlanScan(m, oid, format, target)
}

type scanPlanTime struct{ next pgtype.ScanPlan }

func (p scanPlanTime) Scan(src []byte, dst any) error {
	return p.next.Scan(src, (*timeScanner)(dst.(*time.Time)))
}

// timeScanner is a time.Time that scans the infinities as the sentinels.
type timeScanner time.Time

func (s *timeScanner) ScanTimestamptz(v pgtype.Timestamptz) error {
	return s.scan(v.Time, v.InfinityModifier, v.Valid)
}

func (s *timeScanner) ScanTimestamp(v pgtype.Timestamp) error {
	return s.scan(v.Time, v.InfinityModifier, v.Valid)
}

var errScanNullTime = errors.New("cannot scan NULL into *time.Time") // pgx's words

func (s *timeScanner) scan(t time.Time, inf pgtype.InfinityModifier, valid bool) error {
	switch {
	case !valid:
		return errScanNullTime
	case inf == pgtype.Infinity:
		t = runtime.TimeInfinity
	case inf == pgtype.NegativeInfinity:
		t = runtime.TimeNegativeInfinity
	}
	*s = timeScanner(t)
	return nil
}

// PlanEncode encodes a time.Time through pgx's plan for a
// TimestamptzValuer or TimestampValuer, which writes the infinities. (pgx
// reaches a *time.Time or a slice's elements through a time.Time.)
func (c timeCodec) PlanEncode(m *pgtype.Map, oid uint32, format int16, value any) pgtype.EncodePlan {
	if _, ok := value.(time.Time); ok {
		if next := c.Codec.PlanEncode(m, oid, format, timeValuer{}); next != nil {
			return encodePlanTime{next}
		}
	}
	return c.Codec.PlanEncode(m, oid, format, value)
}

type encodePlanTime struct{ next pgtype.EncodePlan }

func (p encodePlanTime) Encode(value any, buf []byte) ([]byte, error) {
	return p.next.Encode(timeValuer(value.(time.Time)), buf)
}

// timeValuer is a time.Time that encodes the sentinels as the infinities
// and refuses what PostgreSQL cannot store, which pgx would send wrapped
// around or let the server refuse without naming the value.
type timeValuer time.Time

func (v timeValuer) TimestamptzValue() (pgtype.Timestamptz, error) {
	t := time.Time(v)
	switch {
	case runtime.TimeIsInf(t, 1):
		return pgtype.Timestamptz{InfinityModifier: pgtype.Infinity, Valid: true}, nil
	case runtime.TimeIsInf(t, -1):
		return pgtype.Timestamptz{InfinityModifier: pgtype.NegativeInfinity, Valid: true}, nil
	case !timestampInRange(t):
		return pgtype.Timestamptz{}, errInvalid("timestamptz", unquote(runtime.AppendTime(nil, t)),
			"out of range (-4713-11-24T00:00:00Z to +294276-12-31T23:59:59.999999Z)")
	}
	return pgtype.Timestamptz{Time: t, Valid: true}, nil
}

func (v timeValuer) TimestampValue() (pgtype.Timestamp, error) {
	t := time.Time(v)
	switch {
	case runtime.TimeIsInf(t, 1):
		return pgtype.Timestamp{InfinityModifier: pgtype.Infinity, Valid: true}, nil
	case runtime.TimeIsInf(t, -1):
		return pgtype.Timestamp{InfinityModifier: pgtype.NegativeInfinity, Valid: true}, nil
	}
	// timestamp is the wall clock, which pgx sends whatever the location.
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	if !timestampInRange(wall) {
		return pgtype.Timestamp{}, errInvalid("timestamp", unquote(runtime.AppendTimestamp(nil, t)),
			"out of range (-4713-11-24T00:00:00 to +294276-12-31T23:59:59.999999)")
	}
	return pgtype.Timestamp{Time: t, Valid: true}, nil
}

// PostgreSQL's range of timestamp, and of timestamptz in UTC: 4714-11-24
// 00:00:00 BC to 294276-12-31 23:59:59.999999.
var (
	minTimestamp = time.Date(-4713, time.November, 24, 0, 0, 0, 0, time.UTC)
	maxTimestamp = time.Date(294276, time.December, 31, 23, 59, 59, 999_999_000, time.UTC)
)

// timestampInRange reports whether t, truncated to the microsecond as pgx
// sends it, is within PostgreSQL's range.
func timestampInRange(t time.Time) bool {
	return !t.Before(minTimestamp) && !t.After(maxTimestamp.Add(time.Microsecond-1))
}

// unquote returns the JSON string b, written by the runtime, without its
// quotes.
func unquote(b []byte) string { return string(b[1 : len(b)-1]) }
