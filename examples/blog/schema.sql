-- The blog example: the schema crudgen turns into examples/blog/api, and
-- what `make demo` serves.

CREATE TYPE post_status AS ENUM ('draft', 'published', 'archived');

-- An email address as the application accepts it.
CREATE DOMAIN email_address AS varchar(255)
    CHECK (VALUE ~ '^[^@[:space:]]+@[^@[:space:]]+$');

CREATE TABLE authors (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id  uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    email      email_address NOT NULL UNIQUE,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    bio        text DEFAULT '',
    born_on    date,
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE authors IS 'People who write posts.';

CREATE TABLE posts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id     bigint NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    title         varchar(200) NOT NULL,
    slug          varchar(200) NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]+$'),
    body          text NOT NULL DEFAULT '',
    status        post_status NOT NULL DEFAULT 'draft',
    rating        numeric(3,2) CHECK (rating >= 0 AND rating <= 5),
    keywords      text[] NOT NULL DEFAULT '{}',
    metadata      jsonb NOT NULL DEFAULT '{}',
    scheduled_for timestamp,
    title_length  integer GENERATED ALWAYS AS (char_length(title)) STORED,
    published_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT drafts_are_unpublished CHECK (status <> 'draft' OR published_at IS NULL)
);
COMMENT ON COLUMN posts.slug IS 'URL-friendly title, unique across posts.';
COMMENT ON COLUMN posts.scheduled_for IS 'Local time the post goes out, in the blog''s time zone.';

CREATE TABLE comments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id     bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    parent_id   bigint REFERENCES comments (id) ON DELETE CASCADE,
    author_name varchar(100) NOT NULL,
    body        text NOT NULL CHECK (length(body) <= 5000),
    created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN comments.parent_id IS 'The comment this one answers, if any.';
CREATE INDEX ON comments (post_id, created_at);

CREATE TABLE tags (
    name varchar(50) PRIMARY KEY
);

CREATE TABLE post_tags (
    post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag     varchar(50) NOT NULL REFERENCES tags (name) ON UPDATE CASCADE,
    PRIMARY KEY (post_id, tag)
);

-- Page views are only ever appended and listed: the table has no key.
CREATE TABLE page_views (
    post_id   bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    viewed_at timestamptz NOT NULL DEFAULT now(),
    referrer  text
);

CREATE VIEW published_posts AS
    SELECT p.id, p.title, p.slug, a.name AS author, p.published_at
    FROM posts p
    JOIN authors a ON a.id = p.author_id
    WHERE p.status = 'published';
