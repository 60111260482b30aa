package model

import (
	"github.com/crudgen/crudgen/generator/usercode"
)

// Hooks are the methods of the user's <Row>Hooks type that the generated
// handler calls. The type is declared in a file of the generated package
// without crudgen's header, so regeneration never touches it; its zero
// value is what the router uses.
type Hooks struct {
	Type string // PostHooks
	// Methods are the hooks the type has, in hookMethods' order.
	Methods []string
	// Authorize(ctx, op string) error: refuse an operation (403).
	Authorize bool
	// Scope(ctx) (runtime.Scope, error): the rows a request may see.
	Scope bool
	// ValidateCreate/Update/Patch(ctx, req) error: extra 422s.
	ValidateCreate, ValidateUpdate, ValidatePatch bool
	// Before/After Create, Update, Delete: inside the write's transaction.
	BeforeCreate, AfterCreate bool
	BeforeUpdate, AfterUpdate bool
	BeforeDelete, AfterDelete bool
	// Routes(r chi.Router): routes of the user's own under the resource.
	Routes bool
}

// hookMethods are the method names the generated code knows.
var hookMethods = []string{"Authorize", "Scope", "ValidateCreate", "ValidateUpdate", "ValidatePatch",
	"BeforeCreate", "AfterCreate", "BeforeUpdate", "AfterUpdate", "BeforeDelete", "AfterDelete", "Routes"}

// hooksOf finds the resource's hook type in the user's code.
func hooksOf(code *usercode.Code, r *Resource) *Hooks {
	typ := r.GoName + "Hooks"
	if !code.Has(typ) {
		return nil
	}
	has := func(m string) bool { return code.HasMethod(typ, m) }
	var methods []string
	for _, m := range hookMethods {
		if has(m) {
			methods = append(methods, m)
		}
	}
	return &Hooks{
		Type: typ, Methods: methods, Authorize: has("Authorize"), Scope: has("Scope"),
		ValidateCreate: has("ValidateCreate"), ValidateUpdate: has("ValidateUpdate"), ValidatePatch: has("ValidatePatch"),
		BeforeCreate: has("BeforeCreate"), AfterCreate: has("AfterCreate"),
		BeforeUpdate: has("BeforeUpdate"), AfterUpdate: has("AfterUpdate"),
		BeforeDelete: has("BeforeDelete"), AfterDelete: has("AfterDelete"),
		Routes: has("Routes"),
	}
}

// Guards says whether the hooks authorize or scope requests.
func (h *Hooks) Guards() bool { return h != nil && (h.Authorize || h.Scope) }

// CreateTx, UpdateTx and DeleteTx say whether the write runs in a
// transaction with hooks around it.
func (h *Hooks) CreateTx() bool { return h != nil && (h.BeforeCreate || h.AfterCreate) }
func (h *Hooks) UpdateTx() bool { return h != nil && (h.BeforeUpdate || h.AfterUpdate) }
func (h *Hooks) DeleteTx() bool { return h != nil && (h.BeforeDelete || h.AfterDelete) }
