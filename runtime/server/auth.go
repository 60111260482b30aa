package server

import (
	"bufio"
	"crypto/subtle"
	"fmt"
	"net/http"
	"os"
	"strings"

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
	f, err := os.Open(path)
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

// bearer authenticates requests with tokens: no or an unknown token is a
// 401 with WWW-Authenticate, a read-only token on a write a 403. The
// principal goes into the context for hooks.
func bearer(tokens []Token, api *runtime.API, next http.Handler) http.Handler {
	if len(tokens) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, secret, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		var found *Token
		if strings.EqualFold(scheme, "Bearer") && secret != "" {
			for i := range tokens {
				// Every token is compared, in constant time each, so the
				// time taken tells nothing about any of them.
				if subtle.ConstantTimeCompare([]byte(tokens[i].Secret), []byte(secret)) == 1 {
					found = &tokens[i]
				}
			}
		}
		switch {
		case found == nil:
			p := runtime.NewProblem(http.StatusUnauthorized, "Send a valid token: Authorization: Bearer <token>.")
			challenge := `Bearer realm="api"`
			if secret != "" {
				challenge += `, error="invalid_token"`
			}
			p.Header = http.Header{"WWW-Authenticate": {challenge}}
			api.Problem(w, r, p)
			return
		case !found.Write && r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions:
			p := runtime.NewProblem(http.StatusForbidden, "This token may only read.")
			p.Header = http.Header{"WWW-Authenticate": {`Bearer realm="api", error="insufficient_scope"`}}
			api.Problem(w, r, p)
			return
		}
		next.ServeHTTP(w, r.WithContext(runtime.WithPrincipal(r.Context(), &runtime.Principal{Subject: found.Name, Write: found.Write})))
	})
}
