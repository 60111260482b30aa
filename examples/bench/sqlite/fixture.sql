-- The rows of the SQLite load test, as ../fixture.sql makes them: ?1
-- items, a quarter without a description, a fifth discontinued, prices
-- 0.00 to 99.99.
WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ?1)
INSERT INTO items (sku, name, description, price, quantity, status, tags)
SELECT 'SKU-' || n, 'item ' || n, CASE WHEN n % 4 = 0 THEN NULL ELSE 'the description of item ' || n END,
       (n % 10000) / 100.0, n % 500,
       CASE WHEN n % 5 = 0 THEN 'discontinued' ELSE 'active' END,
       json_array('tag' || (n % 7), 'tag' || (n % 11))
FROM g;
