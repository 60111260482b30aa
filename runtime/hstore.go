package runtime

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Generated code sends hstore columns as text cast in SQL
// ($1::text::hstore). PostgreSQL's hstore_in reports malformed text as an
// internal error (XX000), which API.Error cannot tell from a real one, so
// Validate methods check the text first with Hstore.
//
// The grammar is that of hstore_in's state machines (contrib/hstore,
// hstore_io.c: parse_hstore and get_val) in PostgreSQL 15, unchanged
// through 17. It works on bytes: only ASCII bytes are special.
//
//	hstore  = ws [ pair { ws "," ws pair } [ ws "," ] ] ws
//	pair    = key ws "=>" ws value
//	key     = quoted | unquoted, not starting with "="
//	value   = quoted | unquoted
//	quoted  = '"' { any byte but '"' and '\' | '\' any byte } '"'
//	ws      = { " " | "\t" | "\n" | "\r" | "\f" }  (not "\v")
//
// An unquoted word starts with any byte but whitespace and '"' (a '\'
// escapes the next byte) and runs until whitespace, or until "=" for a
// key and "," for a value: a key may hold commas and a value "=" and "=>",
// and the first byte of a value may be "," or "=". A '"' after the first
// byte is an ordinary byte. NULL as an unquoted value, in any case, is SQL
// NULL, which changes the meaning, not the validity.
//
// Besides syntax, hstore_in fails (XX000, "invalid memory alloc request
// size") on two sizes, both beyond palloc's limit of 1 GiB - 1 bytes:
//
//   - more than 2^24 pairs, duplicate keys included (they are merged
//     later): its array of 40-byte pairs doubles past 1 GiB. Such text
//     has at least 80 MiB.
//   - a key or value of 2^29 bytes or more, once unquoted and unescaped:
//     get_val's buffer doubles from 32 bytes to 1 GiB.
//
// Only an API whose MaxBodyBytes is raised that far meets them. Left
// unchecked, as they depend on which of duplicate keys PostgreSQL keeps:
// from about 940 MiB of text the hstore itself outgrows palloc's limit,
// and hstore_out, which allocates twice the size of the keys and values,
// fails to print (or RETURNING to return) more than about 512 MiB of them.

// hstoreLimits are the sizes hstore_in handles; tests use small ones.
type hstoreLimits struct {
	pairs int // pairs, duplicates included
	word  int // bytes of a key or value, unquoted and unescaped
}

// hstoreMax are PostgreSQL's limits.
var hstoreMax = hstoreLimits{pairs: 1 << 24, word: 1<<29 - 1}

// hstoreFault is what is wrong with hstore text; 0 is nothing.
type hstoreFault int

const (
	hstoreSyntax hstoreFault = iota + 1
	hstoreTooManyPairs
	hstoreTooLong
)

// hstoreMessage says what hstore text looks like; syntax errors append
// where the text went wrong.
const hstoreMessage = `must be hstore text: "key"=>"value" pairs separated by commas`

// Hstore adds a "format" error at loc to errs when s is not hstore text PostgreSQL accepts.
func Hstore(errs *FieldErrors, s string, loc ...any) {
	if at, fault := scanHstore(s, hstoreMax); fault != 0 {
		errs.Add(CodeFormat, hstoreError(s, at, fault), loc...)
	}
}

// hstoreError words fault, found at byte at of s. It counts characters,
// as JSON clients do, from 1.
func hstoreError(s string, at int, fault hstoreFault) string {
	switch {
	case fault == hstoreTooManyPairs:
		return "must be hstore text of at most " + strconv.Itoa(hstoreMax.pairs) + " pairs"
	case fault == hstoreTooLong:
		return "must be hstore text with keys and values of at most " + strconv.Itoa(hstoreMax.word) + " bytes"
	case at == len(s):
		return hstoreMessage + "; unexpected end of text"
	}
	r, _ := utf8.DecodeRuneInString(s[at:])
	return fmt.Sprintf("%s; unexpected %s at character %d", hstoreMessage, strconv.Quote(string(r)), utf8.RuneCountInString(s[:at])+1)
}

// scanHstore checks s as hstore_in does. It returns the fault and the
// offset of the byte at fault (len(s) when s ends too early), or 0 and -1
// when s is valid.
func scanHstore(s string, limits hstoreLimits) (at int, fault hstoreFault) {
	i := hstoreSpace(s, 0)
	for pairs := 1; i < len(s); pairs++ {
		// Here a key starts, or the text is wrong: either way counts.
		if pairs > limits.pairs {
			return i, hstoreTooManyPairs
		}
		if i, fault = hstorePair(s, i, limits.word); fault != 0 {
			return i, fault
		}
		if i, fault = hstoreComma(s, i); fault != 0 {
			return i, fault
		}
	}
	return -1, 0
}

// hstorePair reads key => value; s[i] is not whitespace.
func hstorePair(s string, i, maxWord int) (int, hstoreFault) {
	if s[i] == '=' {
		return i, hstoreSyntax // unlike a value, a key cannot start with "="
	}
	i, fault := hstoreWord(s, i, '=', maxWord)
	if fault != 0 {
		return i, fault
	}
	if i, fault = hstoreArrow(s, i); fault != 0 {
		return i, fault
	}
	// A value must follow, even after the last "=>".
	if i = hstoreSpace(s, i); i == len(s) {
		return i, hstoreSyntax
	}
	return hstoreWord(s, i, ',', maxWord)
}

// The scanners below take s and the offset to start at, and return the
// offset after what they read, or the offset of their fault.

// hstoreArrow reads the "=>" after a key, which may follow whitespace but
// has none inside.
func hstoreArrow(s string, i int) (int, hstoreFault) {
	i = hstoreSpace(s, i)
	if i == len(s) || s[i] != '=' {
		return i, hstoreSyntax
	}
	if i++; i == len(s) || s[i] != '>' {
		return i, hstoreSyntax
	}
	return i + 1, 0
}

// hstoreComma reads what may follow a value: whitespace, then the end or
// a comma and whitespace. After a comma the text may end (trailing commas
// are allowed) or go on with a key.
func hstoreComma(s string, i int) (int, hstoreFault) {
	if i = hstoreSpace(s, i); i == len(s) {
		return i, 0
	}
	if s[i] != ',' {
		return i, hstoreSyntax
	}
	return hstoreSpace(s, i+1), 0
}

// hstoreWord reads a key or value, quoted or not; an unquoted one ends
// before whitespace or stop. s[i] is not whitespace.
func hstoreWord(s string, i int, stop byte, maxLen int) (int, hstoreFault) {
	var end int
	var ok bool
	if s[i] == '"' {
		end, ok = hstoreQuoted(s, i+1)
	} else {
		end, ok = hstoreUnquoted(s, i, stop)
	}
	switch {
	case !ok:
		return end, hstoreSyntax
	case !hstoreFits(s[i:end], maxLen):
		return i, hstoreTooLong
	}
	return end, 0
}

// hstoreUnquoted reads an unquoted word; it returns false when the text
// ends with the escape character.
func hstoreUnquoted(s string, i int, stop byte) (int, bool) {
	if s[i] != '\\' {
		i++ // the first byte belongs to the word even when it is stop
	}
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			if i++; i == len(s) {
				return i, false
			}
		case c == stop || hstoreIsSpace(c):
			return i, true
		}
	}
	return i, true
}

// hstoreQuoted reads the rest of a quoted word from just after its opening
// quote; it returns false when the closing quote is missing.
func hstoreQuoted(s string, i int) (int, bool) {
	for ; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++ // skip the escaped byte; past the end, the loop ends
		case '"':
			return i + 1, true
		}
	}
	return len(s), false
}

// hstoreFits reports whether the word w, as written, has at most maxLen
// bytes once unquoted and unescaped. Only huge words need counting.
func hstoreFits(w string, maxLen int) bool {
	if len(w) <= maxLen {
		return true
	}
	if w[0] == '"' {
		w = w[1 : len(w)-1]
	}
	n := 0
	for i := 0; i < len(w); i++ {
		if w[i] == '\\' {
			i++
		}
		n++
	}
	return n <= maxLen
}

// hstoreSpace skips whitespace from i.
func hstoreSpace(s string, i int) int {
	for i < len(s) && hstoreIsSpace(s[i]) {
		i++
	}
	return i
}

// hstoreIsSpace is PostgreSQL's scanner_isspace: no vertical tab, nothing
// beyond ASCII.
func hstoreIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
