package postgres

import (
	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5/pgtype"
)

// pgUUID is a runtime.UUID as pgx's interfaces read and write it.
type pgUUID runtime.UUID

// ScanUUID implements pgtype.UUIDScanner, with which pgx scans a uuid in
// the binary format.
func (u *pgUUID) ScanUUID(v pgtype.UUID) error {
	if !v.Valid {
		return errScanNull("UUID")
	}
	*u = v.Bytes
	return nil
}

// UUIDValue implements pgtype.UUIDValuer, with which pgx encodes a uuid
// parameter.
func (u pgUUID) UUIDValue() (pgtype.UUID, error) {
	return pgtype.UUID{Bytes: u, Valid: true}, nil
}

// ScanText implements pgtype.TextScanner, which pgx prefers for every
// column in the text format (the simple protocol).
func (u *pgUUID) ScanText(v pgtype.Text) error {
	if !v.Valid {
		return errScanNull("UUID")
	}
	id, err := runtime.ParseUUID(v.String)
	if err != nil {
		return err
	}
	*u = pgUUID(id)
	return nil
}

// TextValue implements pgtype.TextValuer, with which pgx writes parameters
// in the text format (the simple protocol).
func (u pgUUID) TextValue() (pgtype.Text, error) {
	return pgtype.Text{String: runtime.UUID(u).String(), Valid: true}, nil
}
