package runtime

import (
	"encoding/json"
	"net/netip"
	"strconv"
	"time"
)

// The readers and appenders below are the Decoder methods and Append
// functions in the two shapes generated code composes:
//
//	func(*Decoder, *T) bool   // Nullable(d, &req.Tags, ReadArray(ReadString))
//	func([]byte, T) []byte    // AppendArray(b, row.Tags, 1, AppendString)
//
// Package-level functions, unlike method values bound to a Decoder, need no
// closure, and one shape serves every column type, those of decimal.go,
// date.go and the others included.

// ReadString reads a string; see Decoder.String.
func ReadString(d *Decoder, dst *string) bool { return d.String(dst) }

// ReadEnum reads a string into an enum type; the caller checks the value.
func ReadEnum[T ~string](d *Decoder, dst *T) bool { return StringOf(d, dst) }

// ReadBool reads true or false.
func ReadBool(d *Decoder, dst *bool) bool { return d.Bool(dst) }

// ReadInt16 reads a smallint; see Decoder.Int16.
func ReadInt16(d *Decoder, dst *int16) bool { return d.Int16(dst) }

// ReadInt32 reads an integer; see Decoder.Int16.
func ReadInt32(d *Decoder, dst *int32) bool { return d.Int32(dst) }

// ReadInt64 reads a bigint; see Decoder.Int16.
func ReadInt64(d *Decoder, dst *int64) bool { return d.Int64(dst) }

// ReadFloat32 reads a real; see Decoder.Float32.
func ReadFloat32(d *Decoder, dst *float32) bool { return d.Float32(dst) }

// ReadFloat64 reads a double precision; see Decoder.Float32.
func ReadFloat64(d *Decoder, dst *float64) bool { return d.Float64(dst) }

// ReadTime reads a timestamptz; see Decoder.Time.
func ReadTime(d *Decoder, dst *time.Time) bool { return d.Time(dst) }

// ReadTimestamp reads a timestamp; see Decoder.Timestamp.
func ReadTimestamp(d *Decoder, dst *time.Time) bool { return d.Timestamp(dst) }

// ReadBytes reads a base64 bytea; see Decoder.Bytes.
func ReadBytes(d *Decoder, dst *[]byte) bool { return d.Bytes(dst) }

// ReadJSONText reads a json value; see Decoder.JSONText.
func ReadJSONText(d *Decoder, dst *json.RawMessage) bool { return d.JSONText(dst) }

// ReadRawJSON reads a jsonb value; see Decoder.RawJSON.
func ReadRawJSON(d *Decoder, dst *json.RawMessage) bool { return d.RawJSON(dst) }

// ReadAddr reads an inet; see Decoder.Addr.
func ReadAddr(d *Decoder, dst *netip.Addr) bool { return d.Addr(dst) }

// ReadPrefix reads a cidr; see Decoder.Prefix.
func ReadPrefix(d *Decoder, dst *netip.Prefix) bool { return d.Prefix(dst) }

// AppendInt16 appends v in decimal.
// ReadDecimal reads a numeric value from a string or a number.
func ReadDecimal(d *Decoder, dst *Decimal) bool { return DecimalOf(d, dst) }

// ReadDate reads a date (YYYY-MM-DD).
func ReadDate(d *Decoder, dst *Date) bool { return DateOf(d, dst) }

// ReadTimeOfDay reads a time of day (HH:MM:SS[.ffffff]).
func ReadTimeOfDay(d *Decoder, dst *TimeOfDay) bool { return TimeOfDayOf(d, dst) }

// ReadInterval reads an ISO 8601 duration.
func ReadInterval(d *Decoder, dst *Interval) bool { return IntervalOf(d, dst) }

// ReadUUID reads a UUID.
func ReadUUID(d *Decoder, dst *UUID) bool { return UUIDOf(d, dst) }

// AppendDecimal appends a numeric value as a JSON string.
func AppendDecimal(b []byte, v Decimal) []byte { return v.AppendJSON(b) }

// AppendDate appends a date as a JSON string.
func AppendDate(b []byte, v Date) []byte { return v.AppendJSON(b) }

// AppendTimeOfDay appends a time of day as a JSON string.
func AppendTimeOfDay(b []byte, v TimeOfDay) []byte { return v.AppendJSON(b) }

// AppendInterval appends an interval as an ISO 8601 duration.
func AppendInterval(b []byte, v Interval) []byte { return v.AppendJSON(b) }

// AppendUUID appends a UUID as a JSON string.
func AppendUUID(b []byte, v UUID) []byte { return v.AppendJSON(b) }

func AppendInt16(b []byte, v int16) []byte { return AppendInt(b, int64(v)) }

// AppendInt32 appends v in decimal.
func AppendInt32(b []byte, v int32) []byte { return AppendInt(b, int64(v)) }

// AppendInt64 appends v in decimal.
func AppendInt64(b []byte, v int64) []byte { return AppendInt(b, v) }

// AppendFloat32 appends v; see AppendFloat.
func AppendFloat32(b []byte, v float32) []byte { return AppendFloat(b, float64(v), 32) }

// AppendFloat64 appends v; see AppendFloat.
func AppendFloat64(b []byte, v float64) []byte { return AppendFloat(b, v, 64) }

// AppendEnum appends an enum value as a string.
func AppendEnum[T ~string](b []byte, v T) []byte { return AppendString(b, string(v)) }

// AppendNullSlice appends v with each, or null when v is nil: for nullable
// bytea, json and jsonb columns.
func AppendNullSlice[S ~[]E, E any](b []byte, v S, each func([]byte, S) []byte) []byte {
	if v == nil {
		return append(b, "null"...)
	}
	return each(b, v)
}

// Page is the body of a list response, {"items":[...]}, each item written
// by Append (a method expression such as (*Post).AppendJSON, which avoids
// copying rows into an interface), then the cursor of the next page and
// the totals when there are.
type Page[T any] struct {
	Items  []T
	Append func(*T, []byte) []byte
	// Next is the cursor of the next page; empty on the last.
	Next string
	// Total is set when count=exact asked for it, TotalEstimate when
	// count=estimated did.
	Total, TotalEstimate *int64

	embeds []embedded // per item, the relations include= asked for
}

// AppendJSON appends the page; no items is "items":[].
func (p Page[T]) AppendJSON(b []byte) []byte {
	b = append(b, `{"items":[`...)
	for i := range p.Items {
		if i > 0 {
			b = append(b, ',')
		}
		if p.embeds != nil {
			b = p.embeds[i].appendTo(b, func(b []byte) []byte { return p.Append(&p.Items[i], b) })
			continue
		}
		b = p.Append(&p.Items[i], b)
	}
	b = append(b, ']')
	if p.Next != "" {
		b = append(b, `,"next_cursor":`...)
		b = AppendString(b, p.Next)
	}
	if p.Total != nil {
		b = append(b, `,"total":`...)
		b = strconv.AppendInt(b, *p.Total, 10)
	}
	if p.TotalEstimate != nil {
		b = append(b, `,"total_estimate":`...)
		b = strconv.AppendInt(b, *p.TotalEstimate, 10)
	}
	return append(b, '}')
}

// ReadJSONValue reads a value of a type the configuration chose, with
// its encoding/json decoding.
func ReadJSONValue[T any](d *Decoder, dst *T) bool {
	var raw json.RawMessage
	if !d.RawJSON(&raw) {
		return false
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		d.Fail(CodeType, "is not a valid value: "+err.Error())
		return false
	}
	return true
}

// AppendJSONValue appends a value of a type the configuration chose, with
// its encoding/json encoding; one that does not encode is null.
func AppendJSONValue[T any](b []byte, v T) []byte {
	raw, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, raw...)
}
