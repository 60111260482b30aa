package postgres

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// uuidCases are UUIDs in forms both the runtime and PostgreSQL read.
var uuidCases = []struct {
	in   string
	want runtime.UUID
}{
	{"00000000-0000-0000-0000-000000000000", runtime.UUID{}},
	{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", runtime.UUID{0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11}},
	{"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", runtime.UUID{0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11}},
	{"ffffffff-FFFF-ffff-FFFF-ffffffffffff", runtime.UUID{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
	{"01234567-89ab-cdef-0123-456789abcdef", runtime.UUID{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}},
}

func TestUUIDPgtype(t *testing.T) {
	var u runtime.UUID
	w := (*pgUUID)(&u)
	require.ErrorContains(t, w.ScanUUID(pgtype.UUID{}), "NULL")
	require.ErrorContains(t, w.ScanText(pgtype.Text{}), "NULL")
	require.NoError(t, w.ScanUUID(pgtype.UUID{Bytes: [16]byte{1, 2}, Valid: true}))
	assert.Equal(t, runtime.UUID{1, 2}, u)
	v, err := pgUUID(u).UUIDValue()
	require.NoError(t, err)
	assert.Equal(t, pgtype.UUID{Bytes: [16]byte{1, 2}, Valid: true}, v)
}

func TestUUIDPostgres(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(13, 14))
	random := make([]runtime.UUID, 200)
	for i := range random {
		for j := range random[i] {
			random[i][j] = byte(r.Uint32())
		}
	}
	tvEachRegisteredConn(t, func(t *testing.T, c tvConn) {
		for _, tc := range uuidCases {
			got, text := tvFromText[runtime.UUID](t, c, "uuid", tc.in)
			assert.Equal(t, strings.ToLower(tc.in), text)
			assert.Equal(t, tc.want, got)
			got, text = tvRoundTrip(t, c, "uuid", tc.want)
			assert.Equal(t, strings.ToLower(tc.in), text)
			assert.Equal(t, tc.want, got)
		}
		var p *runtime.UUID
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT NULL::uuid").Scan(&p))
		assert.Nil(t, p)
		require.ErrorContains(t, tvScanErr[runtime.UUID](c, "SELECT NULL::uuid"), "NULL")

		// gen_random_uuid() through the database.
		var g runtime.UUID
		require.NoError(t, c.conn.QueryRow(ctx, "SELECT gen_random_uuid()").Scan(&g))
		assert.False(t, g.IsZero())

		texts := make([]string, len(random))
		for i, u := range random {
			texts[i] = u.String()
		}
		require.Equal(t, texts, tvPGTexts(t, c, "uuid", texts))
		got, pgTexts := tvArrayRoundTrip(t, c, "uuid", random)
		require.Equal(t, texts, pgTexts)
		require.Equal(t, random, got)
	})
}
