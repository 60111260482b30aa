package blog_test

// The API explorer at /docs, driven in a headless Chromium: the page lists
// the operations of the document, and "Try it out" calls the live API.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/examples/blog/api"
	"github.com/crudgen/crudgen/internal/apitest"
	"github.com/crudgen/crudgen/runtime/pgtest"
	"github.com/crudgen/crudgen/runtime/server"
)

// chromiumPath is where Debian's chromium package puts the browser.
const chromiumPath = "/usr/bin/chromium"

// browserTimeout bounds a whole browser session.
const browserTimeout = 60 * time.Second

func TestDocsExploresTheLiveAPI(t *testing.T) {
	browser := newBrowser(t)
	b := newBlog(t)
	b.post(t, b.author(t, "docs@example.com"), "explored")

	// The blog API as runtime/server serves it, logging every request.
	logs := &apitest.SyncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	h, err := server.Wrap(api.NewRouter(b.pool, api.Options{Logger: logger}), b.pool, server.Config{Logger: logger})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	got, err := explore(browser, srv.URL+"/docs")
	saveScreenshot(t, browser, "blog-docs.png") // of a failed run too, to see where it stopped
	require.NoError(t, err)

	for _, op := range []string{"GET /posts", "POST /posts", "GET /posts/{id}", "PATCH /posts/{id}", "GET /authors/{id}/posts", "GET /published_posts"} {
		assert.Contains(t, got.operations, op)
	}
	assert.Equal(t, "200", got.status)
	assert.Regexp(t, `"title":\s*"Title of explored"`, got.body)
	// Everything the page loaded, the explorer's assets included, came
	// from the API's server.
	for _, u := range got.loaded {
		assert.True(t, strings.HasPrefix(u, srv.URL+"/"), "loaded from elsewhere: %s", u)
	}
	for _, want := range []string{"/docs", "/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css", "/openapi.json", "/posts?"} {
		assert.True(t, slices.ContainsFunc(got.loaded, func(u string) bool { return strings.HasPrefix(u, srv.URL+want) }), "%s not loaded", want)
	}
	// The server got the browser's call.
	assert.Regexp(t, `msg=request method=GET route=/posts/? status=200 `, logs.String())
}

// listPosts selects Swagger UI's block of the operation GET /posts.
const listPosts = `.opblock-get:has(> .opblock-summary .opblock-summary-path[data-path="/posts"])`

// explored is what the explorer showed and loaded.
type explored struct {
	operations []string // listed, as "GET /posts"
	status     string   // of the response to GET /posts
	body       string   // of that response
	loaded     []string // the URLs of the page and of what it loaded
}

// explore opens the explorer at url, waits for the operations, then
// expands GET /posts, tries it out and executes it.
func explore(browser context.Context, url string) (explored, error) {
	var got explored
	err := chromedp.Do(browser,
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(listPosts)),
	)
	if err != nil {
		return got, err
	}
	got.operations, err = chromedp.Run(browser, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".opblock")].map(op =>
		op.querySelector(".opblock-summary-method").textContent + " " + op.querySelector(".opblock-summary-path").dataset.path)`))
	if err != nil {
		return got, fmt.Errorf("listing the operations: %w", err)
	}
	err = chromedp.Do(browser,
		chromedp.Click(chromedp.CSS(listPosts+" .opblock-summary-control")),
		chromedp.Click(chromedp.CSS(listPosts+" .try-out__btn")),
		chromedp.Click(chromedp.CSS(listPosts+" .btn.execute")),
	)
	if err != nil {
		return got, err
	}
	response := listPosts + " .live-responses-table tr.response"
	got.status, err = chromedp.Run(browser, chromedp.Poll[string](
		`document.querySelector(`+strconv.Quote(response+" .response-col_status")+`)?.textContent.trim()`))
	if err != nil {
		return got, fmt.Errorf("waiting for the response: %w", err)
	}
	got.body, err = chromedp.Run(browser, chromedp.TextContent(chromedp.CSS(response+" .response-col_description pre")))
	if err != nil {
		return got, fmt.Errorf("reading the response: %w", err)
	}
	got.loaded, err = chromedp.Run(browser, chromedp.Evaluate[[]string](
		`[location.href, ...performance.getEntriesByType("resource").map(e => e.name)]`))
	return got, err
}

// newBrowser starts a headless Chromium with a fresh profile and returns its
// context, canceled when the test ends or browserTimeout passes. Without
// Chromium the test skips, or fails when CI=true.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		pgtest.Missing(t, "no browser for the docs test (apt-get install chromium): %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancelAlloc) // stops the browser and waits for it
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	return browser
}

// saveScreenshot saves a screenshot of the whole page as name in the
// artifacts directory: $CRUDGEN_ARTIFACTS, else artifacts/ at the root of
// the repository.
func saveScreenshot(t *testing.T, browser context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(browser, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("no screenshot: %v", err)
		return
	}
	dir := os.Getenv("CRUDGEN_ARTIFACTS")
	if dir == "" {
		root, err := repositoryRoot()
		require.NoError(t, err)
		dir = filepath.Join(root, "artifacts")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, png, 0o644))
	t.Logf("screenshot: %s", path)
}

// repositoryRoot returns the closest directory above the working directory
// that holds a go.mod: the root module's, for this package.
func repositoryRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
