// Package apitest is what behaviour tests of a generated API share: a
// pool connected the way a server connects, a client whose every exchange
// is checked against the API's OpenAPI document, and assertions on rows
// and RFC 9457 problems.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/runtime/postgres"
)

// Pool connects to dbURL as a generated server does (with the runtime's
// types registered) and closes the pool when the test ends. Options
// adjust the configuration first.
func Pool(t testing.TB, dbURL string, options ...func(*pgxpool.Config)) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(dbURL)
	require.NoError(t, err)
	for _, o := range options {
		o(cfg)
	}
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		postgres.RegisterTypes(c.TypeMap())
		return nil
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return pool
}

// SyncBuffer is a bytes.Buffer safe for a server's goroutines, to collect
// what it logs.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *SyncBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

// document is an OpenAPI document and a router over its operations.
type document struct {
	doc    *openapi3.T
	router routers.Router
	err    error
}

var (
	docsMu sync.Mutex
	docs   = map[string]*document{}
)

// Document returns the OpenAPI document at path, loaded and validated once
// per test binary, and a router over its operations, whose schemas of any
// value accept null (anyValue).
func Document(t *testing.T, path string) (*openapi3.T, routers.Router) {
	t.Helper()
	docsMu.Lock()
	d := docs[path]
	if d == nil {
		d = &document{}
		d.doc, d.err = openapi3.NewLoader().LoadFromFile(path)
		if d.err == nil {
			d.err = d.doc.Validate(context.Background())
		}
		var checked *openapi3.T // the document as exchanges are checked against it
		if d.err == nil {
			checked, d.err = openapi3.NewLoader().LoadFromFile(path)
		}
		if d.err == nil {
			anyValue(checked)
			d.router, d.err = gorillamux.NewRouter(checked)
		}
		docs[path] = d
	}
	docsMu.Unlock()
	require.NoError(t, d.err, "load %s", path)
	return d.doc, d.router
}

// anyValue marks the schemas of doc that constrain nothing (json and jsonb
// values) as the schema true, which accepts every JSON value. OpenAPI
// 3.0.3 says nullable has no effect without type, so such a schema
// admits null; kin-openapi refuses null unless nullable is set (and then
// parses every number it meets as a float64, which 1e400 is not).
func anyValue(doc *openapi3.T) {
	yes := true
	seen := map[*openapi3.Schema]bool{}
	var visit func(*openapi3.SchemaRef)
	visit = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		bare := *s
		bare.Description, bare.ReadOnly, bare.WriteOnly, bare.Extensions = "", false, false, nil
		if bare.IsEmpty() {
			s.Always = &yes
			return
		}
		for _, list := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, r := range list {
				visit(r)
			}
		}
		visit(s.Items)
		visit(s.Not)
		for _, p := range s.Properties {
			visit(p)
		}
		visit(s.AdditionalProperties.Schema)
	}
	for _, s := range doc.Components.Schemas {
		visit(s)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value != nil {
					visit(p.Value.Schema)
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					visit(mt.Schema)
				}
			}
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					for _, mt := range r.Value.Content {
						visit(mt.Schema)
					}
				}
			}
		}
	}
}

// Client talks to a served API and checks every exchange against the
// API's OpenAPI document.
type Client struct {
	Base string       // the server's URL
	HTTP *http.Client // the server's client
	Doc  string       // path of the OpenAPI document
}

// Obj is a JSON object, to write request bodies.
type Obj = map[string]any

// Response is what a request got.
type Response struct {
	Method, Path string // of the request
	Status       int
	Header       http.Header
	Raw          []byte
	Body         any // the decoded JSON body (numbers as json.Number), nil when none
}

// Option changes a request before it is sent.
type Option func(*http.Request)

// WithHeader sets a request header.
func WithHeader(name, value string) Option {
	return func(r *http.Request) { r.Header.Set(name, value) }
}

// WithContentType sets Content-Type ("" removes it).
func WithContentType(ct string) Option {
	return func(r *http.Request) {
		if ct == "" {
			r.Header.Del("Content-Type")
			return
		}
		r.Header.Set("Content-Type", ct)
	}
}

// UnknownLength sends the body chunked, without Content-Length.
func UnknownLength() Option {
	return func(r *http.Request) {
		body := r.Body
		r.Body = io.NopCloser(struct{ io.Reader }{body})
		r.ContentLength = -1
	}
}

// Do sends a request the document describes as valid: the request must
// conform to the document, and so must the response. body is nil (no
// body), a string or []byte sent as is, or a value sent as JSON.
func (c *Client) Do(t *testing.T, method, path string, body any, opts ...Option) *Response {
	t.Helper()
	return c.exchange(t, true, method, path, body, opts...)
}

// Send sends a request that need not conform to the document (it is
// meant to be rejected); the response must still conform.
func (c *Client) Send(t *testing.T, method, path string, body any, opts ...Option) *Response {
	t.Helper()
	return c.exchange(t, false, method, path, body, opts...)
}

func (c *Client) exchange(t *testing.T, conforming bool, method, path string, body any, opts ...Option) *Response {
	t.Helper()
	payload := encodeBody(t, body)
	newRequest := func(url string) *http.Request {
		var rd io.Reader
		if payload != nil {
			rd = bytes.NewReader(payload)
		}
		r, err := http.NewRequest(method, url, rd)
		require.NoError(t, err)
		if payload != nil {
			r.Header.Set("Content-Type", "application/json")
		}
		for _, o := range opts {
			o(r)
		}
		return r
	}

	res, err := c.HTTP.Do(newRequest(c.Base + path))
	require.NoError(t, err, "%s %s", method, path)
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())

	r := &Response{Method: method, Path: path, Status: res.StatusCode, Header: res.Header, Raw: raw}
	if len(raw) > 0 && isJSON(res.Header.Get("Content-Type")) {
		require.NoError(t, NewNumberDecoder(raw).Decode(&r.Body), "%s %s: response body is not JSON: %s", method, path, raw)
	}
	if path != "/openapi.json" { // the one route NewRouter serves that the document does not describe
		c.checkAgainstDocument(t, conforming, newRequest(path), payload, r)
	}
	return r
}

// NewNumberDecoder decodes JSON with numbers as json.Number, so that 4.5
// and "4.50" stay apart and big integers stay exact.
func NewNumberDecoder(raw []byte) *json.Decoder {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec
}

// JSONBody is v as a request body for clients that take an io.Reader:
// marshaled as JSON, or sent as is when a string or []byte.
func JSONBody(t *testing.T, v any) io.Reader {
	t.Helper()
	return bytes.NewReader(encodeBody(t, v))
}

func encodeBody(t *testing.T, body any) []byte {
	t.Helper()
	switch b := body.(type) {
	case nil:
		return nil
	case string:
		return []byte(b)
	case []byte:
		return b
	}
	payload, err := json.Marshal(body)
	require.NoError(t, err)
	return payload
}

func isJSON(ct string) bool {
	mt := mediaType(ct)
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func mediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.TrimSpace(mt)
}

// checkAgainstDocument validates the exchange with openapi3filter: the
// request when it is meant to conform, the response always. A request
// the document has no operation for (unknown path or method) must have
// been answered with a 404 or 405 problem, checked against the document's
// Problem schema.
func (c *Client) checkAgainstDocument(t *testing.T, conforming bool, req *http.Request, payload []byte, r *Response) {
	t.Helper()
	doc, router := Document(t, c.Doc)
	ctx := context.Background()
	route, params, err := router.FindRoute(req)
	if err != nil {
		require.True(t, errors.Is(err, routers.ErrPathNotFound) || errors.Is(err, routers.ErrMethodNotAllowed), "find route: %v", err)
		assert.False(t, conforming, "%s %s: the document has no such operation", r.Method, r.Path)
		assert.Contains(t, []int{http.StatusNotFound, http.StatusMethodNotAllowed}, r.Status,
			"%s %s: the document has no operation, so only 404 or 405 fit", r.Method, r.Path)
		assert.Equal(t, "application/problem+json", r.Header.Get("Content-Type"))
		problemSchema := doc.Components.Schemas["Problem"].Value
		assert.NoError(t, problemSchema.VisitJSON(jsonValue(t, r.Raw)),
			"%s %s: the body is not a Problem: %s", r.Method, r.Path, r.Raw)
		return
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true,
		MultiError:            true,
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if conforming {
		if payload != nil {
			req.Body = io.NopCloser(bytes.NewReader(payload))
		}
		assert.NoError(t, openapi3filter.ValidateRequest(ctx, in),
			"%s %s: the request does not conform to the document: %s", r.Method, r.Path, payload)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 r.Status,
		Header:                 r.Header,
		Options:                opts,
	}
	out.SetBodyBytes(r.Raw)
	assert.NoError(t, openapi3filter.ValidateResponse(ctx, out),
		"%s %s: the response does not conform to the document: %d %s", r.Method, r.Path, r.Status, r.Raw)
}

// jsonValue decodes raw as openapi3's schema validation expects it.
func jsonValue(t *testing.T, raw []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(raw, &v), "not JSON: %s", raw)
	return v
}
