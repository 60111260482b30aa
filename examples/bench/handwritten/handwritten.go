// Package handwritten is the baseline crudgen's generated server is
// measured against: the items API of ../schema.sql as a careful engineer
// writes it by hand with chi, a pgx pool, encoding/json and
// pgx.RowToStructByName, without middleware.
package handwritten

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Item is a row of items.
type Item struct {
	ID          int64          `json:"id" db:"id"`
	SKU         string         `json:"sku" db:"sku"`
	Name        string         `json:"name" db:"name"`
	Description *string        `json:"description" db:"description"`
	Price       pgtype.Numeric `json:"price" db:"price"`
	Quantity    int32          `json:"quantity" db:"quantity"`
	Status      string         `json:"status" db:"status"`
	Tags        []string       `json:"tags" db:"tags"`
	CreatedAt   time.Time      `json:"created_at" db:"created_at"`
	UpdatedAt   *time.Time     `json:"updated_at" db:"updated_at"`
}

const columns = `id, sku, name, description, price, quantity, status::text AS status, tags, created_at, updated_at`

// createItem is the body of POST /items.
type createItem struct {
	SKU         string      `json:"sku"`
	Name        string      `json:"name"`
	Description *string     `json:"description"`
	Price       json.Number `json:"price"`
	Quantity    *int32      `json:"quantity"`
	Status      *string     `json:"status"`
	Tags        []string    `json:"tags"`
}

// patchItem is the body of PATCH /items/{id}: nil fields stay as they are.
type patchItem struct {
	Name        *string      `json:"name"`
	Description *string      `json:"description"`
	Price       *json.Number `json:"price"`
	Quantity    *int32       `json:"quantity"`
	Status      *string      `json:"status"`
	Tags        []string     `json:"tags"`
}

// Server serves the items API over a pool.
type Server struct {
	db *pgxpool.Pool
}

// NewRouter returns the items API.
func NewRouter(db *pgxpool.Pool) http.Handler {
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
	rows, _ := s.db.Query(r.Context(), `SELECT `+columns+` FROM items WHERE id = $1`, id)
	item, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Item])
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
		where = append(where, fmt.Sprintf("status = $%d", len(args)))
	}
	for param, op := range map[string]string{"min_price": ">=", "max_price": "<="} {
		if v := q.Get(param); v != "" {
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				writeError(w, http.StatusBadRequest, param+" must be a number")
				return
			}
			args = append(args, v)
			where = append(where, fmt.Sprintf("price %s $%d::numeric", op, len(args)))
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
	sql := `SELECT ` + columns + ` FROM items`
	if len(where) > 0 {
		sql += ` WHERE ` + strings.Join(where, " AND ")
	}
	sql += fmt.Sprintf(` ORDER BY %s LIMIT %d OFFSET %d`, order, limit, offset)
	rows, _ := s.db.Query(r.Context(), sql, args...)
	items, err := pgx.CollectRows(rows, pgx.RowToStructByName[Item])
	if err != nil {
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
	quantity, status, tags := int32(0), "active", []string{}
	if in.Quantity != nil {
		quantity = *in.Quantity
	}
	if in.Status != nil {
		status = *in.Status
	}
	if in.Tags != nil {
		tags = in.Tags
	}
	rows, _ := s.db.Query(r.Context(), `INSERT INTO items (sku, name, description, price, quantity, status, tags)
		VALUES ($1, $2, $3, $4::numeric, $5, $6::item_status, $7) RETURNING `+columns,
		in.SKU, in.Name, in.Description, in.Price.String(), quantity, status, tags)
	item, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Item])
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
		sets = append(sets, fmt.Sprintf("%s = $%d", column, len(args)))
	}
	if in.Name != nil {
		set("name", *in.Name)
	}
	if in.Description != nil {
		set("description", *in.Description)
	}
	if in.Price != nil {
		if p, err := in.Price.Float64(); err != nil || p < 0 {
			writeError(w, http.StatusUnprocessableEntity, "price must be a number, 0 or more")
			return
		}
		args = append(args, in.Price.String())
		sets = append(sets, fmt.Sprintf("price = $%d::numeric", len(args)))
	}
	if in.Quantity != nil {
		set("quantity", *in.Quantity)
	}
	if in.Status != nil {
		if *in.Status != "active" && *in.Status != "discontinued" {
			writeError(w, http.StatusUnprocessableEntity, "status must be active or discontinued")
			return
		}
		args = append(args, *in.Status)
		sets = append(sets, fmt.Sprintf("status = $%d::item_status", len(args)))
	}
	if in.Tags != nil {
		set("tags", in.Tags)
	}
	sets = append(sets, "updated_at = now()")
	args = append(args, id)
	sql := fmt.Sprintf(`UPDATE items SET %s WHERE id = $%d RETURNING `+columns, strings.Join(sets, ", "), len(args))
	rows, _ := s.db.Query(r.Context(), sql, args...)
	item, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Item])
	if err != nil {
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
	tag, err := s.db.Exec(r.Context(), `DELETE FROM items WHERE id = $1`, id)
	if err != nil {
		s.fail(w, err)
		return
	}
	if tag.RowsAffected() == 0 {
		writeError(w, http.StatusNotFound, "item not found")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// fail maps a database error to a status.
func (s *Server) fail(w http.ResponseWriter, err error) {
	if errors.Is(err, pgx.ErrNoRows) {
		writeError(w, http.StatusNotFound, "item not found")
		return
	}
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok {
		switch pgErr.Code {
		case "23505":
			writeError(w, http.StatusConflict, "an item with this sku exists")
			return
		case "23514", "22003":
			writeError(w, http.StatusUnprocessableEntity, pgErr.Message)
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
