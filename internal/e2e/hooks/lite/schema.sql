-- The schema of ../schema.sql in SQLite: the hooks' behaviour test runs
-- on both engines.

CREATE TABLE projects (
    id        INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    name      TEXT NOT NULL
);

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    tenant  TEXT NOT NULL,
    event   TEXT NOT NULL,
    project INTEGER
);
