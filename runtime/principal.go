package runtime

import "context"

// Principal is who a request comes from, as authentication found it:
// hooks read it from the context to authorize and scope.
type Principal struct {
	// Subject names the caller: a token's name, a JWT's sub.
	Subject string
	// Write says the caller may change data; read-only callers may only
	// GET.
	Write bool
	// Claims holds what a JWT said, when the caller presented one.
	Claims map[string]any
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the request's principal, if authentication is on.
func PrincipalFrom(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(*Principal)
	return p, ok && p != nil
}
