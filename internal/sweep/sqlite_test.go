package sweep

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crudgen/crudgen/internal/corpus"
)

// TestSweepSQLite is TestSweep for the SQLite schemas of the corpus: each
// generated twice for the same bytes, all checked in one module, and each
// served on a new file, which the server creates from the schema its
// package embeds, for the round trip of every keyed table. SQLite needs
// no server: nothing here skips but for a missing corpus (a failure when
// CI=true).
func TestSweepSQLite(t *testing.T) {
	t.Parallel() // the sweeps overlap one's builds with another's round trips
	var subjects []*subject
	for _, e := range corpus.SQLiteEntries(t) {
		files, err := e.Sources()
		require.NoError(t, err)
		s := &subject{name: e.Name, engine: sqliteEngine, entry: e, load: e}
		require.True(t, generate(t, s, files, nil))
		subjects = append(subjects, s)
	}
	check(t, sqliteEngine, subjects)
}
