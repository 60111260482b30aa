package api

// Hand-written: the hooks of projects. crudgen never writes this file;
// the generated handler calls the methods ProjectHooks has. It is the file
// of the PostgreSQL package (../../api/hooks.go) unchanged: hooks that take
// the package's DBTX serve either engine.

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/crudgen/crudgen/runtime"
)

type ctxKey int

const (
	tenantKey ctxKey = iota
	roleKey
)

// WithCaller puts the caller's tenant and role in the context, as an
// authentication middleware would.
func WithCaller(ctx context.Context, tenant, role string) context.Context {
	return context.WithValue(context.WithValue(ctx, tenantKey, tenant), roleKey, role)
}

// tenantOf is the caller's tenant: from WithCaller, or from the tenant
// claim of the JWT runtime/server verified.
func tenantOf(ctx context.Context) string {
	if s, _ := ctx.Value(tenantKey).(string); s != "" {
		return s
	}
	if p, ok := runtime.PrincipalFrom(ctx); ok {
		s, _ := p.Claims["tenant"].(string)
		return s
	}
	return ""
}

// ProjectHooks are the rules of projects.
type ProjectHooks struct{}

// Authorize lets readers only read.
func (ProjectHooks) Authorize(ctx context.Context, op string) error {
	if tenantOf(ctx) == "" {
		return runtime.NewProblem(http.StatusUnauthorized, "Say who you are.")
	}
	if role, _ := ctx.Value(roleKey).(string); role == "reader" && op != "list" && op != "get" {
		return errors.New("readers cannot " + op)
	}
	return nil
}

// Scope keeps each tenant to its own projects.
func (ProjectHooks) Scope(ctx context.Context) (runtime.Scope, error) {
	return runtime.Scope{"tenant_id": tenantOf(ctx)}, nil
}

// ValidateCreate refuses a reserved name.
func (ProjectHooks) ValidateCreate(_ context.Context, req *CreateProjectRequest) error {
	var errs runtime.FieldErrors
	if req.Name == "admin" {
		errs.Add(runtime.CodeCheck, "is reserved", "body", "name")
	}
	return errs.Err()
}

// BeforeCreate files the project under the caller's tenant, whatever the
// body said.
func (ProjectHooks) BeforeCreate(ctx context.Context, _ DBTX, req *CreateProjectRequest) error {
	req.TenantID = tenantOf(ctx)
	return nil
}

// AfterCreate audits the creation in the same transaction; a project
// named "doomed" makes it fail, which undoes the insert.
func (ProjectHooks) AfterCreate(ctx context.Context, tx DBTX, row *Project) error {
	if row.Name == "doomed" {
		return runtime.NewProblem(http.StatusConflict, "Doomed projects are not kept.")
	}
	return audit(ctx, tx, "created", row.ID)
}

// AfterUpdate audits changes.
func (ProjectHooks) AfterUpdate(ctx context.Context, tx DBTX, row *Project) error {
	return audit(ctx, tx, "updated", row.ID)
}

// BeforeDelete refuses to delete a project named "keep".
func (ProjectHooks) BeforeDelete(_ context.Context, _ DBTX, old *Project) error {
	if old.Name == "keep" {
		return runtime.NewProblem(http.StatusConflict, "This project is kept.")
	}
	return nil
}

// AfterDelete audits deletions.
func (ProjectHooks) AfterDelete(ctx context.Context, tx DBTX, old *Project) error {
	return audit(ctx, tx, "deleted", old.ID)
}

// Routes adds a route of the user's own, behind the API's middleware.
func (ProjectHooks) Routes(r chi.Router) {
	r.Get("/-/ping", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"pong":true}`))
	})
	r.Get("/-/panic", func(http.ResponseWriter, *http.Request) { panic("custom route failed") })
}

func audit(ctx context.Context, tx DBTX, event string, project int64) error {
	_, err := tx.Exec(ctx, "INSERT INTO audit (tenant, event, project) VALUES ($1, $2, $3)", tenantOf(ctx), event, project)
	return err
}
