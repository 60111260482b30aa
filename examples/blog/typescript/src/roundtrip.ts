// A round trip through the blog API with openapi-fetch, typed by the types
// openapi-typescript makes of ../api/openapi.json (src/openapi.ts): create
// one row and many, get, list with filters, a sort and pages, patch, delete,
// then get a 404. tsc checks every request and response against those
// types; at run time each step checks what the API answered and the script
// exits non-zero on the first mismatch. API_URL is the API's base URL.
//
//   npm ci && npm run generate && npm run build && API_URL=http://localhost:8080 npm run roundtrip

import assert from "node:assert/strict";
import createClient from "openapi-fetch";
import type { components, paths } from "./openapi.js";

type Post = components["schemas"]["Post"];
type CreatePostRequest = components["schemas"]["CreatePostRequest"];
type Problem = components["schemas"]["Problem"];

const baseUrl = process.env.API_URL;
if (!baseUrl) {
  console.error("API_URL is not set");
  process.exit(2);
}
const client = createClient<paths>({ baseUrl });

// step prints what the round trip checks, as it goes.
function step(what: string): void {
  console.log(`- ${what}`);
}

// one is the single row of a one-or-many create response.
function one<T>(rows: T | T[] | undefined): T {
  assert.ok(rows !== undefined && !Array.isArray(rows), `expected one row, got ${JSON.stringify(rows)}`);
  return rows;
}

// many is the array of a one-or-many create response.
function many<T>(rows: T | T[] | undefined): T[] {
  assert.ok(Array.isArray(rows), `expected an array of rows, got ${JSON.stringify(rows)}`);
  return rows;
}

// problem is the typed RFC 9457 problem of a failed request.
function problem(error: Problem | undefined, status: number): Problem {
  assert.ok(error !== undefined, `expected a problem with status ${status}`);
  assert.equal(error.status, status);
  return error;
}

step("POST /authors with one row: 201, Location, the row");
{
  const { data, error, response } = await client.POST("/authors", {
    body: { email: "ada@example.com", name: "Ada", born_on: "1815-12-10" },
  });
  assert.equal(response.status, 201, JSON.stringify(error));
  assert.equal(response.headers.get("Location"), "/authors/1");
  const ada = one(data);
  assert.equal(ada.id, 1);
  assert.equal(ada.email, "ada@example.com");
  assert.equal(ada.born_on, "1815-12-10");
  assert.equal(ada.bio, "", "the column default");
  assert.match(ada.public_id, /^[0-9a-f-]{36}$/);
}

step("POST /posts with an array: 201, the rows in order");
const publishedAt = "2024-05-01T12:00:00Z";
function post(slug: string, title: string, rating: string, ...keywords: string[]): CreatePostRequest {
  return {
    author_id: 1,
    slug,
    title,
    status: "published",
    rating,
    keywords,
    published_at: publishedAt,
    metadata: { slug },
  };
}
const created: Post[] = await (async () => {
  const { data, error, response } = await client.POST("/posts", {
    body: [
      post("go-generics", "Generics in Go", "4.50", "go", "types"),
      post("go-iterators", "Iterators in Go", "3.75", "go"),
      post("go-errors", "Errors in Go", "4.00", "go"),
      post("go-modules", "Modules in Go", "2.50", "go"),
      post("sql-joins", "Joins in SQL", "4.80", "sql"),
      { author_id: 1, slug: "go-draft", title: "Drafting in Go" },
    ],
  });
  assert.equal(response.status, 201, JSON.stringify(error));
  return many(data);
})();
assert.deepEqual(
  created.map((p) => p.slug),
  ["go-generics", "go-iterators", "go-errors", "go-modules", "sql-joins", "go-draft"],
);
const generics = created[0]!;
assert.equal(generics.status, "published");
assert.equal(generics.rating, "4.50");
assert.deepEqual(generics.keywords, ["go", "types"]);
assert.deepEqual(generics.metadata, { slug: "go-generics" });
assert.equal(new Date(generics.published_at ?? "").toISOString(), new Date(publishedAt).toISOString());
assert.equal(generics.title_length, "Generics in Go".length, "a generated column, read only");
const draft = created[5]!;
assert.equal(draft.status, "draft", "the column default");
assert.equal(draft.rating, null);

step("GET /posts/{id}: the row created");
{
  const { data, error, response } = await client.GET("/posts/{id}", { params: { path: { id: generics.id } } });
  assert.equal(response.status, 200, JSON.stringify(error));
  assert.deepEqual(data, generics);
}

step("GET /posts with status, title[like], rating[gte], keywords[contains], sort, limit, then the cursor");
{
  const query: NonNullable<paths["/posts"]["get"]["parameters"]["query"]> = {
    status: "published",
    "title[like]": "% in Go",
    "rating[gte]": "3.00",
    "keywords[contains]": ["go"],
    sort: "-rating",
    limit: 2,
    count: "exact",
  };
  const slugs: string[] = [];
  let pages = 0;
  for (;;) {
    pages++;
    assert.ok(pages <= 3, "the pages do not end");
    const { data, error, response } = await client.GET("/posts", { params: { query } });
    assert.equal(response.status, 200, JSON.stringify(error));
    assert.ok(data !== undefined);
    assert.equal(data.total, 3);
    slugs.push(...data.items.map((p) => p.slug));
    if (data.next_cursor === undefined) {
      break;
    }
    query.cursor = data.next_cursor;
  }
  assert.equal(pages, 2, "three rows in pages of two");
  assert.deepEqual(slugs, ["go-generics", "go-errors", "go-iterators"]);
}

step("GET /posts with include=author: a comma-separated array (explode: false), serialized so for this request");
{
  const { data, error, response } = await client.GET("/posts", {
    params: { query: { slug: "go-errors", include: ["author"] } },
    // openapi-fetch repeats array parameters by default (the filters'
    // [in], [contains] and [overlaps] want that); include is one value.
    querySerializer: { array: { style: "form", explode: false } },
  });
  assert.equal(response.status, 200, JSON.stringify(error));
  assert.equal(data?.items.length, 1);
  // The row schema does not describe embedded rows: read as untyped JSON.
  const row: Record<string, unknown> = { ...data?.items[0] };
  assert.deepEqual((row["author"] as Record<string, unknown> | null)?.["email"], "ada@example.com");
}

step("PATCH /posts/{id}: a new title, and null clears the rating");
{
  const { data, error, response } = await client.PATCH("/posts/{id}", {
    params: { path: { id: generics.id } },
    body: { title: "Generics in Go 1.18", rating: null },
  });
  assert.equal(response.status, 200, JSON.stringify(error));
  assert.deepEqual(data, {
    ...generics,
    title: "Generics in Go 1.18",
    title_length: "Generics in Go 1.18".length,
    rating: null,
  });
}

step("POST /posts with a slug the pattern refuses: 422, the field located");
{
  const { data, error, response } = await client.POST("/posts", {
    body: { author_id: 1, slug: "Not A Slug", title: "Bad" },
  });
  assert.equal(data, undefined);
  assert.equal(response.status, 422);
  const errors = problem(error, 422).errors ?? [];
  assert.deepEqual(
    errors.map((e) => [e.code, e.loc]),
    [["pattern", ["body", "slug"]]],
  );
}

step("DELETE /posts/{id}: 204");
{
  const { error, response } = await client.DELETE("/posts/{id}", { params: { path: { id: generics.id } } });
  assert.equal(response.status, 204, JSON.stringify(error));
}

step("GET /posts/{id} after the delete: a 404 problem");
{
  const { data, error, response } = await client.GET("/posts/{id}", { params: { path: { id: generics.id } } });
  assert.equal(data, undefined);
  assert.equal(response.status, 404);
  assert.equal(response.headers.get("Content-Type"), "application/problem+json");
  problem(error, 404);
}

console.log("round trip: ok");
