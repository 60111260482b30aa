// Package valuecases holds the inputs the runtime's value types are tested
// with, which the core's tests and the engine adapters' share.
package valuecases

import "strings"

const (
	// 40 integer digits and 30 fractional digits.
	DecimalBig = "1234567890123456789012345678901234567890.123456789012345678901234567890"
	DecimalMax = "1e131071" // 131072 digits, PostgreSQL's largest power of ten
	DecimalMin = "1e-16383" // PostgreSQL's smallest positive numeric
)

// Decimals are inputs of runtime.ParseDecimal that PostgreSQL accepts too, with
// the text PostgreSQL prints for them.
var Decimals = []struct{ In, Want string }{
	{"0", "0"},
	{"0.00", "0.00"},
	{"-0", "0"},
	{"-0.00", "0.00"},
	{"+0.0", "0.0"},
	{"000", "0"},
	{"1", "1"},
	{"-1", "-1"},
	{"+1", "1"},
	{"1.20", "1.20"},
	{"-12.5", "-12.5"},
	{"0012.3400", "12.3400"},
	{".5", "0.5"},
	{"-.5", "-0.5"},
	{"5.", "5"},
	{"1000", "1000"},
	{"1000.000", "1000.000"},
	{"10000.0000", "10000.0000"},
	{"0.0001", "0.0001"},
	{"0.00010", "0.00010"},
	{"100.001", "100.001"},
	{"1e3", "1000"},
	{"1E+3", "1000"},
	{"1.5e3", "1500"},
	{"1.50e1", "15.0"},
	{"1e-3", "0.001"},
	{"1.0e-3", "0.0010"},
	{"0e5", "0"},
	{"0.00e1", "0.0"},
	{"0.000e-2", "0.00000"},
	{"-1.5e-1", "-0.15"},
	{"123.456e-10", "0.0000000123456"},
	{"9223372036854775807", "9223372036854775807"},
	{"-9223372036854775808", "-9223372036854775808"},
	{"18446744073709551616", "18446744073709551616"},
	{DecimalBig, DecimalBig},
	{"-" + DecimalBig, "-" + DecimalBig},
	{"0.000000000000000000000000000001", "0.000000000000000000000000000001"},
	{"1e-30", "0.000000000000000000000000000001"},
	{DecimalMax, "1" + strings.Repeat("0", 131071)},
	{"9.99e131071", "999" + strings.Repeat("0", 131069)},
	{DecimalMin, "0." + strings.Repeat("0", 16382) + "1"},
	{"0e-16383", "0." + strings.Repeat("0", 16383)},
	{"NaN", "NaN"},
	{"nan", "NaN"},
	{"Infinity", "Infinity"},
	{"+infinity", "Infinity"},
	{"inf", "Infinity"},
	{"-Infinity", "-Infinity"},
	{"-INF", "-Infinity"},
}

// The microseconds of the units of a time of day.
const (
	microsPerSecond = int64(1_000_000)
	microsPerMinute = 60 * microsPerSecond
	microsPerHour   = 60 * microsPerMinute
	microsPerDay    = 24 * microsPerHour
)

// TimesOfDay are inputs of runtime.ParseTimeOfDay that PostgreSQL reads
// the same, with the microseconds since midnight and the text printed.
var TimesOfDay = []struct {
	In   string
	Want int64
	Text string
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
