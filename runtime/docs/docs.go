// Package docs serves Swagger UI, the interactive explorer of an API's
// OpenAPI document, from assets embedded in the binary
// (github.com/swaggest/swgui): the page loads nothing from other hosts, so
// it works offline. Generated routers serve it at /docs.
package docs

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/swaggest/swgui"
	"github.com/swaggest/swgui/v5/static"
	"github.com/swaggest/swgui/v5emb"

	"github.com/crudgen/crudgen/runtime"
)

// assets are the names of the files the page loads from below its path:
// its scripts, style sheet and icons. The embedded files are stored
// gzipped (name.gz) and decompressed for clients that do not accept gzip.
var assets = func() map[string]bool {
	entries, err := fs.ReadDir(static.FS, ".")
	if err != nil {
		panic(err) // the embedded directory is always readable
	}
	names := make(map[string]bool, len(entries))
	for _, e := range entries {
		if !e.IsDir() {
			names[strings.TrimSuffix(e.Name(), ".gz")] = true
		}
	}
	return names
}()

// Handler returns Swagger UI titled title, exploring the OpenAPI document
// at specURL. It answers basePath (with or without a trailing slash) with
// the page and basePath/name with the page's assets; any other path below
// basePath is a 404 problem.
//
// specURL and basePath are absolute paths as clients see them, such as
// "/openapi.json" and "/docs", or "/api/v1/openapi.json" and
// "/api/v1/docs" for an API under a prefix: the page links its assets
// under basePath, and the handler expects requests with their full path,
// as chi's Mount passes them, not stripped of a prefix. Route GET requests
// for basePath and below to it.
func Handler(title, specURL, basePath string) http.Handler {
	basePath = strings.TrimSuffix(basePath, "/")
	ui := v5emb.NewHandlerWithConfig(swgui.Config{
		Title:       title,
		SwaggerJSON: specURL,
		BasePath:    basePath,
	})
	notFound := (*runtime.API)(nil).NotFound()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, below := strings.CutPrefix(r.URL.Path, basePath+"/")
		page := r.URL.Path == basePath || below && name == ""
		if !page && !(below && assets[name]) {
			notFound(w, r)
			return
		}
		ui.ServeHTTP(w, r)
	})
}
