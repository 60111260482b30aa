-- Hooks at work: tenants scope projects, the hooks authorize, validate
-- and audit inside each write's transaction. See api/hooks.go.

CREATE TABLE projects (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id text NOT NULL,
    name      text NOT NULL
);

CREATE TABLE audit (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant  text NOT NULL,
    event   text NOT NULL,
    project bigint
);
