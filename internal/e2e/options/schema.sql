-- Every configuration option of crudgen.yaml at work: see crudgen.yaml and
-- options_test.go.

CREATE TABLE people (
    person_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    full_name     text NOT NULL,
    email_address text NOT NULL UNIQUE,
    password_hash text NOT NULL DEFAULT '',
    api_token     text,
    internal_note text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    login_count   integer NOT NULL DEFAULT 0,
    favorite      text,
    score         numeric(6,2)
);

CREATE TABLE posts (
    post_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES people ON DELETE CASCADE,
    title     text NOT NULL
);

-- Served read-only by the configuration.
CREATE TABLE countries (
    code char(2) PRIMARY KEY,
    name text NOT NULL
);

-- Left out by the configuration.
CREATE TABLE schema_migrations (version bigint PRIMARY KEY);
CREATE SCHEMA audit;
CREATE TABLE audit.events (id bigint PRIMARY KEY, what text);
