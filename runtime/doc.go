// Package runtime is the support package imported by the code crudgen
// generates, for every database engine: problems (RFC 9457) and the
// mapping of database errors to HTTP statuses, strict JSON decoding with
// located errors, validation, JSON encoding, lists with filters and
// cursors, Optional for tri-state fields, and the decimal, date, time,
// interval and UUID types the generated structs use. It imports no
// database driver: each engine's adapter package (runtime/postgres,
// runtime/sqlite) runs the stores' statements on its driver, converts the
// value types, and registers how its driver's errors read
// (RegisterDriverErrors) and how runtime/server opens its databases
// (RegisterEngine).
//
// Generated code guards against a runtime older than the generator with
//
//	const _ = runtime.SupportPackageIsVersion1
//
// which fails to compile when this package lacks the constant.
package runtime

// SupportPackageIsVersion1 is referenced by generated code; a generator
// needing a newer runtime references SupportPackageIsVersion2, and so on.
const SupportPackageIsVersion1 = true
