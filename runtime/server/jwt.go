package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// JWT configures JSON Web Token authentication: tokens signed with a
// shared secret (HS256, HS384, HS512), tokens signed by the public keys of
// a JWKS file (RS*, PS*, ES*, EdDSA), or both.
//
// A token must carry an expiry (exp); iss and aud are checked when
// Issuer and Audience are set. What a token may do comes from its scope
// (space-separated), scp, roles or role claims: WriteScope grants reading
// and writing, ReadScope reading only; a token with neither is a 403.
type JWT struct {
	// Secret verifies HMAC-signed tokens (AUTH_JWT_SECRET), at least 32
	// bytes.
	Secret []byte
	// JWKSFile holds the public keys (AUTH_JWKS_FILE), a JSON Web Key Set.
	// The file is read again when it changes, so keys rotate without a
	// restart: add the new key, move the issuer to it, remove the old.
	JWKSFile string
	// Issuer and Audience, when set, must match the iss and aud claims
	// (AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE).
	Issuer, Audience string
	// ReadScope and WriteScope are the scope or role values that grant
	// reading and writing (AUTH_JWT_READ_SCOPE, AUTH_JWT_WRITE_SCOPE;
	// "read" and "write" by default).
	ReadScope, WriteScope string
	// Reload is how often the JWKS file is checked for changes; 0 checks
	// on every request.
	Reload time.Duration
}

// jwtLeeway absorbs clock skew between the issuer and this server.
const jwtLeeway = 30 * time.Second

var (
	hmacAlgorithms = []jose.SignatureAlgorithm{jose.HS256, jose.HS384, jose.HS512}
	keyAlgorithms  = []jose.SignatureAlgorithm{
		jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
		jose.ES256, jose.ES384, jose.ES512, jose.EdDSA,
	}
)

// jwtVerifier checks tokens against a JWT configuration.
type jwtVerifier struct {
	cfg        JWT
	algorithms []jose.SignatureAlgorithm
	keys       *keySet // nil without a JWKS file
}

func newJWTVerifier(cfg JWT, logger *slog.Logger) (*jwtVerifier, error) {
	if len(cfg.Secret) == 0 && cfg.JWKSFile == "" {
		return nil, errors.New("JWT authentication needs a secret or a JWKS file")
	}
	if len(cfg.Secret) > 0 && len(cfg.Secret) < 32 {
		return nil, fmt.Errorf("the JWT secret has %d bytes; HMAC needs at least 32", len(cfg.Secret))
	}
	if cfg.ReadScope == "" {
		cfg.ReadScope = "read"
	}
	if cfg.WriteScope == "" {
		cfg.WriteScope = "write"
	}
	v := &jwtVerifier{cfg: cfg}
	if len(cfg.Secret) > 0 {
		v.algorithms = append(v.algorithms, hmacAlgorithms...)
	}
	if cfg.JWKSFile != "" {
		keys, err := loadKeySet(cfg.JWKSFile, cfg.Reload, logger)
		if err != nil {
			return nil, err
		}
		v.keys = keys
		v.algorithms = append(v.algorithms, keyAlgorithms...)
	}
	return v, nil
}

// authError is why a request's credentials are refused: a 401 unless
// forbidden, with detail for the problem.
type authError struct {
	forbidden bool
	detail    string
}

// verify returns the principal of a valid token.
func (v *jwtVerifier) verify(raw string, now time.Time) (*principalGrant, *authError) {
	invalid := func(detail string) (*principalGrant, *authError) {
		return nil, &authError{detail: detail}
	}
	tok, err := jwt.ParseSigned(raw, v.algorithms)
	if err != nil || len(tok.Headers) != 1 {
		return invalid("The token is not a JWT signed with an accepted algorithm.")
	}
	header := tok.Headers[0]
	key, ok := v.key(header, now)
	if !ok {
		return invalid("The token is signed by an unknown key.")
	}
	var std jwt.Claims
	var claims map[string]any
	if err := tok.Claims(key, &std, &claims); err != nil {
		return invalid("The token's signature does not verify.")
	}
	if std.Expiry == nil {
		return invalid("The token has no expiry (exp).")
	}
	expected := jwt.Expected{Issuer: v.cfg.Issuer, Time: now}
	if v.cfg.Audience != "" {
		expected.AnyAudience = jwt.Audience{v.cfg.Audience}
	}
	switch err := std.ValidateWithLeeway(expected, jwtLeeway); {
	case errors.Is(err, jwt.ErrExpired):
		return invalid("The token has expired.")
	case errors.Is(err, jwt.ErrNotValidYet), errors.Is(err, jwt.ErrIssuedInTheFuture):
		return invalid("The token is not valid yet.")
	case errors.Is(err, jwt.ErrInvalidIssuer):
		return invalid("The token is from another issuer (iss).")
	case errors.Is(err, jwt.ErrInvalidAudience):
		return invalid("The token is for another audience (aud).")
	case err != nil:
		return invalid("The token is not valid.")
	}
	scopes := grantedScopes(claims)
	write := slices.Contains(scopes, v.cfg.WriteScope)
	if !write && !slices.Contains(scopes, v.cfg.ReadScope) {
		return nil, &authError{forbidden: true, detail: fmt.Sprintf("The token grants neither the %q nor the %q scope.", v.cfg.ReadScope, v.cfg.WriteScope)}
	}
	return &principalGrant{subject: std.Subject, write: write, claims: claims}, nil
}

// key finds what verifies a token with header h: the secret for HMAC, or
// the JWKS key of its kid (the only key, when the token names none).
func (v *jwtVerifier) key(h jose.Header, now time.Time) (any, bool) {
	alg := jose.SignatureAlgorithm(h.Algorithm)
	if slices.Contains(hmacAlgorithms, alg) {
		return v.cfg.Secret, len(v.cfg.Secret) > 0
	}
	if v.keys == nil {
		return nil, false
	}
	keys := v.keys.current(now)
	var found *jose.JSONWebKey
	for i := range keys {
		if keys[i].KeyID == h.KeyID || h.KeyID == "" && len(keys) == 1 {
			found = &keys[i]
			break
		}
	}
	// A key bound to one algorithm verifies only that one.
	if found == nil || found.Algorithm != "" && found.Algorithm != h.Algorithm {
		return nil, false
	}
	return found.Key, true
}

// grantedScopes collects the values of the claims that carry scopes or
// roles, whether a space-separated string or an array of strings.
func grantedScopes(claims map[string]any) []string {
	var scopes []string
	for _, name := range []string{"scope", "scp", "roles", "role"} {
		switch v := claims[name].(type) {
		case string:
			scopes = append(scopes, strings.Fields(v)...)
		case []any:
			for _, e := range v {
				if s, ok := e.(string); ok {
					scopes = append(scopes, s)
				}
			}
		}
	}
	return scopes
}

// keySet is a JWKS file's public keys, read again when the file changes.
// A file that does not parse leaves the keys as they were, so a
// half-written file does not lock every client out. Requests between
// checks read the keys without taking the lock.
type keySet struct {
	path   string
	reload time.Duration
	logger *slog.Logger

	keys      atomic.Pointer[[]jose.JSONWebKey]
	nextCheck atomic.Int64 // Unix nanoseconds

	mu      sync.Mutex // held while checking the file
	modTime time.Time
	size    int64
}

func loadKeySet(path string, reload time.Duration, logger *slog.Logger) (*keySet, error) {
	s := &keySet{path: path, reload: reload, logger: logger}
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := s.read(info); err != nil {
		return nil, err
	}
	s.nextCheck.Store(time.Now().Add(reload).UnixNano())
	return s, nil
}

// current returns the keys, after reading the file again if it changed
// since the last check.
func (s *keySet) current(now time.Time) []jose.JSONWebKey {
	if now.UnixNano() < s.nextCheck.Load() || !s.mu.TryLock() {
		// Not due, or another request is checking: the keys as they are.
		return *s.keys.Load()
	}
	defer s.mu.Unlock()
	s.nextCheck.Store(now.Add(s.reload).UnixNano())
	info, err := os.Stat(s.path)
	switch {
	case err != nil:
		s.logger.Error("JWKS file: keeping the keys read before", "error", err)
	case info.ModTime().Equal(s.modTime) && info.Size() == s.size:
	default:
		if err := s.read(info); err != nil {
			s.logger.Error("JWKS file: keeping the keys read before", "error", err)
		} else {
			s.logger.Info("JWKS file read again", "path", s.path, "keys", len(*s.keys.Load()))
		}
	}
	return *s.keys.Load()
}

// read parses the file; info is its state before reading.
func (s *keySet) read(info os.FileInfo) error {
	data, err := os.ReadFile(s.path)
	if err != nil {
		return err
	}
	keys, err := parseKeySet(data)
	if err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	s.keys.Store(&keys)
	s.modTime, s.size = info.ModTime(), info.Size()
	return nil
}

// parseKeySet reads a JSON Web Key Set of public keys.
func parseKeySet(data []byte) ([]jose.JSONWebKey, error) {
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("not a JSON Web Key Set: %w", err)
	}
	if len(set.Keys) == 0 {
		return nil, errors.New("the key set holds no key")
	}
	for i, k := range set.Keys {
		switch {
		case !k.Valid():
			return nil, fmt.Errorf("key %d (kid %q) is not valid", i, k.KeyID)
		case !k.IsPublic():
			return nil, fmt.Errorf("key %d (kid %q) is private or symmetric: give public keys only", i, k.KeyID)
		case k.Use != "" && k.Use != "sig":
			return nil, fmt.Errorf("key %d (kid %q) is for %q, not signatures", i, k.KeyID, k.Use)
		}
	}
	return set.Keys, nil
}
