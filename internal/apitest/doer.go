package apitest

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"testing"
)

// Doer sends the requests of a client generated from the API's OpenAPI
// document (oapi-codegen's HttpRequestDoer) and checks every exchange
// against the document, as Client.Do does: the request the client built
// must conform to it, and so must the response.
type Doer struct {
	T    *testing.T
	HTTP *http.Client // the server's client
	Doc  string       // path of the OpenAPI document
	// AnyRequest skips the check of requests, for requests meant to be
	// rejected (as Client.Send does); responses are still checked.
	AnyRequest bool
}

// Do sends req and checks the exchange. The response body is read in full
// and handed back unread.
func (d *Doer) Do(req *http.Request) (*http.Response, error) {
	var payload []byte
	if req.Body != nil {
		var err error
		if payload, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		if err := req.Body.Close(); err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(payload))
	}
	res, err := d.HTTP.Do(req) // #nosec G704 -- a test's request to the API under test
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(res.Body)
	if cerr := res.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(raw))

	(&Client{Doc: d.Doc}).checkServed(d.T, !d.AnyRequest, req, payload, res.StatusCode, res.Header, raw)
	return res, nil
}

// checkServed checks an exchange that went over the network against the
// document: req with its body payload, answered with status, header and
// raw. The document's router matches paths without a server, so the
// request is checked as one to its path and query alone.
func (c *Client) checkServed(t *testing.T, conforming bool, req *http.Request, payload []byte, status int, header http.Header, raw []byte) {
	t.Helper()
	check := req.Clone(req.Context())
	check.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	check.Body = nil
	r := &Response{Method: req.Method, Path: check.URL.RequestURI(), Status: status, Header: header, Raw: raw}
	c.checkAgainstDocument(t, conforming, check, payload, r)
}

// Checked serves h and checks every exchange against the document at doc,
// for clients the test does not drive itself (a script in another
// language): each response must conform to the document, and so must each
// request the API accepted (a status below 400); requests meant to be
// rejected need not. The document is loaded before the first request.
func Checked(t *testing.T, doc string, h http.Handler) http.Handler {
	t.Helper()
	Document(t, doc)
	c := &Client{Doc: doc}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var payload []byte
		if req.Body != nil {
			var err error
			if payload, err = io.ReadAll(req.Body); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			req.Body = io.NopCloser(bytes.NewReader(payload))
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, req)
		if req.URL.Path == "/openapi.json" { // served, not described
			return
		}
		if len(payload) == 0 {
			payload = nil
		}
		c.checkServed(t, rec.status < 400, req, payload, rec.status, w.Header(), rec.body.Bytes())
	})
}

// recorder passes a response on and keeps its status and body.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.body.Write(p)
	return r.ResponseWriter.Write(p)
}
