package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/crudgen/crudgen/generator/model"
	"github.com/crudgen/crudgen/generator/schema"
	"github.com/crudgen/crudgen/runtime"
)

// exerciser runs the CRUD round trip of every keyed table of one API:
// POST, GET, PATCH, list, DELETE, then GET answering 404. Rows a table
// needs (the targets of its foreign keys) are created first, through the
// API too, except in a cycle of required foreign keys, where one row is
// seeded with SQL.
type exerciser struct {
	server  string // http://host:port
	prefix  string // /<package>
	db      direct
	pkg     *model.Package
	cat     *schema.Catalog
	vals    *values
	byTable map[*schema.Table]*model.Resource
	// partitions caches partitionValues.
	partitions map[*model.Resource]map[*schema.Column]any
}

func newExerciser(server, name string, db direct, pkg *model.Package, cat *schema.Catalog) *exerciser {
	x := &exerciser{server: server, prefix: "/" + name, db: db, pkg: pkg, cat: cat, vals: &values{}, byTable: map[*schema.Table]*model.Resource{},
		partitions: map[*model.Resource]map[*schema.Column]any{}}
	for _, r := range pkg.Resources {
		x.byTable[r.Table] = r
	}
	return x
}

// maxDepth bounds chains of foreign keys.
const maxDepth = 12

// attempts is how many payloads a create tries: the required fields only,
// then every field, each with values of the four shapes in turn.
const attempts = 8

// roundTrip exercises one resource and returns why it failed, or nil.
func (x *exerciser) roundTrip(r *model.Resource) error {
	if r.Create == nil {
		// The generator left POST out (rules refuse INSERT ... RETURNING):
		// it must answer 405, and the row comes from SQL.
		if _, err := x.expect("POST", x.prefix+r.Path, map[string]any{}, http.StatusMethodNotAllowed); err != nil {
			return err
		}
	}
	row, loc, err := x.create(r, nil, nil)
	var p *problem
	if errors.As(err, &p) && p.status == http.StatusConflict {
		// A row the schema created itself (a single-row table, a row a
		// trigger added) holds the key: remove what is there and retry.
		if err := x.clear(r); err != nil {
			return err
		}
		row, loc, err = x.create(r, nil, nil)
	}
	if err != nil {
		return err
	}
	if _, err := x.expect("GET", loc, nil, http.StatusOK); err != nil {
		return err
	}
	patch := map[string]any{}
	f := x.patchable(r)
	if f != nil {
		if v, err := x.vals.value(f, hints(r.Table, f.Name)); err == nil {
			patch[f.JSON] = v
		}
	}
	patched := http.StatusOK
	if r.Patch == nil {
		patched = http.StatusMethodNotAllowed
	}
	_, err = x.expect("PATCH", loc, patch, patched)
	var p422 *problem
	if errors.As(err, &p422) && p422.status == http.StatusUnprocessableEntity && f != nil {
		// The new value broke a CHECK across columns: write the value the
		// row holds, which still goes through the whole PATCH path.
		patch[f.JSON] = row[f.JSON]
		_, err = x.expect("PATCH", loc, patch, patched)
	}
	if err != nil {
		return err
	}
	if _, err := x.expect("GET", x.prefix+r.Path+"?limit=1000", nil, http.StatusOK); err != nil {
		return err
	}
	if err := x.lists(r, row, loc); err != nil {
		return err
	}
	_, err = x.expect("DELETE", loc, nil, http.StatusNoContent)
	var p409 *problem
	if errors.As(err, &p409) && p409.status == http.StatusConflict {
		// Rows the database made (a trigger's default_versions row)
		// reference this one: the 409 is right; remove them and delete.
		if n, derr := x.deleteReferencing(r, row); derr == nil && n > 0 {
			_, err = x.expect("DELETE", loc, nil, http.StatusNoContent)
		}
	}
	if err != nil {
		return err
	}
	if _, err := x.expect("GET", loc, nil, http.StatusNotFound); err != nil {
		return err
	}
	return nil
}

// clear deletes every row of r through the API.
func (x *exerciser) clear(r *model.Resource) error {
	_, err := x.deleteWhere(r, func(map[string]any) bool { return true })
	return err
}

// itemPath is the URL of a row of r from its JSON.
func (x *exerciser) itemPath(r *model.Resource, row map[string]any) string {
	path := x.prefix + r.Path
	for _, k := range r.Key {
		path += "/" + url.PathEscape(sqlText(row[k.JSON]))
	}
	return path
}

// create posts a new row of r, creating what its foreign keys point at
// first. stack holds the tables being created, to see cycles; need holds
// the columns a referencing row needs filled (a foreign key to a nullable
// unique column).
func (x *exerciser) create(r *model.Resource, stack []*model.Resource, need []*schema.Column) (map[string]any, string, error) {
	if slices.Contains(stack, r) {
		return x.seed(r, nil)
	}
	if len(stack) > maxDepth {
		return nil, "", errors.New("foreign keys nest too deep")
	}
	stack = append(stack, r)
	if r.Create == nil {
		return x.seed(r, stack)
	}
	var failed []error
	seen := map[string]bool{}
	for attempt := 0; attempt < attempts; attempt++ {
		full := attempt%2 == 1
		x.vals.shape = attempt / 2
		body, err := x.payload(r, stack, full, need)
		if err != nil {
			return nil, "", err
		}
		res, err := x.expect("POST", x.prefix+r.Path, body, http.StatusCreated)
		var p *problem
		if errors.As(err, &p) && p.status == http.StatusConflict {
			// A trigger of a parent may have made the row that holds these
			// unique values (crates.io adds a crate's download counter and
			// default version): delete it and post again.
			if n, derr := x.deleteConflicting(r, body, p.fields); derr == nil && n > 0 {
				res, err = x.expect("POST", x.prefix+r.Path, body, http.StatusCreated)
			}
		}
		if errors.As(err, &p) && (p.status == http.StatusUnprocessableEntity || p.status == http.StatusConflict) {
			if !seen[err.Error()] {
				seen[err.Error()] = true
				failed = append(failed, err)
			}
			continue // another payload may satisfy the constraint
		}
		if err != nil {
			return nil, "", err
		}
		var row map[string]any
		if err := json.Unmarshal(res.body, &row); err != nil {
			return nil, "", fmt.Errorf("POST: %w", err)
		}
		loc := res.header.Get("Location")
		if loc == "" && len(r.Key) > 0 {
			return nil, "", errors.New("POST: no Location")
		}
		return row, loc, nil
	}
	return nil, "", errors.Join(failed...)
}

// deleteConflicting deletes, through the API, the rows of r that hold the
// body's value in one of fields, and returns how many it deleted.
func (x *exerciser) deleteConflicting(r *model.Resource, body map[string]any, fields []string) (int, error) {
	if len(r.Key) == 0 {
		return 0, nil
	}
	return x.deleteWhere(r, func(item map[string]any) bool {
		for _, f := range fields {
			if v, ok := body[f]; ok && sqlText(v) == sqlText(item[f]) {
				return true
			}
		}
		return false
	})
}

// deleteWhere deletes the rows of r that match, through the API.
func (x *exerciser) deleteWhere(r *model.Resource, match func(map[string]any) bool) (int, error) {
	res, err := x.expect("GET", x.prefix+r.Path+"?limit=1000", nil, http.StatusOK)
	if err != nil {
		return 0, err
	}
	var page struct{ Items []map[string]any }
	if err := json.Unmarshal(res.body, &page); err != nil {
		return 0, err
	}
	n := 0
	for _, item := range page.Items {
		if !match(item) {
			continue
		}
		if _, err := x.expect("DELETE", x.itemPath(r, item), nil, http.StatusNoContent); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// deleteReferencing deletes, through the API, the rows that reference row
// of r: rows a trigger made hold it back from DELETE (409 referenced).
func (x *exerciser) deleteReferencing(r *model.Resource, row map[string]any) (int, error) {
	total := 0
	for _, c := range x.pkg.Resources {
		if len(c.Key) == 0 {
			continue
		}
		for _, fk := range x.foreignKeys(c.Table) {
			if fk.Ref != r.Table {
				continue
			}
			n, err := x.deleteWhere(c, func(item map[string]any) bool {
				for i, col := range fk.Columns {
					if sqlText(item[fieldOf(c, col).JSON]) != sqlText(row[fieldOf(r, fk.RefColumns[i]).JSON]) {
						return false
					}
				}
				return true
			})
			total += n
			if err != nil {
				return total, err
			}
		}
	}
	return total, nil
}

// payload builds the body of a create: the required fields and need, or
// with full every writable field; foreign keys take their values from
// parent rows.
func (x *exerciser) payload(r *model.Resource, stack []*model.Resource, full bool, need []*schema.Column) (map[string]any, error) {
	body := map[string]any{}
	// Creating parents runs their own attempts; this payload keeps its shape.
	shape := x.vals.shape
	fromParent := map[*schema.Column]bool{}
	var parents []made
	for _, fk := range x.foreignKeys(r.Table) {
		if !full && !requiresParent(r, fk) {
			continue
		}
		parent := x.byTable[fk.Ref]
		if parent == nil {
			if full {
				continue
			}
			return nil, fmt.Errorf("references %s, which is not served", fk.Ref.QualifiedName())
		}
		if parent == r && !requiresParent(r, fk) {
			continue // an optional self-reference stays NULL
		}
		prow, _, err := x.create(parent, stack, fk.RefColumns)
		if err != nil {
			if full && !requiresParent(r, fk) {
				for _, c := range fk.Columns {
					fromParent[c] = true // stays NULL rather than point nowhere
				}
				continue
			}
			return nil, fmt.Errorf("creating the %s it references: %w", fk.Ref.QualifiedName(), err)
		}
		for i, c := range fk.Columns {
			body[fieldOf(r, c).JSON] = prow[fieldOf(parent, fk.RefColumns[i]).JSON]
			fromParent[c] = true
		}
		parents = append(parents, made{fk, parent, prow})
	}
	x.align(r, body, parents)
	x.vals.shape = shape
	for _, f := range r.Create.Fields {
		if fromParent[f.Column] || f.Mode != model.Required && !full && !slices.Contains(need, f.Column) {
			continue
		}
		v, err := x.vals.value(f.Field, hints(r.Table, f.Name))
		if err != nil {
			if f.Mode != model.Required {
				continue
			}
			return nil, fmt.Errorf("column %s: %w", f.Name, err)
		}
		body[f.JSON] = v
	}
	// A partitioned table without a default partition takes only rows a
	// partition's bounds admit.
	parts, err := x.partitionValues(r)
	if err != nil {
		return nil, err
	}
	for c, v := range parts {
		if f := fieldOf(r, c); f != nil && !fromParent[c] {
			body[f.JSON] = v
		}
	}
	return body, nil
}

// made is a parent row created for a foreign key.
type made struct {
	fk     *schema.ForeignKey
	parent *model.Resource
	row    map[string]any
}

// align makes two references agree where they meet: when a parent row
// itself references, through a column of the same name, the table another
// foreign key of r points at, r takes the parent's value (synapse's
// partial_state_events must name the room of its event).
func (x *exerciser) align(r *model.Resource, body map[string]any, parents []made) {
	for _, a := range parents {
		if len(a.fk.Columns) != 1 {
			continue
		}
		col := a.fk.Columns[0]
		for _, b := range parents {
			if b.fk == a.fk {
				continue
			}
			for _, pfk := range x.foreignKeys(b.parent.Table) {
				if len(pfk.Columns) == 1 && pfk.Columns[0].Name == col.Name && pfk.Ref == a.fk.Ref {
					v := b.row[fieldOf(b.parent, pfk.Columns[0]).JSON]
					if v != nil && x.exists(a.parent, a.fk.RefColumns[0], v) {
						body[fieldOf(r, col).JSON] = v
					}
				}
			}
		}
	}
}

// exists reports whether r serves a row whose key, column c, is v: rows
// seeded to break a cycle may point nowhere.
func (x *exerciser) exists(r *model.Resource, c *schema.Column, v any) bool {
	if len(r.Key) != 1 || r.Key[0].Column != c {
		return false
	}
	_, err := x.expect("GET", x.itemPath(r, map[string]any{r.Key[0].JSON: v}), nil, http.StatusOK)
	return err == nil
}

// seed inserts a row of r with SQL and reads it back through the API. It
// breaks a cycle of required foreign keys (stack is nil: references are
// left dangling) and fills tables the API cannot create (stack holds the
// tables being created: required parents are created first). Foreign key
// checks are off while it runs, and so are triggers and rules where the
// engine can turn them off (see direct).
func (x *exerciser) seed(r *model.Resource, stack []*model.Resource) (map[string]any, string, error) {
	var fields []*model.Field
	var vals []any
	fromParent := map[*schema.Column]bool{}
	for _, fk := range x.foreignKeys(r.Table) {
		if stack == nil || !requiresParent(r, fk) || x.byTable[fk.Ref] == nil {
			continue
		}
		parent := x.byTable[fk.Ref]
		prow, _, err := x.create(parent, stack, fk.RefColumns)
		if err != nil {
			return nil, "", fmt.Errorf("creating the %s it references: %w", fk.Ref.QualifiedName(), err)
		}
		for i, c := range fk.Columns {
			fields = append(fields, fieldOf(r, c))
			vals = append(vals, prow[fieldOf(parent, fk.RefColumns[i]).JSON])
			fromParent[c] = true
		}
	}
	for _, f := range r.Fields {
		c := f.Column
		if fromParent[c] || f.ReadOnly || !c.NotNull || f.HasDefault && !slices.Contains(r.Key, f) {
			continue
		}
		v, err := x.vals.value(f, hints(r.Table, f.Name))
		if err != nil {
			return nil, "", fmt.Errorf("seeding %s: column %s: %w", r.Table.QualifiedName(), f.Name, err)
		}
		fields = append(fields, f)
		vals = append(vals, v)
	}
	keys, err := x.db.insert(r, fields, vals)
	if err != nil {
		return nil, "", fmt.Errorf("seeding %s: %w", r.Table.QualifiedName(), err)
	}
	loc := x.prefix + r.Path
	for _, k := range keys {
		loc += "/" + url.PathEscape(k)
	}
	res, err := x.expect("GET", loc, nil, http.StatusOK)
	if err != nil {
		return nil, "", err
	}
	var row map[string]any
	if err := json.Unmarshal(res.body, &row); err != nil {
		return nil, "", err
	}
	return row, loc, nil
}

// sqlText prints a JSON value the way PostgreSQL reads it as text.
func sqlText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = `"` + strings.ReplaceAll(strings.ReplaceAll(sqlText(e), `\`, `\\`), `"`, `\"`) + `"`
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// foreignKeys are the foreign keys of t and those its partitions declare
// on their own (pagila's pg_dump has them only on the partitions), which
// bind every row written through t.
func (x *exerciser) foreignKeys(t *schema.Table) []*schema.ForeignKey {
	out := slices.Clone(t.ForeignKeys)
	for _, p := range x.cat.Tables {
		if p.PartitionOf != t {
			continue
		}
	keys:
		for _, fk := range p.ForeignKeys {
			mapped := &schema.ForeignKey{Name: fk.Name, Ref: fk.Ref, RefColumns: fk.RefColumns}
			for _, c := range fk.Columns {
				pc := t.Column(c.Name)
				if pc == nil {
					continue keys
				}
				mapped.Columns = append(mapped.Columns, pc)
			}
			if !slices.ContainsFunc(out, func(o *schema.ForeignKey) bool {
				return o.Ref == mapped.Ref && slices.Equal(o.Columns, mapped.Columns)
			}) {
				out = append(out, mapped)
			}
		}
	}
	return out
}

// requiresParent reports whether creating a row of r needs a row fk points
// at: its columns are NOT NULL, so they must name an existing row whether
// the request or a default fills them.
func requiresParent(r *model.Resource, fk *schema.ForeignKey) bool {
	for _, c := range fk.Columns {
		if !c.NotNull {
			return false
		}
	}
	return true
}

func fieldOf(r *model.Resource, c *schema.Column) *model.Field {
	for _, f := range r.Fields {
		if f.Column == c {
			return f
		}
	}
	return nil
}

// patchable picks a field a PATCH can change without touching keys or
// foreign keys.
func (x *exerciser) patchable(r *model.Resource) *model.Field {
	if r.Patch == nil {
		return nil
	}
	inFK := map[*schema.Column]bool{}
	for _, fk := range x.foreignKeys(r.Table) {
		for _, c := range fk.Columns {
			inFK[c] = true
		}
	}
	var checked *model.Field
	for _, f := range r.Patch.Fields {
		if !inFK[f.Column] && (f.Type.Kind == model.KindString || f.Type.Kind == model.KindInt) && f.Type.Select == "" && len(f.Rules) == 0 {
			if !inCheck(r.Table, f.Name) {
				return f.Field
			}
			if checked == nil {
				checked = f.Field
			}
		}
	}
	return checked
}

var trace = flag.Bool("sweep.trace", false, "print every request of the round trips and its answer")

// problem is an unexpected answer.
type problem struct {
	status int
	msg    string
	fields []string // the body fields its errors point at
}

func (p *problem) Error() string { return p.msg }

type response struct {
	status int
	header http.Header
	body   []byte
}

// expect sends a request and checks its status; a mismatch becomes an
// error naming what the problem says.
func (x *exerciser) expect(method, path string, body any, want int) (*response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, x.server+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if *trace {
		sent, _ := json.Marshal(body)
		fmt.Fprintf(os.Stderr, "%s %s %s\n-> %d %s\n", method, path, sent, res.StatusCode, b)
	}
	if res.StatusCode != want {
		return nil, &problem{status: res.StatusCode, msg: fmt.Sprintf("%s %s: %d, want %d: %s", method, path, res.StatusCode, want, problemSummary(b)), fields: problemFields(b)}
	}
	return &response{status: res.StatusCode, header: res.Header, body: b}, nil
}

// problemFields lists the body fields a problem's errors point at.
func problemFields(b []byte) []string {
	var p struct{ Errors []struct{ Loc []any } }
	_ = json.Unmarshal(b, &p)
	var out []string
	for _, e := range p.Errors {
		if len(e.Loc) == 2 && e.Loc[0] == "body" {
			if f, ok := e.Loc[1].(string); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// problemSummary squeezes a problem to what identifies its cause.
func problemSummary(b []byte) string {
	var p struct {
		Detail string
		Errors []struct {
			Loc     []any
			Code    string
			Message string
		}
	}
	if json.Unmarshal(b, &p) != nil {
		return string(b)
	}
	parts := []string{p.Detail}
	for _, e := range p.Errors {
		parts = append(parts, fmt.Sprintf("%v %s: %s", e.Loc, e.Code, e.Message))
	}
	return strings.Join(parts, "; ")
}

// lists runs the list of r with every relation included, a count and
// every sortable column in the order, follows its cursor, finds the row
// by its key with filters, and lists the row's children under it.
func (x *exerciser) lists(r *model.Resource, row map[string]any, loc string) error {
	q := url.Values{"count": {"exact"}, "limit": {"1"}}
	if names := r.RelationNames(); len(names) > 0 {
		q.Set("include", strings.Join(names, ","))
	}
	var sorts []string
	for _, f := range r.Fields {
		if f.Filter.Sort {
			sorts = append(sorts, "-"+f.JSON)
		}
	}
	if len(sorts) > 0 {
		q.Set("sort", strings.Join(sorts, ","))
	}
	res, err := x.expect("GET", x.prefix+r.Path+"?"+q.Encode(), nil, http.StatusOK)
	if err != nil {
		return err
	}
	var page struct {
		Items []map[string]any `json:"items"`
		Next  string           `json:"next_cursor"`
	}
	if err := json.Unmarshal(res.body, &page); err != nil {
		return err
	}
	if page.Next != "" {
		q.Set("cursor", page.Next)
		if _, err := x.expect("GET", x.prefix+r.Path+"?"+q.Encode(), nil, http.StatusOK); err != nil {
			return err
		}
	}
	byKey := url.Values{}
	for _, k := range r.Key {
		if k.Filter.Ops.Has(runtime.OpEq) {
			byKey.Add(k.JSON+"[eq]", queryText(row[k.JSON]))
		}
	}
	if len(byKey) > 0 {
		res, err := x.expect("GET", x.prefix+r.Path+"?"+byKey.Encode(), nil, http.StatusOK)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(res.body, &page); err != nil {
			return err
		}
		if len(page.Items) != 1 {
			return fmt.Errorf("GET %s?%s: %d rows, want the one created", r.Path, byKey.Encode(), len(page.Items))
		}
	}
	for _, child := range x.pkg.Resources {
		for _, n := range child.Nested {
			if n.Parent != r {
				continue
			}
			cq := url.Values{"count": {"estimated"}}
			if names := child.RelationNames(); len(names) > 0 {
				cq.Set("include", strings.Join(names, ","))
			}
			if _, err := x.expect("GET", loc+"/"+url.PathEscape(n.Name)+"?"+cq.Encode(), nil, http.StatusOK); err != nil {
				return err
			}
		}
	}
	return nil
}

// queryText writes a JSON value as a query parameter: strings as they
// are, numbers and booleans as written.
func queryText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
