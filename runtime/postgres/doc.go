// Package postgres is the PostgreSQL engine of the crudgen runtime: what
// code generated for PostgreSQL needs of pgx besides the engine-neutral
// package runtime. It runs and scans the stores' statements (Collect,
// QueryRow, Fetch, InTx), registers the runtime's value types with pgx's
// type map (RegisterTypes), and reads pgx's errors for runtime.API.Error:
// importing the package registers them (runtime.RegisterDriverErrors).
package postgres
