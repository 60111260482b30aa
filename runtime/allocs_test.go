package runtime

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestTypeAllocations: the value types write their JSON and parse their
// text without allocating (postgres.TestNumericBinaryAllocations has
// numeric's binary format).
func TestTypeAllocations(t *testing.T) {
	d, date, tod, iv, id := MustDecimal("-12345.678"), Date{2024, 2, 29}, TimeOfDay{12345678}, Interval{14, 3, -5}, UUID{1, 2, 3}
	buf := make([]byte, 0, 256)
	for name, f := range map[string]func(){
		"Decimal.AppendJSON":   func() { buf = d.AppendJSON(buf[:0]) },
		"Date.AppendJSON":      func() { buf = date.AppendJSON(buf[:0]) },
		"TimeOfDay.AppendJSON": func() { buf = tod.AppendJSON(buf[:0]) },
		"Interval.AppendJSON":  func() { buf = iv.AppendJSON(buf[:0]) },
		"UUID.AppendJSON":      func() { buf = id.AppendJSON(buf[:0]) },
		"ParseDecimal integer": func() { _, _ = ParseDecimal("123456789") },
		"ParseDecimal 0.05":    func() { _, _ = ParseDecimal("0.05") },
		"ParseDate":            func() { _, _ = ParseDate("2024-02-29") },
		"ParseTimeOfDay":       func() { _, _ = ParseTimeOfDay("12:34:56.789") },
		"ParseInterval":        func() { _, _ = ParseInterval("P1Y2M3DT4H5M6.5S") },
		"ParseInterval postgres": func() {
			_, _ = ParseInterval("1 year 2 mons 3 days 04:05:06.5")
		},
		"ParseUUID":           func() { _, _ = ParseUUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11") },
		"Decimal.Coefficient": func() { _, _ = d.Coefficient() },
		"DecimalFromDigits":   func() { _, _ = DecimalFromDigits(true, "12345678", -3, 3) },
	} {
		assert.Zero(t, testing.AllocsPerRun(100, f), name)
	}
	// Digits on both sides of the point are copied once.
	assert.Equal(t, 1.0, testing.AllocsPerRun(100, func() { _, _ = ParseDecimal("19.99") }))
}
