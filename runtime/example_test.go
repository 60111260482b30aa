package runtime_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/crudgen/crudgen/runtime"
	_ "github.com/crudgen/crudgen/runtime/postgres" // reads pgx's errors for API.Error
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Album is a row of albums, CreateAlbum the body of POST /albums, as crudgen
// generates them (no reflection).
type Album struct {
	ID    int64
	Title string
}

func (a Album) AppendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = runtime.AppendInt(b, a.ID)
	b = append(b, `,"title":`...)
	b = runtime.AppendString(b, a.Title)
	return append(b, '}')
}

type CreateAlbum struct{ Title string }

func (c *CreateAlbum) DecodeJSON(d *runtime.Decoder) {
	var title bool
	ok := d.Object(func(key string) {
		switch key {
		case "title":
			title = true
			d.String(&c.Title)
		default:
			d.Unknown()
		}
	})
	if ok && !title {
		d.Required("title")
	}
}

// Validate checks what the schema says: title varchar(20) NOT NULL.
func (c *CreateAlbum) Validate() error {
	var errs runtime.FieldErrors
	if utf8.RuneCountInString(c.Title) > 20 {
		errs.Add(runtime.CodeMaxLength, "must be at most 20 characters", "body", "title")
	}
	return errs.Err()
}

// albumsTable tells API.Error how the database's errors map to fields.
var albumsTable = runtime.Table{
	Name:    "albums",
	Columns: map[string]string{"id": "id", "title": "title"},
	Constraints: map[string]runtime.Constraint{
		"albums_pkey":      {Kind: runtime.ConstraintPrimaryKey, Fields: []string{"id"}},
		"albums_title_key": {Kind: runtime.ConstraintUnique, Fields: []string{"title"}},
	},
}

// albumStore stands in for the generated store over PostgreSQL: it fails
// the way pgx does.
type albumStore struct {
	mu   sync.Mutex
	rows []Album
}

func (s *albumStore) Create(_ context.Context, req CreateAlbum) (Album, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.rows {
		if a.Title == req.Title {
			return Album{}, fmt.Errorf("albums: create: %w", &pgconn.PgError{
				Code: "23505", Message: `duplicate key value violates unique constraint "albums_title_key"`,
				TableName: "albums", ConstraintName: "albums_title_key",
			})
		}
	}
	a := Album{ID: int64(len(s.rows) + 1), Title: req.Title}
	s.rows = append(s.rows, a)
	return a, nil
}

func (s *albumStore) Get(_ context.Context, id string) (Album, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.rows {
		if fmt.Sprint(a.ID) == id {
			return a, nil
		}
	}
	return Album{}, fmt.Errorf("albums: get: %w", runtime.ErrNotFound)
}

// albumHandler has the shape of every generated handler: decode, validate,
// store, encode, and every error to API.Error.
type albumHandler struct {
	api   *runtime.API
	store *albumStore
}

func (h *albumHandler) create(w http.ResponseWriter, r *http.Request) {
	var req CreateAlbum
	if err := h.api.Decode(r, &req); err != nil {
		h.api.Error(w, r, err, &albumsTable)
		return
	}
	if err := req.Validate(); err != nil {
		h.api.Error(w, r, err, &albumsTable)
		return
	}
	row, err := h.store.Create(r.Context(), req)
	if err != nil {
		h.api.Error(w, r, err, &albumsTable)
		return
	}
	w.Header().Set("Location", runtime.Location(r, runtime.KeyString(row.ID)))
	h.api.JSON(w, http.StatusCreated, row)
}

func (h *albumHandler) get(w http.ResponseWriter, r *http.Request) {
	row, err := h.store.Get(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		h.api.Error(w, r, err, &albumsTable)
		return
	}
	h.api.JSON(w, http.StatusOK, row)
}

func Example() {
	api := &runtime.API{}
	h := &albumHandler{api: api, store: &albumStore{}}

	r := chi.NewRouter()
	r.Use(api.Recover)
	r.NotFound(api.NotFound())
	r.MethodNotAllowed(api.MethodNotAllowed())
	r.Route("/albums", func(r chi.Router) {
		r.Post("/", h.create)
		r.Get("/{id}", h.get)
	})

	do := func(method, target, body string) {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		fmt.Println(strings.TrimSpace(fmt.Sprintln(method, target, "→", rec.Code, rec.Header().Get("Location")+rec.Header().Get("Allow"))))
		fmt.Println(rec.Body.String())
	}
	do("POST", "/albums", `{"title": "Blue Train"}`)
	do("POST", "/albums", `{"title": "A Love Supreme, Part I: Acknowledgement"}`)
	do("POST", "/albums", `{"title": "Blue Train"}`)
	do("GET", "/albums/2", ``)
	do("DELETE", "/albums/1", ``)
	// Output:
	// POST /albums → 201 /albums/1
	// {"id":1,"title":"Blue Train"}
	// POST /albums → 422
	// {"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"The request is invalid.","instance":"/albums","errors":[{"loc":["body","title"],"code":"max_length","message":"must be at most 20 characters"}]}
	// POST /albums → 409
	// {"type":"about:blank","title":"Conflict","status":409,"detail":"The request conflicts with an existing row.","instance":"/albums","errors":[{"loc":["body","title"],"code":"unique","message":"must be unique"}]}
	// GET /albums/2 → 404
	// {"type":"about:blank","title":"Not Found","status":404,"detail":"The requested albums row does not exist.","instance":"/albums/2"}
	// DELETE /albums/1 → 405 GET
	// {"type":"about:blank","title":"Method Not Allowed","status":405,"detail":"The method DELETE is not allowed for this resource.","instance":"/albums/1"}
}
