package server

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"github.com/jackc/pgx/v5/pgxpool"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/runtime"
)

// 64 bytes: HS512 needs as many.
const testSecret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// sign makes a compact JWT of claims, signed by key with alg; kid names
// the key in the header when not empty.
func sign(t *testing.T, alg jose.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	t.Helper()
	sk := jose.SigningKey{Algorithm: alg, Key: key}
	if kid != "" {
		sk.Key = jose.JSONWebKey{Key: key, KeyID: kid, Algorithm: string(alg)}
	}
	signer, err := jose.NewSigner(sk, (&jose.SignerOptions{}).WithType("JWT"))
	require.NoError(t, err)
	raw, err := jwt.Signed(signer).Claims(claims).Serialize()
	require.NoError(t, err)
	return raw
}

// claims are a token's claims valid for an hour from now, with scope.
func claims(sub, scope string) map[string]any {
	now := time.Now()
	return map[string]any{"sub": sub, "scope": scope, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
}

// guarded is an API whose handlers record the principal they saw.
type guarded struct {
	http.Handler
	seen *runtime.Principal
}

func newGuarded() *guarded {
	g := &guarded{}
	r := chi.NewRouter()
	handle := func(w http.ResponseWriter, r *http.Request) {
		g.seen, _ = runtime.PrincipalFrom(r.Context())
		w.WriteHeader(http.StatusOK)
	}
	r.Get("/things", handle)
	r.Post("/things", handle)
	r.Get("/things/{id}", handle)
	r.Get("/openapi.json", handle)
	r.Get("/docs", handle)
	r.Get("/docs/*", handle)
	g.Handler = r
	return g
}

// call sends method /path with the token (none when empty) to h.
func call(h http.Handler, method, path, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// problemDetail is the detail of a problem response.
func problemDetail(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
	var p struct{ Detail string }
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	return p.Detail
}

// TestJWTSecret: HMAC-signed tokens, with scopes from each claim form,
// expiry, issuer and audience, and the tokens that must not pass.
func TestJWTSecret(t *testing.T) {
	api := newGuarded()
	h := wrap(t, api.Handler, nil, Config{Logger: slog.New(slog.DiscardHandler), JWT: &JWT{
		Secret: []byte(testSecret), Issuer: "https://issuer.example", Audience: "blog",
	}})
	good := func(sub, scope string) map[string]any {
		c := claims(sub, scope)
		c["iss"], c["aud"] = "https://issuer.example", []string{"blog", "other"}
		return c
	}

	reader := sign(t, jose.HS256, []byte(testSecret), "", good("ann", "profile read"))
	rec := call(h, http.MethodGet, "/things", reader)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.NotNil(t, api.seen)
	assert.Equal(t, "ann", api.seen.Subject)
	assert.False(t, api.seen.Write)
	assert.Equal(t, "profile read", api.seen.Claims["scope"])
	rec = call(h, http.MethodPost, "/things", reader)
	assert.Equal(t, http.StatusForbidden, rec.Code)
	assert.Equal(t, `Bearer realm="api", error="insufficient_scope"`, rec.Header().Get("WWW-Authenticate"))
	assert.Equal(t, "This token may only read.", problemDetail(t, rec))

	// Write comes from scope, scp (string or array), roles or role.
	for name, c := range map[string]map[string]any{
		"scope":       good("bo", "write"),
		"scp string":  {"scp": "admin write"},
		"scp array":   {"scp": []string{"write"}},
		"roles":       {"roles": []string{"viewer", "write"}},
		"role":        {"role": "write"},
		"HS512 token": good("bo", "write"),
	} {
		if _, ok := c["exp"]; !ok {
			base := good("bo", "")
			delete(base, "scope")
			for k, v := range c {
				base[k] = v
			}
			c = base
		}
		alg := jose.HS256
		if name == "HS512 token" {
			alg = jose.HS512
		}
		api.seen = nil
		rec := call(h, http.MethodPost, "/things", sign(t, alg, []byte(testSecret), "", c))
		require.Equal(t, http.StatusOK, rec.Code, "%s: %s", name, rec.Body.String())
		assert.True(t, api.seen.Write, name)
		assert.Equal(t, "bo", api.seen.Subject, name)
	}

	// Each of these is a 401 with invalid_token and says why.
	expired := good("ann", "read")
	expired["exp"] = time.Now().Add(-time.Minute).Unix()
	future := good("ann", "read")
	future["nbf"] = time.Now().Add(time.Hour).Unix()
	noExp := good("ann", "read")
	delete(noExp, "exp")
	otherIss := good("ann", "read")
	otherIss["iss"] = "https://evil.example"
	otherAud := good("ann", "read")
	otherAud["aud"] = "shop"
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	unsigned := strings.Join([]string{
		b64(`{"alg":"none","typ":"JWT"}`), b64(mustJSON(t, good("ann", "write"))), "",
	}, ".")
	tampered := sign(t, jose.HS256, []byte(testSecret), "", good("ann", "read"))
	parts := strings.Split(tampered, ".")
	parts[1] = b64(mustJSON(t, good("ann", "write")))
	for name, tc := range map[string]struct{ token, detail string }{
		"expired":        {sign(t, jose.HS256, []byte(testSecret), "", expired), "The token has expired."},
		"not yet valid":  {sign(t, jose.HS256, []byte(testSecret), "", future), "The token is not valid yet."},
		"no expiry":      {sign(t, jose.HS256, []byte(testSecret), "", noExp), "The token has no expiry (exp)."},
		"other issuer":   {sign(t, jose.HS256, []byte(testSecret), "", otherIss), "The token is from another issuer (iss)."},
		"other audience": {sign(t, jose.HS256, []byte(testSecret), "", otherAud), "The token is for another audience (aud)."},
		"other secret":   {sign(t, jose.HS256, []byte(strings.Repeat("x", 40)), "", good("ann", "read")), "The token's signature does not verify."},
		"alg none":       {unsigned, "The token is not a JWT signed with an accepted algorithm."},
		"RS256 no keys":  {sign(t, jose.RS256, rsaKey, "k1", good("ann", "read")), "The token is not a JWT signed with an accepted algorithm."},
		"tampered":       {strings.Join(parts, "."), "The token's signature does not verify."},
		"not a JWT":      {"definitely-not-a-jwt", "The token is not a JWT signed with an accepted algorithm."},
	} {
		rec := call(h, http.MethodGet, "/things", tc.token)
		require.Equal(t, http.StatusUnauthorized, rec.Code, name)
		assert.Equal(t, `Bearer realm="api", error="invalid_token"`, rec.Header().Get("WWW-Authenticate"), name)
		assert.Equal(t, tc.detail, problemDetail(t, rec), name)
	}
	// Slightly past its expiry, a token still passes: clocks differ.
	skewed := good("ann", "read")
	skewed["exp"] = time.Now().Add(-10 * time.Second).Unix()
	assert.Equal(t, http.StatusOK, call(h, http.MethodGet, "/things", sign(t, jose.HS256, []byte(testSecret), "", skewed)).Code)

	// A valid token without either scope may do nothing.
	rec = call(h, http.MethodGet, "/things", sign(t, jose.HS256, []byte(testSecret), "", good("ann", "profile")))
	assert.Equal(t, http.StatusForbidden, rec.Code)
	assert.Contains(t, problemDetail(t, rec), `neither the "read" nor the "write" scope`)

	// No credentials: a 401 whose challenge has no error.
	rec = call(h, http.MethodGet, "/things", "")
	assert.Equal(t, http.StatusUnauthorized, rec.Code)
	assert.Equal(t, `Bearer realm="api"`, rec.Header().Get("WWW-Authenticate"))
}

// TestJWKSRotation: tokens signed by the keys of a JWKS file, which is
// read again when it changes: a new key works once added, an old one
// stops working once removed, and a broken file keeps the keys before it.
func TestJWKSRotation(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	edPub, edKey, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	public := map[string]jose.JSONWebKey{
		"old": {Key: &rsaKey.PublicKey, KeyID: "old", Algorithm: string(jose.RS256), Use: "sig"},
		"new": {Key: &ecKey.PublicKey, KeyID: "new", Algorithm: string(jose.ES256), Use: "sig"},
		"ed":  {Key: edPub, KeyID: "ed"},
	}
	file := filepath.Join(t.TempDir(), "jwks.json")
	publish := func(kids ...string) {
		t.Helper()
		var set jose.JSONWebKeySet
		for _, kid := range kids {
			set.Keys = append(set.Keys, public[kid])
		}
		require.NoError(t, os.WriteFile(file, []byte(mustJSON(t, set)), 0o600))
	}
	publish("old")
	var logs bytes.Buffer
	api := newGuarded()
	h := wrap(t, api.Handler, nil, Config{Logger: slog.New(slog.NewTextHandler(&logs, nil)), JWT: &JWT{JWKSFile: file}})

	oldToken := sign(t, jose.RS256, rsaKey, "old", claims("svc", "write"))
	newToken := sign(t, jose.ES256, ecKey, "new", claims("svc", "read"))
	edToken := sign(t, jose.EdDSA, edKey, "ed", claims("svc", "read"))
	assert.Equal(t, http.StatusOK, call(h, http.MethodPost, "/things", oldToken).Code)
	assert.Equal(t, "svc", api.seen.Subject)
	assert.Equal(t, http.StatusUnauthorized, call(h, http.MethodGet, "/things", newToken).Code, "the new key is not published yet")

	publish("old", "new", "ed")
	assert.Equal(t, http.StatusOK, call(h, http.MethodGet, "/things", newToken).Code)
	assert.Equal(t, http.StatusOK, call(h, http.MethodGet, "/things", edToken).Code)
	assert.Equal(t, http.StatusOK, call(h, http.MethodGet, "/things", oldToken).Code)

	publish("new")
	rec := call(h, http.MethodGet, "/things", oldToken)
	assert.Equal(t, http.StatusUnauthorized, rec.Code, "the old key is withdrawn")
	assert.Equal(t, "The token is signed by an unknown key.", problemDetail(t, rec))
	assert.Equal(t, http.StatusOK, call(h, http.MethodGet, "/things", newToken).Code)

	// A key bound to ES256 does not verify another algorithm, and an HMAC
	// token is refused without a secret, whatever its kid.
	forged := sign(t, jose.HS256, []byte(testSecret), "new", claims("svc", "write"))
	assert.Equal(t, http.StatusUnauthorized, call(h, http.MethodPost, "/things", forged).Code)

	// A half-written file does not lock clients out.
	require.NoError(t, os.WriteFile(file, []byte(`{"keys": [`), 0o600))
	assert.Equal(t, http.StatusOK, call(h, http.MethodGet, "/things", newToken).Code)
	assert.Contains(t, logs.String(), "keeping the keys read before")

	// Key files that cannot serve are refused at startup.
	for name, content := range map[string]string{
		"private key": mustJSON(t, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: rsaKey, KeyID: "p"}}}),
		"secret key":  mustJSON(t, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: []byte(testSecret), KeyID: "s"}}}),
		"no keys":     `{"keys": []}`,
		"not JSON":    `keys`,
		"encryption":  mustJSON(t, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &ecKey.PublicKey, KeyID: "e", Use: "enc"}}}),
	} {
		require.NoError(t, os.WriteFile(file, []byte(content), 0o600))
		_, err := Wrap(api.Handler, (*pgxpool.Pool)(nil), Config{JWT: &JWT{JWKSFile: file}})
		assert.Error(t, err, name)
	}
	_, err = Wrap(api.Handler, (*pgxpool.Pool)(nil), Config{JWT: &JWT{JWKSFile: filepath.Join(t.TempDir(), "missing.json")}})
	assert.Error(t, err)
}

// TestAuthTogether: static tokens and JWTs in one server, the document
// and explorer open to all, and the JWT settings read from the
// environment.
func TestAuthTogether(t *testing.T) {
	api := newGuarded()
	h := wrap(t, api.Handler, nil, Config{
		Logger: slog.New(slog.DiscardHandler),
		Tokens: []Token{{Name: "ci", Secret: "0123456789abcdef-write", Write: true}},
		JWT:    &JWT{Secret: []byte(testSecret), WriteScope: "editor", ReadScope: "viewer"},
	})
	assert.Equal(t, http.StatusOK, call(h, http.MethodPost, "/things", "0123456789abcdef-write").Code)
	assert.Equal(t, "ci", api.seen.Subject)
	assert.Equal(t, http.StatusOK, call(h, http.MethodPost, "/things", sign(t, jose.HS256, []byte(testSecret), "", claims("ed", "editor"))).Code)
	assert.Equal(t, http.StatusForbidden, call(h, http.MethodPost, "/things", sign(t, jose.HS256, []byte(testSecret), "", claims("vi", "viewer"))).Code)
	assert.Equal(t, http.StatusForbidden, call(h, http.MethodGet, "/things", sign(t, jose.HS256, []byte(testSecret), "", claims("wr", "write"))).Code,
		"the default scope names no longer apply")

	for _, path := range []string{"/openapi.json", "/docs", "/docs/swagger-ui.css"} {
		assert.Equal(t, http.StatusOK, call(h, http.MethodGet, path, "").Code, path)
	}
	assert.Equal(t, http.StatusUnauthorized, call(h, http.MethodGet, "/things/docs", "").Code, "a row keyed docs is not the explorer")
	assert.Equal(t, http.StatusUnauthorized, call(h, http.MethodPost, "/docs", "").Code)

	t.Setenv("DATABASE_URL", "postgres://x@localhost/db")
	t.Setenv("AUTH_JWT_SECRET", "short")
	_, err := FromEnv()
	assert.ErrorContains(t, err, "at least 32")
	t.Setenv("AUTH_JWT_SECRET", testSecret)
	t.Setenv("AUTH_JWT_ISSUER", "https://issuer.example")
	t.Setenv("AUTH_JWT_WRITE_SCOPE", "api:write")
	cfg, err := FromEnv()
	require.NoError(t, err)
	require.NotNil(t, cfg.JWT)
	assert.Equal(t, "https://issuer.example", cfg.JWT.Issuer)
	assert.Equal(t, "api:write", cfg.JWT.WriteScope)
	t.Setenv("AUTH_JWT_SECRET", "")
	t.Setenv("AUTH_JWKS_FILE", filepath.Join(t.TempDir(), "missing.json"))
	_, err = FromEnv()
	assert.ErrorContains(t, err, "AUTH_JWKS_FILE")
}

// TestMaxBodyBytes: MAX_BODY_BYTES replaces the API's body limit, lower
// or higher.
func TestMaxBodyBytes(t *testing.T) {
	api := &runtime.API{}
	r := chi.NewRouter()
	r.Post("/things", func(w http.ResponseWriter, r *http.Request) {
		var v rawBody
		if err := api.Decode(r, &v); err != nil {
			api.Error(w, r, err, nil)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	post := func(h http.Handler, size int) int {
		body := `{"s":"` + strings.Repeat("x", size) + `"}`
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/things", strings.NewReader(body)))
		return rec.Code
	}
	small := wrap(t, r, nil, Config{Logger: slog.New(slog.DiscardHandler), MaxBodyBytes: 100})
	assert.Equal(t, http.StatusNoContent, post(small, 50))
	assert.Equal(t, http.StatusRequestEntityTooLarge, post(small, 200))
	large := wrap(t, r, nil, Config{Logger: slog.New(slog.DiscardHandler), MaxBodyBytes: 4 << 20})
	assert.Equal(t, http.StatusNoContent, post(large, 2<<20))
	assert.Equal(t, http.StatusRequestEntityTooLarge, post(large, 5<<20))
	byDefault := wrap(t, r, nil, Config{Logger: slog.New(slog.DiscardHandler)})
	assert.Equal(t, http.StatusRequestEntityTooLarge, post(byDefault, 2<<20))

	t.Setenv("DATABASE_URL", "postgres://x@localhost/db")
	t.Setenv("MAX_BODY_BYTES", "8388608")
	cfg, err := FromEnv()
	require.NoError(t, err)
	assert.EqualValues(t, 8<<20, cfg.MaxBodyBytes)
	t.Setenv("MAX_BODY_BYTES", "1MB")
	_, err = FromEnv()
	assert.ErrorContains(t, err, "MAX_BODY_BYTES")
}

// rawBody accepts any JSON value.
type rawBody struct{ v json.RawMessage }

func (b *rawBody) DecodeJSON(d *runtime.Decoder) { d.RawJSON(&b.v) }

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
