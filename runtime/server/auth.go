package server

import (
	"bufio"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/crudgen/crudgen/runtime"
)

// Token is a bearer token a client may present.
type Token struct {
	Name   string // who holds it, the principal's subject
	Secret string
	Write  bool // read-write; read-only tokens may only GET
}

// ReadTokens reads a token file: one token per line, "read NAME SECRET"
// or "write NAME SECRET"; blank lines and lines starting with # are
// skipped.
func ReadTokens(path string) ([]Token, error) {
	f, err := os.Open(path) // #nosec G304 G703 -- the operator's AUTH_TOKENS_FILE
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var tokens []Token
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 3 || fields[0] != "read" && fields[0] != "write" {
			return nil, fmt.Errorf("%s:%d: want `read|write NAME SECRET`", path, n)
		}
		if len(fields[2]) < 16 {
			return nil, fmt.Errorf("%s:%d: the secret of %s is shorter than 16 characters", path, n, fields[1])
		}
		tokens = append(tokens, Token{Name: fields[1], Secret: fields[2], Write: fields[0] == "write"})
	}
	return tokens, sc.Err()
}

// principalGrant is what valid credentials allow.
type principalGrant struct {
	subject string
	write   bool
	claims  map[string]any
}

// authenticator checks the bearer credentials of API requests: the
// static tokens, then JWTs when configured.
type authenticator struct {
	tokens []Token
	jwt    *jwtVerifier
	api    *runtime.API
	logger *slog.Logger
	// public says a request needs no credentials: the API's document and
	// explorer, which hold no data.
	public func(*http.Request) bool
}

func (a *authenticator) enabled() bool { return len(a.tokens) > 0 || a.jwt != nil }

// check finds the grant of the request's credentials.
func (a *authenticator) check(r *http.Request) (*principalGrant, *authError) {
	scheme, secret, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	secret = strings.TrimSpace(secret)
	if !strings.EqualFold(scheme, "Bearer") || secret == "" {
		return nil, &authError{detail: "Send a valid token: Authorization: Bearer <token>."}
	}
	var found *Token
	for i := range a.tokens {
		// Every token is compared, in constant time each, so the time
		// taken tells nothing about any of them.
		if subtle.ConstantTimeCompare([]byte(a.tokens[i].Secret), []byte(secret)) == 1 {
			found = &a.tokens[i]
		}
	}
	if found != nil {
		return &principalGrant{subject: found.Name, write: found.Write}, nil
	}
	if a.jwt != nil {
		return a.jwt.verify(secret, time.Now())
	}
	return nil, &authError{detail: "The token is not valid."}
}

// middleware authenticates requests: no or an invalid credential is a
// 401 with WWW-Authenticate, a read-only one on a write a 403. The
// principal goes into the context for hooks.
func (a *authenticator) middleware(next http.Handler) http.Handler {
	if !a.enabled() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.public(r) {
			next.ServeHTTP(w, r)
			return
		}
		grant, refused := a.check(r)
		if refused == nil && !grant.write && !readOnly(r.Method) {
			refused = &authError{forbidden: true, detail: "This token may only read."}
		}
		if refused != nil {
			a.refuse(w, r, refused)
			return
		}
		p := &runtime.Principal{Subject: grant.subject, Write: grant.write, Claims: grant.claims}
		next.ServeHTTP(w, r.WithContext(runtime.WithPrincipal(r.Context(), p)))
	})
}

// refuse writes the 401 or 403 problem with its RFC 6750 challenge.
func (a *authenticator) refuse(w http.ResponseWriter, r *http.Request, e *authError) {
	status, challenge := http.StatusUnauthorized, `Bearer realm="api"`
	switch {
	case e.forbidden:
		status, challenge = http.StatusForbidden, challenge+`, error="insufficient_scope"`
	case r.Header.Get("Authorization") != "":
		challenge += `, error="invalid_token"`
	}
	a.logger.LogAttrs(r.Context(), slog.LevelInfo, "credentials refused",
		slog.Int("status", status), slog.String("reason", e.detail))
	p := runtime.NewProblem(status, e.detail)
	p.Header = http.Header{"WWW-Authenticate": {challenge}}
	a.api.Problem(w, r, p)
}

func readOnly(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}
