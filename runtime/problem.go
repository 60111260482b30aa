package runtime

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Problem is an RFC 9457 problem detail, the body of every error response
// of a generated API (Content-Type application/problem+json).
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`

	// Header holds response headers that go with the problem, such as
	// Allow for 405 and Retry-After for 503.
	Header http.Header `json:"-"`
}

// Error makes a Problem usable as an error, so hooks and stores can return
// one and have it written as is.
func (p *Problem) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s", p.Status, p.Title)
	if p.Detail != "" {
		b.WriteString(": " + p.Detail)
	}
	for _, e := range p.Errors {
		b.WriteString("; " + e.String())
	}
	return b.String()
}

// NewProblem returns a problem with the standard title of status.
func NewProblem(status int, detail string, errs ...FieldError) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail, Errors: errs}
}

// Invalid returns a 422 problem listing what is wrong with the request.
func Invalid(errs ...FieldError) *Problem {
	return NewProblem(http.StatusUnprocessableEntity, "The request is invalid.", errs...)
}

// FieldError locates one problem in a request: loc starts with "body",
// "query", "path" or "header", then field names (strings) and array
// indexes (ints).
type FieldError struct {
	Loc     []any  `json:"loc"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e FieldError) String() string {
	parts := make([]string, len(e.Loc))
	for i, l := range e.Loc {
		switch v := l.(type) {
		case int:
			parts[i] = strconv.Itoa(v)
		default:
			parts[i] = fmt.Sprint(v)
		}
	}
	return strings.Join(parts, ".") + ": " + e.Message + " (" + e.Code + ")"
}

// Error codes of FieldError.
const (
	CodeRequired      = "required"
	CodeType          = "type"
	CodeReadOnly      = "read_only"
	CodeUnknownField  = "unknown_field"
	CodeMaxLength     = "max_length"
	CodeMinLength     = "min_length"
	CodeEnum          = "enum"
	CodePattern       = "pattern"
	CodeMinimum       = "minimum"
	CodeMaximum       = "maximum"
	CodeCheck         = "check"
	CodeUnique        = "unique"
	CodeForeignKey    = "foreign_key"
	CodeReferenced    = "referenced"
	CodeFormat        = "format"
	CodeInvalidCursor = "invalid_cursor"
)

// FieldErrors collects the problems of one request.
type FieldErrors []FieldError

// Add records a problem at loc.
//
// loc is copied, so that a caller's location does not escape to the heap
// when nothing is wrong, which is the usual case.
func (e *FieldErrors) Add(code, message string, loc ...any) {
	*e = append(*e, FieldError{Loc: slices.Clone(loc), Code: code, Message: message})
}

// Err returns the errors as a 422 problem, or nil when there are none.
func (e FieldErrors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return Invalid(e...)
}
