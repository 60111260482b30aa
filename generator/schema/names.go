package schema

import (
	"strconv"
	"unicode/utf8"
)

// maxIdentLen is NAMEDATALEN-1: PostgreSQL truncates longer identifiers.
const maxIdentLen = 63

// makeObjectName builds name1_name2_label within maxIdentLen bytes,
// shortening the longer of name1 and name2 first, as PostgreSQL's
// makeObjectName does for constraint, index and sequence names.
func makeObjectName(name1, name2, label string) string {
	n1, n2 := len(name1), len(name2)
	overhead := 0
	if label != "" {
		overhead = len(label) + 1
	}
	if name2 != "" {
		overhead++
	}
	avail := maxIdentLen - overhead
	for n1+n2 > avail {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	name := clipUTF8(name1, n1)
	if name2 != "" {
		name += "_" + clipUTF8(name2, n2)
	}
	if label != "" {
		name += "_" + label
	}
	return name
}

// clipUTF8 cuts s to at most n bytes without splitting a character.
func clipUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// nameAddition joins column names with underscores until the result is
// long enough, as ChooseIndexNameAddition does.
func nameAddition(cols []string) string {
	buf := ""
	for _, c := range cols {
		if buf != "" {
			buf += "_"
		}
		if len(c) > maxIdentLen+1 {
			c = c[:maxIdentLen+1]
		}
		buf += c
		if len(buf) >= maxIdentLen+1 {
			break
		}
	}
	return buf
}

// chooseRelationName picks a name for an index or sequence that no
// relation (and, for constraints, no constraint) of the schema uses.
func chooseRelationName(ns *namespace, name1, name2, label string, isConstraint bool) string {
	for pass := 0; ; pass++ {
		l := label
		if pass > 0 {
			l += strconv.Itoa(pass)
		}
		name := makeObjectName(name1, name2, l)
		if ns.rels[name] == nil && (!isConstraint || ns.constraints[name] == 0) {
			return name
		}
	}
}

// chooseConstraintName picks a constraint name unused in the schema and
// not in others (names chosen earlier for the same statement).
func chooseConstraintName(ns *namespace, name1, name2, label string, others map[string]bool) string {
	for pass := 0; ; pass++ {
		l := label
		if pass > 0 {
			l += strconv.Itoa(pass)
		}
		name := makeObjectName(name1, name2, l)
		if ns.constraints[name] == 0 && !others[name] {
			return name
		}
	}
}
