-- The blog example: the schema `make demo` turns into an API.

CREATE TYPE post_status AS ENUM ('draft', 'published', 'archived');

CREATE TABLE authors (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email      varchar(255) NOT NULL UNIQUE CHECK (email ~ '^[^@]+@[^@]+$'),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    bio        text,
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE authors IS 'People who write posts.';

CREATE TABLE posts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id    bigint NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    title        varchar(200) NOT NULL,
    slug         varchar(200) NOT NULL UNIQUE,
    body         text NOT NULL DEFAULT '',
    status       post_status NOT NULL DEFAULT 'draft',
    published_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN posts.slug IS 'URL-friendly title, unique across posts.';

CREATE TABLE comments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id     bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    author_name varchar(100) NOT NULL,
    body        text NOT NULL CHECK (length(body) <= 5000),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ON comments (post_id, created_at);

CREATE TABLE tags (
    name varchar(50) PRIMARY KEY
);

CREATE TABLE post_tags (
    post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag     varchar(50) NOT NULL REFERENCES tags (name) ON UPDATE CASCADE,
    PRIMARY KEY (post_id, tag)
);

CREATE VIEW published_posts AS
    SELECT p.id, p.title, p.slug, a.name AS author, p.published_at
    FROM posts p
    JOIN authors a ON a.id = p.author_id
    WHERE p.status = 'published';
