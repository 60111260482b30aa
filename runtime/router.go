package runtime

import (
	"bufio"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/go-chi/chi/v5"
)

// NotFound returns the handler of requests no route matches: a 404 problem.
// Install it with chi's Router.NotFound.
func (a *API) NotFound() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a.Problem(w, r, noRoute())
	}
}

func noRoute() *Problem {
	return NewProblem(http.StatusNotFound, "No resource exists at this path.")
}

// MethodNotAllowed returns the handler of requests whose path a route
// matches for other methods only: a 405 problem with an Allow header listing
// those methods. Install it with chi's Router.MethodNotAllowed.
//
// chi (v5.5) does not set Allow when a custom handler is installed (its own
// default handler does, from state it keeps unexported), so the handler asks
// the request's chi router which of the standard methods (and QUERY) it
// routes at the request's path; methods added with chi.RegisterMethod are
// not listed. chi also calls this handler for a method it does not know, on
// any path: when no method is routed at the path, the answer is a 404, not
// a 405 with an empty Allow.
func (a *API) MethodNotAllowed() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		allow := allowedMethods(r)
		if len(allow) == 0 {
			a.Problem(w, r, noRoute())
			return
		}
		p := NewProblem(http.StatusMethodNotAllowed, "The method "+r.Method+" is not allowed for this resource.")
		p.Header = http.Header{"Allow": {strings.Join(allow, ", ")}}
		a.Problem(w, r, p)
	}
}

// routeMethods are the methods MethodNotAllowed looks up, in the order Allow
// lists them.
var routeMethods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete,
	"QUERY", http.MethodOptions, http.MethodConnect, http.MethodTrace,
}

// allowedMethods returns the methods the request's chi router routes at the
// request's path.
func allowedMethods(r *http.Request) []string {
	rctx := chi.RouteContext(r.Context())
	if rctx == nil || rctx.Routes == nil {
		return nil
	}
	// rctx.Routes is the outermost chi router, which routes the whole path.
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	if path == "" {
		path = "/"
	}
	var allow []string
	for _, m := range routeMethods {
		if routed(rctx.Routes, m, path) {
			allow = append(allow, m)
		}
	}
	return allow
}

// maxMounts bounds the depth of mounted routers routed follows.
const maxMounts = 64

// routed reports whether rs routes method at path to a handler. chi's Find
// alone cannot tell: at a path that ends where a router is mounted (/albums
// for r.Route("/albums", …)), it finds Mount's stub, which takes every
// method. So routed enters mounted routers itself, as Mount's handler does.
func routed(rs chi.Routes, method, path string) bool {
	for range maxMounts {
		rctx := chi.NewRouteContext()
		pattern := rs.Find(rctx, method, path)
		switch {
		case pattern == "":
			return false
		case rctx.RoutePath != "":
			// Find entered the router mounted at RoutePatterns[0]
			// ("/albums/*") and may have misjudged its mounts: redo from it.
			rs, path = mountedAt(rs, rctx.RoutePatterns[0]), "/"+wildcard(rctx)
		case hasRoute(rs, pattern, method):
			return true
		default:
			// Mount's stub ("/albums", "/albums/"): the mounted router
			// routes "/".
			rs, path = mountedAt(rs, pattern), "/"
		}
		if rs == nil {
			return true // a handler that is not a router takes every method
		}
	}
	return false
}

// hasRoute reports whether rs has a route with pattern for method. Mount's
// stubs are not among rs.Routes().
func hasRoute(rs chi.Routes, pattern, method string) bool {
	for _, rt := range rs.Routes() {
		if rt.Pattern == pattern && (rt.Handlers[method] != nil || rt.Handlers["*"] != nil) {
			return true
		}
	}
	return false
}

// mountedAt returns the router mounted at pattern ("/albums", "/albums/" or
// "/albums/*") in rs, nil when none is.
func mountedAt(rs chi.Routes, pattern string) chi.Routes {
	want := strings.TrimSuffix(strings.TrimSuffix(pattern, "*"), "/") + "/*"
	for _, rt := range rs.Routes() {
		if rt.Pattern == want {
			return rt.SubRoutes
		}
	}
	return nil
}

// wildcard returns the value of the first "*" parameter: the rest of the
// path for the router mounted where Find went on.
func wildcard(rctx *chi.Context) string {
	for i, k := range rctx.URLParams.Keys {
		if k == "*" {
			return rctx.URLParams.Values[i]
		}
	}
	return ""
}

// Recover is a middleware that turns a panic of next into a 500 problem that
// says nothing of the panic; the panic value and stack go to the log at
// error level. A panic with http.ErrAbortHandler is left to net/http. When
// next had already started the response, a problem cannot be appended: the
// connection is aborted (by panicking with http.ErrAbortHandler) so the
// client sees a truncated response instead of a corrupt one.
//
// Install it first (outermost), so that it covers the other middlewares.
func (a *API) Recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &startWriter{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v)
			}
			a.recovered(sw, r, v)
		}()
		next.ServeHTTP(sw, r)
	})
}

// recovered logs panic value v of the request and answers it.
func (a *API) recovered(w *startWriter, r *http.Request, v any) {
	a.log(w, r, slog.LevelError, "panic", http.StatusInternalServerError, fmt.Errorf("panic: %v", v),
		slog.String("stack", string(debug.Stack())))
	if w.started {
		panic(http.ErrAbortHandler)
	}
	a.Problem(w, r, internalError())
}

// startWriter records whether the response has started. Unwrap lets
// http.ResponseController reach the writer's other features; Flush and
// Hijack are forwarded for code that type-asserts them.
type startWriter struct {
	http.ResponseWriter
	started bool
}

func (w *startWriter) WriteHeader(code int) {
	if code >= 200 || code == http.StatusSwitchingProtocols {
		w.started = true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *startWriter) Write(b []byte) (int, error) {
	w.started = true
	return w.ResponseWriter.Write(b)
}

func (w *startWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *startWriter) Flush() {
	w.started = true
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *startWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.started = true
	return http.NewResponseController(w.ResponseWriter).Hijack()
}
