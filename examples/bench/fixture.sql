-- The rows of the benchmarks and the load test: $1 items, a quarter
-- without a description, a fifth discontinued, prices 0.00 to 99.99.
INSERT INTO items (sku, name, description, price, quantity, status, tags)
SELECT 'SKU-' || g, 'item ' || g, CASE WHEN g % 4 = 0 THEN NULL ELSE 'the description of item ' || g END,
       (g % 10000) / 100.0, g % 500,
       CASE WHEN g % 5 = 0 THEN 'discontinued' ELSE 'active' END::item_status,
       ARRAY['tag' || (g % 7), 'tag' || (g % 11)]
FROM generate_series(1, $1) AS g
