-- The items table of ../schema.sql in SQLite's terms, served twice for the
-- SQLite comparison: through the API crudgen generates (api/) and through
-- a hand-written chi + database/sql server (handwritten/), on the same
-- driver (modernc.org/sqlite) and database file. SQLite has no enums or
-- arrays: status is text with a CHECK, tags a JSON array.

CREATE TABLE items (
    id          INTEGER PRIMARY KEY,
    sku         VARCHAR(32) NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT,
    price       DECIMAL(10, 2) NOT NULL CHECK (price >= 0),
    quantity    INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'discontinued')),
    tags        JSON NOT NULL DEFAULT '[]',
    created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  DATETIME
);
CREATE INDEX items_status_price ON items (status, price);
