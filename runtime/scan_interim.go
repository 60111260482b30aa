package runtime

import (
	"errors"

	"github.com/jackc/pgx/v5/pgtype"
)

// Interim, until scan.go moves to package postgres (a change of its own):
// there these names are the codecs of postgres.RegisterTypes and its
// reader of numeric's binary format, which scan.go's decoders use. Here
// they only keep scan.go compiling, and match nothing, so ScanRows leaves
// the numeric, uuid and registered timestamptz columns to pgx's plans.
// Delete this file when scan.go leaves the package.

type (
	runtimeCodec struct{ pgtype.Codec }
	decimalCodec struct{ pgtype.Codec }
)

func unwrapTimeCodec(c pgtype.Codec) pgtype.Codec { return c }

func parseNumericBinary([]byte) (Decimal, error) {
	return Decimal{}, errors.New("runtime: numeric's binary format is read by package postgres")
}
