// Package runtime is the support package imported by the code crudgen
// generates: problems (RFC 9457) and the mapping of database errors to
// HTTP statuses, strict JSON decoding with located errors, JSON encoding,
// Optional for tri-state fields, and the decimal, date, time, interval and
// UUID types the generated structs use.
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
