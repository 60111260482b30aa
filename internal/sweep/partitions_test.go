package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/crudgen/crudgen/generator/model"
	"github.com/crudgen/crudgen/generator/schema"
)

// partitionValues returns, for a partitioned table without a default
// partition, JSON values of its partition key columns that its first
// list or range partition takes, keyed by column; nil otherwise. The
// database says: the bounds live in pg_class.relpartbound.
func (x *exerciser) partitionValues(r *model.Resource) (map[*schema.Column]any, error) {
	pg, ok := x.db.(pgDirect)
	if r.Table.Kind != schema.KindPartitionedTable || !ok {
		return nil, nil // partitioned tables are PostgreSQL's
	}
	if v, ok := x.partitions[r]; ok {
		return v, nil
	}
	ctx := context.Background()
	var keydef string
	if err := pg.conn.QueryRow(ctx, "SELECT pg_get_partkeydef($1::regclass)", r.SQLTable).Scan(&keydef); err != nil {
		return nil, err
	}
	rows, err := pg.conn.Query(ctx, `SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i
		JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY c.relname`, r.SQLTable)
	if err != nil {
		return nil, err
	}
	var bounds []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		bounds = append(bounds, b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := map[*schema.Column]any{}
	x.partitions[r] = out
	cols := partitionColumns(r.Table, keydef)
	if cols == nil || len(bounds) == 0 {
		return out, nil
	}
	var first []string
	for _, b := range bounds {
		if b == "DEFAULT" {
			return out, nil // every row has a partition
		}
		if first == nil {
			first = boundValues(b)
		}
	}
	for i, c := range cols {
		if i >= len(first) || first[i] == "MINVALUE" || first[i] == "MAXVALUE" {
			continue
		}
		var raw []byte
		q := fmt.Sprintf("SELECT to_json((%s)::%s)", first[i], c.Type)
		if err := pg.conn.QueryRow(ctx, q).Scan(&raw); err != nil {
			return nil, fmt.Errorf("partition bound %s of %s: %w", first[i], r.Table.QualifiedName(), err)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
		out[c] = v
	}
	return out, nil
}

// keyColumns reads the column list of "LIST (year)" or "RANGE (a, b)";
// nil when the key holds expressions or a hash.
var keyColumns = regexp.MustCompile(`^(?:LIST|RANGE) \((.*)\)$`)

func partitionColumns(t *schema.Table, keydef string) []*schema.Column {
	m := keyColumns.FindStringSubmatch(keydef)
	if m == nil {
		return nil
	}
	var cols []*schema.Column
	for _, name := range strings.Split(m[1], ", ") {
		c := t.Column(strings.Trim(name, `"`))
		if c == nil {
			return nil
		}
		cols = append(cols, c)
	}
	return cols
}

// boundValues returns the literals of the first tuple of a bound: the
// values of FOR VALUES IN (...) or the lower bound of FOR VALUES FROM (...).
func boundValues(b string) []string {
	for _, prefix := range []string{"FOR VALUES IN (", "FOR VALUES FROM ("} {
		if rest, ok := strings.CutPrefix(b, prefix); ok {
			return splitTuple(rest)
		}
	}
	return nil
}

// splitTuple splits "'a', 2) TO (...)" at top-level commas up to the
// closing parenthesis, keeping quoted literals whole.
func splitTuple(s string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == ',':
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		case c == ')':
			return append(out, strings.TrimSpace(s[start:i]))
		}
	}
	return nil
}
