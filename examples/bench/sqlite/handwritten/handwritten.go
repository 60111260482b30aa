// Package handwritten is the baseline crudgen's generated SQLite server is
// measured against: the items API of ../schema.sql as a careful engineer
// writes it by hand with chi, database/sql on modernc.org/sqlite (the
// driver the generated code runs on) and encoding/json, without
// middleware.
package handwritten

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Item is a row of items.
type Item struct {
	ID          int64           `json:"id"`
	SKU         string          `json:"sku"`
	Name        string          `json:"name"`
	Description *string         `json:"description"`
	Price       float64         `json:"price"`
	Quantity    int64           `json:"quantity"`
	Status      string          `json:"status"`
	Tags        json.RawMessage `json:"tags"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   *time.Time      `json:"updated_at"`
}

const columns = `id, sku, name, description, price, quantity, status, tags, created_at, updated_at`

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// scanItem reads a row of columns; tags, stored as JSON text, is served
// as it is.
func scanItem(s scanner, it *Item) error {
	return s.Scan(&it.ID, &it.SKU, &it.Name, &it.Description, &it.Price, &it.Quantity, &it.Status, (*[]byte)(&it.Tags), &it.CreatedAt, &it.UpdatedAt)
}

// createItem is the body of POST /items.
type createItem struct {
	SKU         string      `json:"sku"`
	Name        string      `json:"name"`
	Description *string     `json:"description"`
	Price       json.Number `json:"price"`
	Quantity    *int64      `json:"quantity"`
	Status      *string     `json:"status"`
	Tags        []string    `json:"tags"`
}

// patchItem is the body of PATCH /items/{id}: nil fields stay as they are.
type patchItem struct {
	Name        *string      `json:"name"`
	Description *string      `json:"description"`
	Price       *json.Number `json:"price"`
	Quantity    *int64       `json:"quantity"`
	Status      *string      `json:"status"`
	Tags        []string     `json:"tags"`
}

// Open opens the database file at path with WAL (reads do not wait for
// writes), a 5 s busy timeout and foreign keys, keeping up to conns
// connections open.
func Open(path string, conns int) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+
		"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	return db, nil
}

// Server serves the items API over a database.
type Server struct {
	db *sql.DB
}

// NewRouter returns the items API.
func NewRouter(db *sql.DB) http.Handler {
	s := &Server{db: db}
	r := chi.NewRouter()
	r.Get("/items", s.list)
	r.Post("/items", s.create)
	r.Get("/items/{id}", s.get)
	r.Patch("/items/{id}", s.patch)
	r.Delete("/items/{id}", s.delete)
	return r
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "id must be an integer")
		return
	}
	var item Item
	err = scanItem(s.db.QueryRowContext(r.Context(), `SELECT `+columns+` FROM items WHERE id = ?`, id), &item)
	if err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, item)
}

// list answers GET /items?status=&min_price=&max_price=&sort=&limit=&offset=.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var where []string
	var args []any
	if v := q.Get("status"); v != "" {
		if v != "active" && v != "discontinued" {
			writeError(w, http.StatusBadRequest, "status must be active or discontinued")
			return
		}
		args = append(args, v)
		where = append(where, "status = ?")
	}
	for param, op := range map[string]string{"min_price": ">=", "max_price": "<="} {
		if v := q.Get(param); v != "" {
			p, err := strconv.ParseFloat(v, 64)
			if err != nil {
				writeError(w, http.StatusBadRequest, param+" must be a number")
				return
			}
			args = append(args, p)
			where = append(where, "price "+op+" ?")
		}
	}
	order := "id"
	switch q.Get("sort") {
	case "", "id":
	case "price":
		order = "price, id"
	case "-price":
		order = "price DESC, id"
	case "name":
		order = "name, id"
	default:
		writeError(w, http.StatusBadRequest, "sort must be id, price, -price or name")
		return
	}
	limit, offset := 20, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeError(w, http.StatusBadRequest, "limit must be 1 to 100")
			return
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "offset must be 0 or more")
			return
		}
		offset = n
	}
	query := `SELECT ` + columns + ` FROM items`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += fmt.Sprintf(` ORDER BY %s LIMIT %d OFFSET %d`, order, limit, offset) // #nosec G202 -- a fixed order and two integers
	rows, err := s.db.QueryContext(r.Context(), query, args...)                   // #nosec G701 -- fixed SQL text; the values are parameters
	if err != nil {
		s.fail(w, err)
		return
	}
	defer rows.Close()
	items := []Item{}
	for rows.Next() {
		var item Item
		if err := scanItem(rows, &item); err != nil {
			s.fail(w, err)
			return
		}
		items = append(items, item)
	}
	if err := rows.Err(); err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	var in createItem
	if !decode(w, r, &in) {
		return
	}
	if msg := in.validate(); msg != "" {
		writeError(w, http.StatusUnprocessableEntity, msg)
		return
	}
	price, _ := in.Price.Float64() // validated
	quantity, status, tags := int64(0), "active", []string{}
	if in.Quantity != nil {
		quantity = *in.Quantity
	}
	if in.Status != nil {
		status = *in.Status
	}
	if in.Tags != nil {
		tags = in.Tags
	}
	tagsJSON, err := json.Marshal(tags)
	if err != nil {
		s.fail(w, err)
		return
	}
	var item Item
	err = scanItem(s.db.QueryRowContext(r.Context(), `INSERT INTO items (sku, name, description, price, quantity, status, tags)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING `+columns,
		in.SKU, in.Name, in.Description, price, quantity, status, string(tagsJSON)), &item)
	if err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/items/%d", item.ID))
	writeJSON(w, http.StatusCreated, item)
}

func (in *createItem) validate() string {
	switch {
	case in.SKU == "" || len(in.SKU) > 32:
		return "sku is required, at most 32 characters"
	case in.Name == "":
		return "name is required"
	case in.Price == "":
		return "price is required"
	}
	if p, err := in.Price.Float64(); err != nil || p < 0 {
		return "price must be a number, 0 or more"
	}
	if in.Status != nil && *in.Status != "active" && *in.Status != "discontinued" {
		return "status must be active or discontinued"
	}
	return ""
}

func (s *Server) patch(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "id must be an integer")
		return
	}
	var in patchItem
	if !decode(w, r, &in) {
		return
	}
	var sets []string
	var args []any
	set := func(column string, value any) {
		args = append(args, value)
		sets = append(sets, column+" = ?")
	}
	if in.Name != nil {
		set("name", *in.Name)
	}
	if in.Description != nil {
		set("description", *in.Description)
	}
	if in.Price != nil {
		p, err := in.Price.Float64()
		if err != nil || p < 0 {
			writeError(w, http.StatusUnprocessableEntity, "price must be a number, 0 or more")
			return
		}
		set("price", p)
	}
	if in.Quantity != nil {
		set("quantity", *in.Quantity)
	}
	if in.Status != nil {
		if *in.Status != "active" && *in.Status != "discontinued" {
			writeError(w, http.StatusUnprocessableEntity, "status must be active or discontinued")
			return
		}
		set("status", *in.Status)
	}
	if in.Tags != nil {
		tags, err := json.Marshal(in.Tags)
		if err != nil {
			s.fail(w, err)
			return
		}
		set("tags", string(tags))
	}
	sets = append(sets, "updated_at = CURRENT_TIMESTAMP")
	args = append(args, id)
	query := `UPDATE items SET ` + strings.Join(sets, ", ") + ` WHERE id = ? RETURNING ` + columns
	var item Item
	if err := scanItem(s.db.QueryRowContext(r.Context(), query, args...), &item); err != nil {
		s.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, item)
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "id must be an integer")
		return
	}
	res, err := s.db.ExecContext(r.Context(), `DELETE FROM items WHERE id = ?`, id)
	if err != nil {
		s.fail(w, err)
		return
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		writeError(w, http.StatusNotFound, "item not found")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// fail maps a database error to a status.
func (s *Server) fail(w http.ResponseWriter, err error) {
	if errors.Is(err, sql.ErrNoRows) {
		writeError(w, http.StatusNotFound, "item not found")
		return
	}
	var sqliteErr *sqlite.Error
	if errors.As(err, &sqliteErr) {
		switch sqliteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE:
			writeError(w, http.StatusConflict, "an item with this sku exists")
			return
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			writeError(w, http.StatusUnprocessableEntity, sqliteErr.Error())
			return
		case sqlite3.SQLITE_BUSY:
			writeError(w, http.StatusServiceUnavailable, "the database is busy")
			return
		}
	}
	writeError(w, http.StatusInternalServerError, "internal error")
}

// decode reads a JSON body of at most 1 MiB into v, or answers 400.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "invalid JSON body: "+err.Error())
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
