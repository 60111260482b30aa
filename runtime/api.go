package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// Defaults of API's fields.
const (
	DefaultMaxBodyBytes = 1 << 20
	DefaultRetryAfter   = time.Second
)

// API holds what all generated handlers share: how to read requests and how
// to answer errors. A nil *API and the zero API use the defaults; an API
// must not change once handlers use it.
//
// Every generated handler has the same shape: parse the path and query,
// decode the body, validate, call the store, encode; every error goes to
// Error, which writes the problem (and the log line) once:
//
//	func (h *AlbumHandler) create(w http.ResponseWriter, r *http.Request) {
//		var req CreateAlbumRequest
//		if err := h.api.Decode(r, &req); err != nil { // 400, 413, 415, 422
//			h.api.Error(w, r, err, albumsTable)
//			return
//		}
//		if err := req.Validate(); err != nil { // 422 with located errors
//			h.api.Error(w, r, err, albumsTable)
//			return
//		}
//		row, err := h.store.Create(r.Context(), req) // INSERT … RETURNING
//		if err != nil { // 409 unique, 422 foreign key, 503 database down, 500 …
//			h.api.Error(w, r, err, albumsTable)
//			return
//		}
//		w.Header().Set("Location", "/albums/"+strconv.FormatInt(row.ID, 10))
//		h.api.JSON(w, http.StatusCreated, row)
//	}
//
// and the router answers what no handler does with problems too:
//
//	r := chi.NewRouter()
//	r.Use(api.Recover)                        // panic → 500
//	r.NotFound(api.NotFound())                // 404
//	r.MethodNotAllowed(api.MethodNotAllowed()) // 405 + Allow
//
// albumsTable is the generated Table of albums, which lets Error locate the
// database's constraint violations at the request's JSON fields.
type API struct {
	// Logger receives 5xx errors, recovered panics and (at debug level) the
	// causes of client errors. nil: slog.Default().
	Logger *slog.Logger
	// MaxBodyBytes caps request bodies; a larger body is a 413.
	// 0: DefaultMaxBodyBytes (1 MiB).
	MaxBodyBytes int64
	// RetryAfter is what 503 responses advise in Retry-After, rounded up to
	// whole seconds. 0: DefaultRetryAfter (1 s).
	RetryAfter time.Duration
}

func (a *API) logger() *slog.Logger {
	if a == nil || a.Logger == nil {
		return slog.Default()
	}
	return a.Logger
}

func (a *API) maxBodyBytes() int64 {
	if a == nil || a.MaxBodyBytes <= 0 {
		return DefaultMaxBodyBytes
	}
	return a.MaxBodyBytes
}

func (a *API) retryAfter() time.Duration {
	if a == nil || a.RetryAfter <= 0 {
		return DefaultRetryAfter
	}
	return a.RetryAfter
}

// Decode reads r's JSON body into dst (see DecodeRequest), with the body
// capped at the limit of r's context (WithMaxBodyBytes), else
// MaxBodyBytes. The error is a *Problem.
func (a *API) Decode(r *http.Request, dst Decodable) error {
	limit, ok := r.Context().Value(maxBodyKey{}).(int64)
	if !ok {
		limit = a.maxBodyBytes()
	}
	return DecodeRequest(r, limit, dst)
}

type maxBodyKey struct{}

// WithMaxBodyBytes returns ctx carrying a body limit that replaces the
// API's MaxBodyBytes for the request: how a server's setting reaches the
// generated handlers. n must be positive.
func WithMaxBodyBytes(ctx context.Context, n int64) context.Context {
	return context.WithValue(ctx, maxBodyKey{}, n)
}

// JSON writes v as the JSON response with status (see WriteJSON).
func (a *API) JSON(w http.ResponseWriter, status int, v Marshaler) {
	WriteJSON(w, status, v)
}

// Problem writes p as an application/problem+json response. It fills in
// what p leaves empty: type (about:blank), title (the status text), instance
// (the request's path) and request_id (the X-Request-ID header of the
// response if a middleware set one, else of the request, when it is 1 to 128
// visible ASCII characters). A status outside 400–599 is written as 500.
// The headers of p.Header replace the response's. p itself is not modified,
// so problems can be shared.
func (a *API) Problem(w http.ResponseWriter, r *http.Request, p *Problem) {
	q := a.complete(w, r, p)
	body, err := marshalProblem(q)
	if err != nil {
		a.logger().LogAttrs(r.Context(), slog.LevelError, "runtime: encode problem", slog.Any("error", err))
		q = a.complete(w, r, internalError())
		body, _ = marshalProblem(q) // cannot fail: no field errors
	}
	h := w.Header()
	for k, vs := range q.Header {
		h.Del(k)
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(q.Status)
	_, _ = w.Write(body) // #nosec G705 -- a JSON problem, sent as application/problem+json
}

// complete returns a copy of p with its empty members filled in.
func (a *API) complete(w http.ResponseWriter, r *http.Request, p *Problem) *Problem {
	q := *p
	if q.Status < 400 || q.Status > 599 {
		a.logger().LogAttrs(r.Context(), slog.LevelError, "runtime: problem with a status that is not an error",
			slog.Int("status", q.Status), slog.String("title", q.Title))
		q = *internalError()
	}
	if q.Type == "" {
		q.Type = "about:blank"
	}
	if q.Title == "" {
		q.Title = http.StatusText(q.Status)
	}
	if q.Instance == "" {
		q.Instance = r.URL.EscapedPath()
	}
	if q.RequestID == "" {
		q.RequestID = requestID(w, r)
	}
	return &q
}

func marshalProblem(p *Problem) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// RequestIDHeader carries the request ID, set by the client or a proxy (on
// the request) or by a middleware (on the response).
const RequestIDHeader = "X-Request-ID"

// requestID returns the request's ID, or "" when it has none or one that is
// not 1 to 128 visible ASCII characters (it would be echoed to the client).
func requestID(w http.ResponseWriter, r *http.Request) string {
	for _, id := range []string{w.Header().Get(RequestIDHeader), r.Header.Get(RequestIDHeader)} {
		if ValidRequestID(id) {
			return id
		}
	}
	return ""
}

// ValidRequestID reports whether id may serve as a request ID: 1 to 128
// visible ASCII characters, safe to echo to clients and logs.
func ValidRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := range len(id) {
		if id[i] < '!' || id[i] > '~' {
			return false
		}
	}
	return true
}

// log records err of the request at level with its status.
func (a *API) log(w http.ResponseWriter, r *http.Request, level slog.Level, msg string, status int, err error, attrs ...slog.Attr) {
	l := a.logger()
	ctx := r.Context()
	if !l.Enabled(ctx, level) {
		return
	}
	attrs = append([]slog.Attr{
		slog.Int("status", status),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Any("error", err),
	}, attrs...)
	if id := requestID(w, r); id != "" {
		attrs = append(attrs, slog.String("request_id", id))
	}
	l.LogAttrs(ctx, level, msg, attrs...)
}
