#!/usr/bin/env bash
# SQL injection scan of the blog example with sqlmap: builds the blog
# server, serves it on 127.0.0.1 over a fresh database, and runs sqlmap in
# batch mode against every kind of parameter the API reads (a path key,
# list filters, sort, include, cursor, JSON bodies). Exits 1 if sqlmap
# reports any injectable parameter, or does not finish a scan in time.
#
# Bounded and non-destructive: risk 2 at most (no OR-based payloads that
# could rewrite every row), small time delays, a timeout per scan, and the
# database is a throwaway one dropped at the end.
#
# Environment: PGHOST, PGPORT, PGUSER reach PostgreSQL as for psql
# (default 127.0.0.1:5432 as postgres); SQLMAP_DATABASE names the database
# (default crudgen_sqlmap); SQLMAP_ADDR is where the server listens
# (default 127.0.0.1:18080); SQLMAP_LEVEL and SQLMAP_RISK (default 3 and
# 2); SQLMAP_SCAN_TIMEOUT bounds each scan in seconds (default 150);
# SQLMAP_LOGS, when set, is a directory that keeps sqlmap's output;
# SQLMAP_ONLY, a regular expression, runs only the scans it matches.
set -euo pipefail

cd "$(dirname "$0")/.."
GO=${GO:-go}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
DB=${SQLMAP_DATABASE:-crudgen_sqlmap}
ADDR=${SQLMAP_ADDR:-127.0.0.1:18080}
LEVEL=${SQLMAP_LEVEL:-3}
RISK=${SQLMAP_RISK:-2}
SCAN_TIMEOUT=${SQLMAP_SCAN_TIMEOUT:-150}
BASE="http://$ADDR"

if ! command -v sqlmap >/dev/null; then
	echo "sqlmap is not installed (Debian: apt-get install sqlmap; or https://sqlmap.org)" >&2
	exit 2
fi
if [ "$RISK" -gt 2 ]; then
	echo "SQLMAP_RISK=$RISK: risk 3 sends OR-based payloads that may change every row; use 1 or 2" >&2
	exit 2
fi

work=$(mktemp -d)
server=""
psql_() { PGOPTIONS=--client-min-messages=warning psql -X -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -v ON_ERROR_STOP=1 "$@"; }
cleanup() {
	if [ -n "$server" ]; then
		kill "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
	psql_ -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
	rm -rf "$work"
}
trap cleanup EXIT

echo "== building the blog server"
$GO build -o "$work/blog" ./examples/blog/cmd/blog

echo "== loading examples/blog/schema.sql into a fresh database $DB"
psql_ -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
psql_ -d "$DB" -f examples/blog/schema.sql
psql_ -d "$DB" <<'SQL'
INSERT INTO authors (email, name, bio) VALUES ('ada@example.com', 'Ada', 'Hi'), ('bob@example.com', 'Bob', NULL);
INSERT INTO posts (author_id, title, slug, status, rating, keywords, metadata, published_at) VALUES
  (1, 'Hello', 'hello', 'published', 4.5, '{go,sql}', '{"a": "b"}', '2026-01-01T00:00:00Z'),
  (1, 'Second', 'second', 'draft', NULL, '{}', '{}', NULL),
  (2, 'Third', 'third', 'published', 3, '{go}', '{}', '2026-02-01T00:00:00Z');
INSERT INTO comments (post_id, author_name, body) VALUES (1, 'Cy', 'First'), (1, 'Di', 'Second');
INSERT INTO tags (name) VALUES ('go'), ('sql');
INSERT INTO post_tags (post_id, tag) VALUES (1, 'go'), (1, 'sql'), (3, 'go');
INSERT INTO page_views (post_id, referrer) VALUES (1, 'https://example.com/');
SQL

echo "== serving it at $BASE"
DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB?sslmode=disable" ADDR="$ADDR" LOG_LEVEL=info \
	"$work/blog" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do
	if curl -fsS -o /dev/null "$BASE/readyz" 2>/dev/null; then
		break
	fi
	if ! kill -0 "$server" 2>/dev/null; then
		cat "$work/server.log" >&2
		echo "the server exited" >&2
		exit 1
	fi
	sleep 0.5
done
curl -fsS -o /dev/null "$BASE/readyz"

# Cursors are base64url of JSON, {"sort": "title", "after": ["Hello", 1]}:
# sqlmap's payloads go into the value, then --eval encodes the cursor, once
# as a JSON string (the title) and once as raw JSON (the id).
b64url='import base64; b64 = lambda s: base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")'
cursor_title="$b64url; import json; cursor = b64('{\"sort\":\"title\",\"after\":[' + json.dumps(cursor) + ',1]}')"
cursor_id="$b64url; cursor = b64('{\"sort\":\"\",\"after\":[' + cursor + ']}')"

common=(--batch --level "$LEVEL" --risk "$RISK" --technique BEUSTQ --dbms PostgreSQL --time-sec 2
	--threads 4 --timeout 5 --retries 1 --flush-session --disable-coloring --skip-waf
	--output-dir "$work/sqlmap"
	# Inject inside JSON values too (a jsonb filter's).
	--answers "inject inside=Y")

failed=0
scan() {
	local name=$1
	shift
	if [ -n "${SQLMAP_ONLY:-}" ] && ! [[ $name =~ $SQLMAP_ONLY ]]; then
		return
	fi
	local log="$work/$name.log"
	local start=$SECONDS
	local before
	before=$(wc -l <"$work/server.log")
	echo "== sqlmap: $name"
	local status=0
	timeout "$SCAN_TIMEOUT" sqlmap "${common[@]}" "$@" >"$log" 2>&1 || status=$?
	local took="$((SECONDS - start))s, $(($(wc -l <"$work/server.log") - before)) requests"
	if [ -n "${SQLMAP_LOGS:-}" ]; then
		mkdir -p "$SQLMAP_LOGS" && cp "$log" "$SQLMAP_LOGS/"
	fi
	if grep -q "identified the following injection point" "$log"; then
		echo "   INJECTABLE ($took):"
		sed -n '/identified the following injection point/,/^---$/p' "$log" | sed 's/^/   /'
		failed=1
	elif [ "$status" = 124 ]; then
		echo "   not finished within ${SCAN_TIMEOUT}s; last lines:"
		tail -n 5 "$log" | sed 's/^/   /'
		failed=1
	elif grep -q "do not appear to be injectable" "$log"; then
		grep -E "does not seem to be injectable|do not appear to be injectable" "$log" |
			sed -e 's/^\[[0-9:]*\] //' -e 's/ Try to increase.*//' -e 's/^/   /'
		echo "   ($took)"
	else
		echo "   sqlmap ended without a verdict (exit $status); last lines:"
		tail -n 10 "$log" | sed 's/^/   /'
		failed=1
	fi
}

json=(--headers "Content-Type: application/json")
scan path-key-bigint -u "$BASE/posts/1*"
scan path-key-text -u "$BASE/tags/go*"
scan filters -u "$BASE/posts?title=Hello&slug[in]=hello&author_id=1&status=published&rating[gte]=1&title[like]=H%25&keywords[contains]=go&metadata[contains]=%7B%22a%22%3A%22b%22%7D"
scan sort-include-limit -u "$BASE/posts?sort=-title&include=author,comments&limit=5&count=exact"
scan cursor-value -u "$BASE/posts?sort=title&cursor=Hello" -p cursor --eval "$cursor_title"
scan cursor-key -u "$BASE/posts?cursor=1" -p cursor --eval "$cursor_id"
scan nested-list -u "$BASE/authors/1/posts?title[ilike]=h%25&sort=title"
scan json-patch -u "$BASE/posts/2" --method PATCH "${json[@]}" \
	--data '{"title":"Second","slug":"second","body":"text","rating":"4.5","keywords":["go"],"metadata":{"a":"b"}}'
scan json-post -u "$BASE/comments" "${json[@]}" --data '{"post_id":1,"author_name":"Eve","body":"Hi"}'

if [ "$(psql_ -d "$DB" -Atc "SELECT count(*) FROM posts")" != 3 ]; then
	echo "posts changed: $(psql_ -d "$DB" -Atc "SELECT count(*) FROM posts") rows" >&2
	failed=1
fi
if [ "$failed" != 0 ]; then
	echo "== sqlmap: FAILED"
	exit 1
fi
echo "== sqlmap: no injectable parameter found"
