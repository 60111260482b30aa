-- A SQLite schema of the types and constraints people write, served by
-- the SQLite engine; ../postgres/schema.sql is its PostgreSQL twin, and
-- ../engines_test.go runs the same HTTP behaviour on both.
CREATE TABLE authors (
    id         INTEGER PRIMARY KEY,
    email      VARCHAR(100) NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    bio        TEXT,
    age        INTEGER CONSTRAINT age_positive CHECK (age >= 0),
    born       DATE,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE posts (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    title     TEXT NOT NULL CHECK (length(title) <= 200),
    status    TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    rating    REAL CHECK (rating BETWEEN 0 AND 5),
    price     DECIMAL(10, 2),
    published BOOLEAN NOT NULL DEFAULT 0,
    meta      JSON,
    uid       UUID UNIQUE,
    cover     BLOB
);

CREATE TABLE tags (
    post_id INTEGER NOT NULL REFERENCES posts (id),
    name    VARCHAR(30) NOT NULL,
    PRIMARY KEY (post_id, name)
) WITHOUT ROWID;

CREATE INDEX posts_author ON posts (author_id);

CREATE VIEW published_posts AS
    SELECT id, author_id, title FROM posts WHERE status = 'published';
