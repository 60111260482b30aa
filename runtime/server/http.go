package server

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/crudgen/crudgen/runtime"
)

// gzipMin is the smallest body worth compressing.
const gzipMin = 1024

// gzipWriters are reused: a compressor's state is hundreds of kilobytes,
// which allocating per response costs more than the compression itself.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

// conditional buffers GET responses to give 200s an ETag (runtime.ETag of
// the body, unless the handler set one), answer If-None-Match with 304,
// and gzip large bodies for clients that accept it. Generated handlers
// write each body at once, so buffering costs a copy, not latency.
func conditional(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		buf := &buffered{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(buf, r)
		h := w.Header()
		for k, v := range buf.header {
			h[k] = v
		}
		body := buf.body.Bytes()
		if buf.status != http.StatusOK {
			w.WriteHeader(buf.status)
			_, _ = w.Write(body)
			return
		}
		// A handler that tagged its answer (generated ones tag rows, alike)
		// keeps its tag.
		etag := h.Get("ETag")
		if etag == "" {
			etag = runtime.ETag(body)
			h.Set("ETag", etag)
		}
		h.Add("Vary", "Accept-Encoding")
		if matches(r.Header.Get("If-None-Match"), etag) {
			h.Del("Content-Length")
			h.Del("Content-Type")
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if len(body) >= gzipMin && acceptsGzip(r.Header.Get("Accept-Encoding")) && h.Get("Content-Encoding") == "" {
			var z bytes.Buffer
			zw := gzipWriters.Get().(*gzip.Writer)
			zw.Reset(&z)
			_, _ = zw.Write(body)
			_ = zw.Close()
			gzipWriters.Put(zw)
			body = z.Bytes()
			h.Set("Content-Encoding", "gzip")
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(body)
		}
	})
}

// matches reports whether an If-None-Match value names etag (or is *).
func matches(header, etag string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}

func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(strings.TrimSpace(params), " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// buffered is a ResponseWriter that keeps the response.
type buffered struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

func (b *buffered) Header() http.Header { return b.header }

func (b *buffered) WriteHeader(code int) {
	if !b.wrote {
		b.status, b.wrote = code, true
	}
}

func (b *buffered) Write(p []byte) (int, error) {
	b.wrote = true
	return b.body.Write(p)
}

// cors answers preflights and marks responses for the allowed origins
// ("*" allows any).
func cors(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}
	all := slices.Contains(origins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || !all && !slices.Contains(origins, origin) {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Expose-Headers", "Location, ETag, X-Request-ID, Retry-After, Preference-Applied")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match, If-None-Match, Prefer, X-Request-ID")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
