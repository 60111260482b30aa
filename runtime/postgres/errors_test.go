package postgres

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/crudgen/crudgen/runtime"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"
	"github.com/stretchr/testify/require"
)

// answer is API.Error's answer to err for a request r.
func answer(t *testing.T, r *http.Request, err error) (*httptest.ResponseRecorder, runtime.Problem) {
	t.Helper()
	api, _ := testAPI()
	m := mapErrorRequest(t, api, r, err, &runtime.Table{Name: "albums"})
	return m.rec, m.problem
}

func TestNoRowsIs404(t *testing.T) {
	for _, err := range []error{pgx.ErrNoRows, fmt.Errorf("x: %w", pgx.ErrNoRows)} {
		rec, p := answer(t, httptest.NewRequest(http.MethodGet, "/albums/1", nil), err)
		require.Equal(t, http.StatusNotFound, rec.Code, err)
		require.Equal(t, "The requested albums row does not exist.", p.Detail)
	}
}

func TestConnectionErrorsAre503(t *testing.T) {
	for _, err := range []error{
		puddle.ErrClosedPool,
		pgconn.ErrConnClosed,
		&pgconn.PgError{Code: "08006", Message: "connection failure"},
	} {
		rec, _ := answer(t, httptest.NewRequest(http.MethodGet, "/albums/1", nil), err)
		require.Equal(t, http.StatusServiceUnavailable, rec.Code, err)
		require.Equal(t, "1", rec.Header().Get("Retry-After"))
	}
}

func TestCanceledStatementOfAGoneClientHasNoBody(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequestWithContext(ctx, http.MethodGet, "/albums/1", nil)
	rec, _ := answer(t, r, &pgconn.PgError{Code: "57014", Message: "canceling statement due to user request"})
	require.Equal(t, 499, rec.Code)
	require.Zero(t, rec.Body.Len())
}

func TestKeyColumns(t *testing.T) {
	for _, tc := range []struct {
		detail string
		want   []string
	}{
		{`Key (email)=(a@b.c) already exists.`, []string{"email"}},
		{`Key (author_id, title)=(1, x) already exists.`, []string{"author_id", "title"}},
		{`Key ("Weird, col", b)=(1, 2) already exists.`, []string{"Weird, col", "b"}},
		{`Key ("say ""hi""")=(1) already exists.`, []string{`say "hi"`}},
		{`Key ("x)=(y")=(1) already exists.`, []string{"x)=(y"}},
		{`Key (during)=(["2024-01-01 00:00:00","2024-01-02 00:00:00")) conflicts with existing key (during)=(…).`, []string{"during"}},
		{`Key (author_id)=(9) is not present in table "authors".`, []string{"author_id"}},
		{`Key (lower(email))=(a@b.c) already exists.`, nil},
		{`Key (a, lower(b))=(1, x) already exists.`, nil},
		{`Failing row contains (1, null).`, nil},
		{`Schlüssel »(email)=(x)« existiert bereits.`, nil},
		{`Key (`, nil},
		{`Key ("unterminated`, nil},
		{`Key (a`, nil},
		{``, nil},
	} {
		require.Equal(t, tc.want, keyColumns(tc.detail), tc.detail)
	}
}
