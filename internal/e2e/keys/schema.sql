-- Single and composite primary keys, the unique fallback, tables without
-- a key, views and materialized views, another schema.
CREATE TABLE single (id bigint PRIMARY KEY, v text);
CREATE TABLE composite (a int, b text, c date, v text, PRIMARY KEY (a, b, c));
CREATE TABLE by_unique (code varchar(10) NOT NULL, v text, CONSTRAINT by_unique_code UNIQUE (code));
CREATE TABLE by_unique_index (code uuid NOT NULL, v text);
CREATE UNIQUE INDEX by_unique_index_code ON by_unique_index (code);
CREATE TABLE nullable_unique (code text UNIQUE, v text);
CREATE TABLE keyless (v text, n int);
CREATE TABLE json_key (doc jsonb PRIMARY KEY);
CREATE VIEW single_view AS SELECT id, v FROM single;
CREATE MATERIALIZED VIEW single_matview AS SELECT id, upper(v) AS v FROM single;
CREATE SCHEMA sales;
CREATE TABLE sales.orders (id int PRIMARY KEY, single_id bigint REFERENCES public.single);
CREATE TABLE sales.single (id int PRIMARY KEY);
-- Rules that make PostgreSQL refuse RETURNING: no POST on ruled, no PUT or
-- PATCH on frozen.
CREATE TABLE ruled (id int PRIMARY KEY, d date NOT NULL);
CREATE TABLE ruled_2007 (CHECK (d >= '2007-01-01')) INHERITS (ruled);
CREATE RULE ruled_2007 AS ON INSERT TO ruled WHERE new.d >= '2007-01-01'
    DO INSTEAD INSERT INTO ruled_2007 VALUES (new.*);
CREATE TABLE frozen (id int PRIMARY KEY, v text);
CREATE RULE frozen AS ON UPDATE TO frozen DO INSTEAD NOTHING;
