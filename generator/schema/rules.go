package schema

import (
	"slices"

	"github.com/crudgen/crudgen/generator/ddl"
)

// Rule is a rewrite rule of a table (CREATE RULE). Rules written before
// declarative partitioning route a table's INSERTs to child tables; the
// catalog keeps them because they decide whether a command on the table
// can return its rows.
type Rule struct {
	Name string
	// Event is "SELECT", "INSERT", "UPDATE" or "DELETE".
	Event       string
	Instead     bool
	Conditional bool
	Returning   bool
	Pos         ddl.Pos
}

// ReturningRefused names the rules that make PostgreSQL refuse event (an
// INSERT, UPDATE or DELETE) with a RETURNING clause on t, or returns nil.
// As PostgreSQL's rewriter says: once a DO INSTEAD rule applies, RETURNING
// needs an unconditional DO INSTEAD rule with a RETURNING list, because the
// original command may never run.
func (t *Table) ReturningRefused(event string) []string {
	var instead []string
	for _, r := range t.Rules {
		if r.Event != event || !r.Instead {
			continue
		}
		if r.Returning && !r.Conditional {
			return nil
		}
		instead = append(instead, r.Name)
	}
	return instead
}

func (b *builder) createRule(s *ddl.CreateRule) error {
	t, err := b.table(s.Table)
	if err != nil {
		return err
	}
	if s.Returning && !s.Instead {
		return b.errorf("RETURNING lists are not supported in non-INSTEAD rules")
	}
	if s.Returning && s.Conditional {
		return b.errorf("RETURNING lists are not supported in conditional rules")
	}
	r := &Rule{Name: s.Name, Event: s.Event, Instead: s.Instead, Conditional: s.Conditional, Returning: s.Returning, Pos: b.stmt.Pos}
	if i := slices.IndexFunc(t.Rules, func(o *Rule) bool { return o.Name == s.Name }); i >= 0 {
		if !s.Replace {
			return b.errorf("rule %q for relation %q already exists", s.Name, t.Name)
		}
		t.Rules[i] = r
		return nil
	}
	t.Rules = append(t.Rules, r)
	return nil
}

func (b *builder) dropRule(s *ddl.Drop) error {
	r := b.lookupRel(s.On)
	if r == nil || r.kind != relTable {
		if s.IfExists {
			b.note("relation %q does not exist, skipping", relDisplay(s.On))
			return nil
		}
		return b.errorf("relation %q does not exist", relDisplay(s.On))
	}
	t := r.table
	for _, q := range s.Names {
		i := slices.IndexFunc(t.Rules, func(o *Rule) bool { return o.Name == q.Name })
		if i < 0 {
			if s.IfExists {
				b.note("rule %q for relation %q does not exist, skipping", q.Name, t.Name)
				continue
			}
			return b.errorf("rule %q for relation %q does not exist", q.Name, t.Name)
		}
		t.Rules = slices.Delete(t.Rules, i, i+1)
	}
	return nil
}
