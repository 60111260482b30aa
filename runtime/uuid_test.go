package runtime

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var uuidCases = []struct {
	in   string
	want UUID
}{
	{"00000000-0000-0000-0000-000000000000", UUID{}},
	{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", UUID{0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11}},
	{"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", UUID{0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11}},
	{"ffffffff-FFFF-ffff-FFFF-ffffffffffff", UUID{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
	{"01234567-89ab-cdef-0123-456789abcdef", UUID{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}},
}

func TestParseUUID(t *testing.T) {
	for _, tc := range uuidCases {
		got, err := ParseUUID(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got)
		assert.Equal(t, strings.ToLower(tc.in), got.String())
	}
	for _, in := range []string{
		"", "a0eebc999c0b4ef8bb6d6bb9bd380a11", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111",
		"a0eebc999-c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g",
		"a0eebc99_9c0b_4ef8_bb6d_6bb9bd380a11", " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1",
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1\x00", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380aé",
	} {
		_, err := ParseUUID(in)
		assert.Error(t, err, "%q", in)
	}
}

func TestUUIDMethods(t *testing.T) {
	assert.True(t, UUID{}.IsZero())
	assert.False(t, UUID{1}.IsZero())
	assert.Equal(t, "00000000-0000-0000-0000-000000000000", UUID{}.String())
	u := uuidCases[1].want
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = u.AppendJSON(make([]byte, 0, 64)) }))
}

func TestUUIDTextAndJSON(t *testing.T) {
	for _, tc := range uuidCases {
		text := strings.ToLower(tc.in)
		b, err := tc.want.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, text, string(b))
		b, err = tc.want.AppendText([]byte("x"))
		require.NoError(t, err)
		assert.Equal(t, "x"+text, string(b))
		var got UUID
		require.NoError(t, got.UnmarshalText([]byte(tc.in)))
		assert.Equal(t, tc.want, got)

		b, err = json.Marshal(tc.want)
		require.NoError(t, err)
		assert.Equal(t, `"`+text+`"`, string(b))
		assert.Equal(t, b, tc.want.AppendJSON(nil))
		got = UUID{}
		require.NoError(t, json.Unmarshal([]byte(`"`+tc.in+`"`), &got))
		assert.Equal(t, tc.want, got)
	}
	// As a map key, through MarshalText.
	b, err := json.Marshal(map[UUID]int{uuidCases[1].want: 1})
	require.NoError(t, err)
	assert.Equal(t, `{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11":1}`, string(b))

	u := UUID{7}
	require.NoError(t, u.UnmarshalJSON([]byte("null")))
	assert.Equal(t, UUID{7}, u)
	for _, bad := range []string{`1`, `"x"`, `[1,2]`, `"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11`} {
		require.Error(t, u.UnmarshalJSON([]byte(bad)), bad)
		assert.Equal(t, UUID{7}, u)
	}
	require.Error(t, u.UnmarshalText([]byte("x")))
}

func TestUUIDOf(t *testing.T) {
	for _, tc := range uuidCases {
		var got UUID
		ok, err := tvDecode(`"`+tc.in+`"`, func(d *Decoder) bool { return UUIDOf(d, &got) })
		require.NoError(t, err, tc.in)
		assert.True(t, ok)
		assert.Equal(t, tc.want, got)
	}
	for body, want := range map[string][2]string{
		`"a0eebc999c0b4ef8bb6d6bb9bd380a11"`: {CodeFormat, "must be a UUID"},
		`""`:                                 {CodeFormat, "must be a UUID"},
		`12`:                                 {CodeType, "must be a string"},
		`null`:                               {CodeType, "must be a string"},
	} {
		got := UUID{7}
		ok, err := tvDecode(body, func(d *Decoder) bool { return UUIDOf(d, &got) })
		assert.False(t, ok, body)
		tvFieldError(t, err, want[0], want[1])
		assert.Equal(t, UUID{7}, got)
	}
}

func FuzzParseUUID(f *testing.F) {
	for _, tc := range uuidCases {
		f.Add(tc.in)
	}
	f.Add("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUUID(s)
		if err != nil {
			return
		}
		text := u.String()
		require.Equal(t, strings.ToLower(s), text)
		again, err := ParseUUID(text)
		require.NoError(t, err)
		require.Equal(t, u, again)
	})
}
