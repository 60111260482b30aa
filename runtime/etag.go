package runtime

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
)

// ETag returns the strong entity tag of a response body: the base64url
// encoding of the first 16 bytes of its SHA-256, in double quotes.
// Generated handlers tag the row they answer with this way (API.Row), and
// runtime/server tags other GET answers alike, so a row has one tag however
// it is read, on every copy of a server.
func ETag(body []byte) string {
	var b [etagLen]byte
	return string(appendETag(b[:0], body))
}

// etagLen is the length of a tag: 22 base64 characters and the quotes.
const etagLen = 24

func appendETag(b, body []byte) []byte {
	sum := sha256.Sum256(body)
	b = append(b, '"')
	b = base64.RawURLEncoding.AppendEncode(b, sum[:16])
	return append(b, '"')
}

// Row writes row as the JSON response with status and its ETag: what
// generated handlers answer with one row (GET, PUT and PATCH of a key, and
// a POST that creates one row). A client sends the tag back in If-Match to
// write the row only if it has not changed since (see IfMatch).
func (a *API) Row(w http.ResponseWriter, status int, row Marshaler) {
	writeJSON(w, status, row, true)
}

// Precondition is the If-Match header of a write: the entity tags one of
// which the row's current ETag must be.
type Precondition struct {
	header []string // the header's field lines, as received
}

// IfMatch returns the If-Match precondition of a write request (PUT,
// PATCH, DELETE), or nil when the write need not read the row first:
// without If-Match, and with If-Match: *, which every existing row
// matches. A missing row is a 404 either way: RFC 9110 (13.2.1) puts the
// failures a request meets without its preconditions before them.
func IfMatch(r *http.Request) *Precondition {
	lines := r.Header["If-Match"]
	if len(lines) == 0 {
		return nil
	}
	p := &Precondition{header: lines}
	if p.any() {
		return nil
	}
	return p
}

// RequireIfMatch is IfMatch for resources that take no blind writes
// (require_if_match in crudgen.yaml): a request without If-Match is a 428
// problem located at ["header", "If-Match"].
func RequireIfMatch(r *http.Request) (*Precondition, error) {
	if len(r.Header["If-Match"]) == 0 {
		return nil, NewProblem(http.StatusPreconditionRequired,
			"Writes of this resource need If-Match with the row's ETag, as a GET answered it.",
			FieldError{Loc: []any{"header", "If-Match"}, Code: CodeRequired, Message: "is required"})
	}
	return IfMatch(r), nil
}

// Check returns nil when the ETag of row, the current row read FOR UPDATE
// in the write's transaction, is one of p's tags, and a 412 problem
// otherwise. Tags compare strongly: a weak tag (W/"...") never matches. A
// nil Precondition holds for every row.
func (p *Precondition) Check(row Marshaler) error {
	if p == nil {
		return nil
	}
	bp := jsonBufferPool.Get().(*[]byte)
	body := row.AppendJSON((*bp)[:0])
	var b [etagLen]byte
	tag := appendETag(b[:0], body)
	if cap(body) <= jsonMaxPooledBuffer {
		*bp = body
		jsonBufferPool.Put(bp)
	}
	if p.matches(string(tag)) {
		return nil
	}
	return NewProblem(http.StatusPreconditionFailed,
		"The row has changed since the ETag in If-Match was read: read it again and retry with its new ETag.")
}

// any reports whether the header is *, or holds it in a list.
func (p *Precondition) any() bool {
	found := false
	p.each(func(tag string, weak bool) bool {
		found = tag == "*"
		return !found
	})
	return found
}

// matches reports whether one of p's strong tags equals etag.
func (p *Precondition) matches(etag string) bool {
	found := false
	p.each(func(tag string, weak bool) bool {
		found = !weak && tag == etag
		return !found
	})
	return found
}

// each calls f with each member of the header's lists (RFC 9110: "*" or
// entity tags, quotes included, with weak ones flagged) until f returns
// false. A line stops at the first member that is neither: what follows
// cannot be told apart reliably, and it matches nothing.
func (p *Precondition) each(f func(tag string, weak bool) bool) {
	for _, line := range p.header {
		for i := 0; i < len(line); {
			switch c := line[i]; {
			case c == ' ' || c == '\t' || c == ',':
				i++
				continue
			case c == '*':
				if !f("*", false) {
					return
				}
				i++
				continue
			}
			weak := false
			if len(line)-i >= 2 && line[i] == 'W' && line[i+1] == '/' {
				weak = true
				i += 2
			}
			if i >= len(line) || line[i] != '"' {
				break // not an entity tag
			}
			end := i + 1
			for end < len(line) && line[end] != '"' {
				end++
			}
			if end == len(line) {
				break // no closing quote
			}
			if !f(line[i:end+1], weak) {
				return
			}
			i = end + 1
		}
	}
}
