package docs

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/swaggest/swgui/v5/static"
)

func get(h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// links matches the URLs of the page's src and href attributes.
var links = regexp.MustCompile(`(?i)\b(?:src|href)\s*=\s*["']([^"']*)["']`)

// pageLinks returns the URLs the page at target loads, checking it is an
// HTML page.
func pageLinks(t *testing.T, h http.Handler, target string) (string, []string) {
	t.Helper()
	rec := get(h, target)
	require.Equal(t, http.StatusOK, rec.Code, target)
	require.Contains(t, rec.Header().Get("Content-Type"), "text/html", target)
	page := rec.Body.String()
	var urls []string
	for _, m := range links.FindAllStringSubmatch(page, -1) {
		urls = append(urls, m[1])
	}
	require.NotEmpty(t, urls, "the page links no asset")
	return page, urls
}

// embedded returns the embedded file name, decompressed.
func embedded(t *testing.T, name string) []byte {
	t.Helper()
	if b, err := fs.ReadFile(static.FS, name); err == nil {
		return b
	}
	gz, err := fs.ReadFile(static.FS, name+".gz")
	require.NoError(t, err, name)
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	require.NoError(t, err)
	b, err := io.ReadAll(zr)
	require.NoError(t, err)
	return b
}

func TestPageReferencesTheDocument(t *testing.T) {
	h := Handler("Blog API", "/openapi.json", "/docs")
	for _, target := range []string{"/docs", "/docs/"} {
		page, _ := pageLinks(t, h, target)
		assert.Contains(t, page, "<title>Blog API", target)
		assert.Contains(t, page, `"swaggerJsonUrl":"/openapi.json"`, target)
	}
}

func TestPageLoadsOnlyEmbeddedAssets(t *testing.T) {
	h := Handler("Blog API", "/openapi.json", "/docs")
	_, urls := pageLinks(t, h, "/docs")
	wantTypes := map[string]string{".css": "text/css", ".js": "javascript", ".png": "image/png"}
	for _, u := range urls {
		require.Regexp(t, `^/docs/[^/]+$`, u, "the page loads an asset from elsewhere")
		name := path.Base(u)
		want := embedded(t, name)

		rec := get(h, u)
		require.Equal(t, http.StatusOK, rec.Code, u)
		assert.Contains(t, rec.Header().Get("Content-Type"), wantTypes[path.Ext(name)], u)
		assert.Empty(t, rec.Header().Get("Content-Encoding"), u)
		assert.True(t, bytes.Equal(want, rec.Body.Bytes()), "%s: not the embedded file", u)

		// A client accepting gzip gets the embedded bytes as they are.
		rec = get(h, u, "Accept-Encoding", "gzip")
		require.Equal(t, http.StatusOK, rec.Code, u)
		if rec.Header().Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(rec.Body)
			require.NoError(t, err, u)
			got, err := io.ReadAll(zr)
			require.NoError(t, err, u)
			assert.True(t, bytes.Equal(want, got), "%s: not the embedded file", u)
		}
	}
	// The scripts and the style sheet, at least.
	assert.Contains(t, urls, "/docs/swagger-ui-bundle.js")
	assert.Contains(t, urls, "/docs/swagger-ui.css")
}

func TestUnderABasePath(t *testing.T) {
	h := Handler("Shop API", "/api/v1/openapi.json", "/api/v1/docs/")
	page, urls := pageLinks(t, h, "/api/v1/docs")
	assert.Contains(t, page, `"swaggerJsonUrl":"/api/v1/openapi.json"`)
	for _, u := range urls {
		require.Regexp(t, `^/api/v1/docs/[^/]+$`, u)
		assert.Equal(t, http.StatusOK, get(h, u).Code, u)
	}
	assert.Equal(t, http.StatusNotFound, get(h, "/docs/swagger-ui.css").Code)
}

func TestOtherPathsAreNotFoundProblems(t *testing.T) {
	h := Handler("Blog API", "/openapi.json", "/docs")
	for _, target := range []string{
		"/docs/nope.js", "/docs/index.html", "/docs/swagger-ui.css.gz", "/docs/swagger-ui.css/x", "/docsx", "/openapi.json",
	} {
		rec := get(h, target)
		assert.Equal(t, http.StatusNotFound, rec.Code, target)
		assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"), target)
	}
}

func TestTitleIsEscaped(t *testing.T) {
	h := Handler(`</title><script>alert("x")</script>`, "/openapi.json", "/docs")
	page, _ := pageLinks(t, h, "/docs")
	assert.NotContains(t, page, `<script>alert(`)
}
