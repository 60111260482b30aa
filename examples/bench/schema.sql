-- The table the performance comparison serves twice: through the API
-- crudgen generates (api/) and through a hand-written chi + pgx server
-- (handwritten/), both over the same database.

CREATE TYPE item_status AS ENUM ('active', 'discontinued');

CREATE TABLE items (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku         varchar(32) NOT NULL UNIQUE,
    name        text NOT NULL,
    description text,
    price       numeric(10,2) NOT NULL CHECK (price >= 0),
    quantity    integer NOT NULL DEFAULT 0,
    status      item_status NOT NULL DEFAULT 'active',
    tags        text[] NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz
);
CREATE INDEX items_status_price ON items (status, price);
