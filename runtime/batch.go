package runtime

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// MaxBatchRows caps the rows of one bulk create.
const MaxBatchRows = 1000

// maxParams is PostgreSQL's limit on the parameters of one statement.
const maxParams = 65535

// CreateRequest is what generated create request types implement.
type CreateRequest[T any] interface {
	*T
	Decodable
	Validate() error
}

// DecodeCreate reads the body of a POST: one object, or an array of them
// (a bulk create, reported by many). Errors of the elements of an array
// are located at their index: ["body", 3, "email"]. Each request is
// validated too, so a bulk create is rejected whole when any row is
// invalid. fields is how many columns a request can carry at most, which
// bounds the rows of one statement.
func DecodeCreate[T any, P CreateRequest[T]](a *API, r *http.Request, fields int) (reqs []T, many bool, err error) {
	limit := MaxBatchRows
	if fields > 0 {
		limit = min(limit, maxParams/fields)
	}
	err = a.Decode(r, decodeFunc(func(d *Decoder) {
		if d.Peek() != KindArray {
			reqs = make([]T, 1)
			P(&reqs[0]).DecodeJSON(d)
			return
		}
		many = true
		d.Array(func(i int) {
			if i >= limit {
				if i == limit {
					d.Fail(CodeMaximum, fmt.Sprintf("a bulk create holds at most %d rows", limit))
				}
				d.Skip()
				return
			}
			reqs = append(reqs, *new(T))
			P(&reqs[len(reqs)-1]).DecodeJSON(d)
		})
	}))
	if err != nil {
		return nil, many, err
	}
	if !many {
		return reqs, false, P(&reqs[0]).Validate()
	}
	if len(reqs) == 0 {
		return nil, true, Invalid(FieldError{Loc: []any{"body"}, Code: CodeMinLength, Message: "a bulk create needs at least one row"})
	}
	var errs FieldErrors
	for i := range reqs {
		if err := P(&reqs[i]).Validate(); err != nil {
			var p *Problem
			if !errors.As(relocate(err, i), &p) {
				return nil, true, err
			}
			errs = append(errs, p.Errors...)
		}
	}
	return reqs, true, capErrors(errs).Err()
}

// capErrors keeps the first errors of a bulk request, as many as a
// Decoder reports: a thousand rows of ten bad fields each are not worth a
// problem of ten thousand entries.
func capErrors(errs FieldErrors) FieldErrors {
	return errs[:min(len(errs), jsonMaxFieldErrors)]
}

type decodeFunc func(*Decoder)

func (f decodeFunc) DecodeJSON(d *Decoder) { f(d) }

// relocate puts index i after "body" in the locations of a validation
// error.
func relocate(err error, i int) error {
	var p *Problem
	if err == nil || !errors.As(err, &p) {
		return err
	}
	q := *p
	q.Errors = make([]FieldError, len(p.Errors))
	for j, e := range p.Errors {
		if len(e.Loc) > 0 && e.Loc[0] == "body" {
			e.Loc = append([]any{"body", i}, e.Loc[1:]...)
		}
		q.Errors[j] = e
	}
	return &q
}

// PreferMerge reports whether the request asks for an upsert with
// Prefer: resolution=merge-duplicates.
func PreferMerge(r *http.Request) bool {
	for _, h := range r.Header.Values("Prefer") {
		for pref := range strings.SplitSeq(h, ",") {
			if strings.EqualFold(strings.TrimSpace(pref), "resolution=merge-duplicates") {
				return true
			}
		}
	}
	return false
}

// Rows is a JSON array of rows, each written by Append.
type Rows[T any] struct {
	Items  []T
	Append func(*T, []byte) []byte
}

// AppendJSON appends the array.
func (rs Rows[T]) AppendJSON(b []byte) []byte {
	b = append(b, '[')
	for i := range rs.Items {
		if i > 0 {
			b = append(b, ',')
		}
		b = rs.Append(&rs.Items[i], b)
	}
	return append(b, ']')
}

// ValidateEach runs a validation hook on each request of a create. Its
// errors (runtime.FieldErrors.Err() or a *Problem) are gathered, located
// by index in a bulk create; any other error is returned as it is.
func ValidateEach[T any](reqs []T, many bool, validate func(*T) error) error {
	var errs FieldErrors
	for i := range reqs {
		err := validate(&reqs[i])
		if err == nil {
			continue
		}
		if many {
			err = relocate(err, i)
		}
		var p *Problem
		if !errors.As(err, &p) || p.Status != http.StatusUnprocessableEntity {
			return err
		}
		errs = append(errs, p.Errors...)
	}
	return capErrors(errs).Err()
}
