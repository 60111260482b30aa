package runtime

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/require"
)

func ok(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }

// testRouter is shaped like a generated router: resources mounted as
// sub-routers, API's handlers for what no route answers.
func testRouter(api *API) http.Handler {
	r := chi.NewRouter()
	r.Use(api.Recover)
	r.NotFound(api.NotFound())
	r.MethodNotAllowed(api.MethodNotAllowed())
	r.Get("/openapi.json", ok)
	r.Route("/albums", func(r chi.Router) {
		r.Get("/", ok)
		r.Post("/", ok)
		r.Route("/{album_id}", func(r chi.Router) {
			r.Get("/", ok)
			r.Put("/", ok)
			r.Patch("/", ok)
			r.Delete("/", ok)
		})
	})
	admin := chi.NewRouter()
	admin.Get("/stats", ok)
	admin.Method("QUERY", "/search", http.HandlerFunc(ok))
	r.Mount("/admin", admin)
	r.Group(func(r chi.Router) {
		r.Use(func(next http.Handler) http.Handler { return next })
		r.With(func(next http.Handler) http.Handler { return next }).Put("/settings", ok)
		r.Route("/orgs/{org}/members", func(r chi.Router) {
			r.Get("/", ok)
			r.Delete("/{member}", ok)
		})
	})
	r.Get("/files", ok)
	r.Mount("/files/", http.StripPrefix("/files", http.FileServer(http.Dir("testdata-none"))))
	r.Handle("/any", http.HandlerFunc(ok))
	r.Get("/docs/*", ok)
	r.Get("/panic", func(http.ResponseWriter, *http.Request) {
		panic("secret: password=hunter2")
	})
	r.Get("/panic-error", func(http.ResponseWriter, *http.Request) {
		panic(errors.New("secret error"))
	})
	r.Get("/panic-late", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"items": [`))
		panic("secret: half-written")
	})
	r.Get("/abort", func(http.ResponseWriter, *http.Request) {
		panic(http.ErrAbortHandler)
	})
	return r
}

func serve(h http.Handler, method, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func TestRoutesAnswerWithHandlers(t *testing.T) {
	api, _ := testAPI()
	h := testRouter(api)
	for _, tc := range []struct{ method, target string }{
		{"GET", "/albums"}, {"POST", "/albums"}, {"DELETE", "/albums/7"}, {"GET", "/admin/stats"}, {"QUERY", "/admin/search"},
	} {
		require.Equal(t, http.StatusNoContent, serve(h, tc.method, tc.target).Code, tc)
	}
}

func TestNotFound(t *testing.T) {
	api, _ := testAPI()
	h := testRouter(api)
	for _, target := range []string{"/nope", "/albums/7/tracks", "/admin/nope", "/admin"} {
		rec := serve(h, http.MethodGet, target)
		require.Equal(t, http.StatusNotFound, rec.Code, target)
		body := problemBody(t, rec)
		require.Equal(t, float64(404), body["status"])
		require.Equal(t, "Not Found", body["title"])
		require.Equal(t, target, body["instance"])
		require.Empty(t, rec.Header().Get("Allow"))
	}
}

func TestMethodNotAllowed(t *testing.T) {
	api, _ := testAPI()
	h := testRouter(api)
	for _, tc := range []struct{ method, target, allow string }{
		{"DELETE", "/albums", "GET, POST"},
		{"PUT", "/albums/", "GET, POST"},
		{"POST", "/albums/7", "GET, PUT, PATCH, DELETE"},
		{"HEAD", "/albums/7", "GET, PUT, PATCH, DELETE"},
		{"OPTIONS", "/openapi.json", "GET"},
		{"POST", "/admin/stats", "GET"},
		{"GET", "/admin/search", "QUERY"},
		{"BREW", "/albums", "GET, POST"}, // a method chi does not know
		{"BREW", "/albums/7", "GET, PUT, PATCH, DELETE"},
		{"BREW", "/albums/7/", "GET, PUT, PATCH, DELETE"},
		{"BREW", "/admin/stats", "GET"},
		{"GET", "/settings", "PUT"},
		{"POST", "/orgs/acme/members", "GET"},
		{"GET", "/orgs/acme/members/bob", "DELETE"},
		{"BREW", "/orgs/acme/members/bob", "DELETE"},
		{"POST", "/files", "GET"},
		{"BREW", "/files/a.txt", "GET, HEAD, POST, PUT, PATCH, DELETE, QUERY, OPTIONS, CONNECT, TRACE"},
		{"BREW", "/any", "GET, HEAD, POST, PUT, PATCH, DELETE, QUERY, OPTIONS, CONNECT, TRACE"},
		{"POST", "/docs/a/b", "GET"},
	} {
		rec := serve(h, tc.method, tc.target)
		require.Equal(t, http.StatusMethodNotAllowed, rec.Code, tc)
		require.Equal(t, []string{tc.allow}, rec.Header().Values("Allow"), tc)
		body := problemBody(t, rec)
		require.Equal(t, "Method Not Allowed", body["title"])
		require.Equal(t, "The method "+tc.method+" is not allowed for this resource.", body["detail"])
		require.Equal(t, strings.TrimSuffix(tc.target, "/"), strings.TrimSuffix(body["instance"].(string), "/"))
	}
}

func TestMethodNotAllowedOfAnUnknownMethodOnNoRouteIs404(t *testing.T) {
	api, _ := testAPI()
	for _, target := range []string{"/nope", "/admin", "/admin/", "/albums/7/tracks", "/orgs/acme"} {
		rec := serve(testRouter(api), "BREW", target)
		require.Equal(t, http.StatusNotFound, rec.Code, target)
		require.Empty(t, rec.Header().Get("Allow"))
		problemBody(t, rec)
	}
}

func TestMethodNotAllowedOverHTTP(t *testing.T) {
	api, _ := testAPI()
	srv := httptest.NewServer(testRouter(api))
	defer srv.Close()
	for _, method := range []string{http.MethodPost, http.MethodHead} {
		req, err := http.NewRequest(method, srv.URL+"/albums/7", nil)
		require.NoError(t, err)
		res, err := srv.Client().Do(req)
		require.NoError(t, err)
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		require.NoError(t, res.Body.Close())
		require.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
		require.Equal(t, "GET, PUT, PATCH, DELETE", res.Header.Get("Allow"))
		if method == http.MethodHead {
			require.Empty(t, body)
		} else {
			require.Contains(t, string(body), `"status":405`)
		}
	}
}

func TestMethodNotAllowedWithoutChi(t *testing.T) {
	api, _ := testAPI()
	rec := serve(api.MethodNotAllowed(), http.MethodPost, "/x")
	require.Equal(t, http.StatusNotFound, rec.Code, "no router to ask: nothing is allowed")
}

func TestRecoverAnswers500WithoutInternals(t *testing.T) {
	api, logs := testAPI()
	h := testRouter(api)
	for _, target := range []string{"/panic", "/panic-error"} {
		logs.Reset()
		rec := serve(h, http.MethodGet, target)
		require.Equal(t, http.StatusInternalServerError, rec.Code)
		body := problemBody(t, rec)
		require.Equal(t, "An internal error occurred.", body["detail"])
		for _, internal := range []string{"secret", "hunter2", "goroutine", ".go:"} {
			require.NotContains(t, rec.Body.String(), internal)
		}
		require.Contains(t, logs.String(), `"level":"ERROR"`)
		require.Contains(t, logs.String(), "secret", "the log has the panic value")
		require.Contains(t, logs.String(), "router_test.go", "the log has the stack")
	}
}

func TestRecoverAbortsAStartedResponse(t *testing.T) {
	api, logs := testAPI()
	h := testRouter(api)
	rec := httptest.NewRecorder()
	require.PanicsWithValue(t, http.ErrAbortHandler, func() {
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/panic-late", nil))
	})
	require.Equal(t, `{"items": [`, rec.Body.String(), "nothing appended")
	require.Contains(t, logs.String(), "half-written")
}

func TestRecoverAbortsAStartedResponseOverHTTP(t *testing.T) {
	api, _ := testAPI()
	srv := httptest.NewServer(testRouter(api))
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL + "/panic-late")
	if err == nil {
		_, err = io.ReadAll(res.Body)
		_ = res.Body.Close()
	}
	require.Error(t, err, "the client sees the response cut short")
}

func TestRecoverLeavesErrAbortHandler(t *testing.T) {
	api, logs := testAPI()
	h := testRouter(api)
	require.PanicsWithValue(t, http.ErrAbortHandler, func() {
		serve(h, http.MethodGet, "/abort")
	})
	require.Empty(t, logs.String())
}

func TestRecoverKeepsTheWriterFeatures(t *testing.T) {
	api, _ := testAPI()
	var flushed, unwrapped bool
	h := api.Recover(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, unwrapped = w.(interface{ Unwrap() http.ResponseWriter })
		_, _ = w.Write([]byte("x"))
		flushed = http.NewResponseController(w).Flush() == nil
		w.(http.Flusher).Flush()
	}))
	rec := serve(h, http.MethodGet, "/")
	require.True(t, unwrapped)
	require.True(t, flushed)
	require.True(t, rec.Flushed)
}

func TestRecoverIgnoresInformationalResponses(t *testing.T) {
	api, _ := testAPI()
	srv := httptest.NewServer(api.Recover(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Link", "</style.css>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		panic("later")
	})))
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	require.Equal(t, http.StatusInternalServerError, res.StatusCode)
	require.Contains(t, string(body), `"status":500`)
}
