package model

import (
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/jinzhu/inflection"
)

// initialisms are written in capitals in Go names (ID, URL...), following
// the Go style the standard library and golint use.
var initialisms = map[string]bool{
	"acl": true, "api": true, "ascii": true, "cpu": true, "css": true, "dns": true, "eof": true,
	"guid": true, "html": true, "http": true, "https": true, "id": true, "ip": true, "json": true,
	"lhs": true, "qps": true, "ram": true, "rhs": true, "rpc": true, "sla": true, "smtp": true,
	"sql": true, "ssh": true, "tcp": true, "tls": true, "ttl": true, "udp": true, "ui": true,
	"uid": true, "uuid": true, "uri": true, "url": true, "utf8": true, "vm": true, "xml": true,
	"xmpp": true, "xsrf": true, "xss": true, "sku": true, "isbn": true, "ssn": true,
}

// words splits a SQL name into words: at anything that is not a letter or
// digit, and where camelCase changes case (userId → user, Id; HTTPServer →
// HTTP, Server).
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if len(cur) > 0 && unicode.IsUpper(r) {
			prev := cur[len(cur)-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || unicode.IsUpper(prev) && nextLower {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

// exported turns a SQL name into an exported Go identifier: user_id →
// UserID, "Order Items" → OrderItems. Names that cannot start an exported
// identifier (digits, letters without case) get an X in front.
func exported(s string) string {
	var b strings.Builder
	for _, w := range words(s) {
		lw := strings.ToLower(w)
		if initialisms[lw] {
			b.WriteString(strings.ToUpper(lw))
			continue
		}
		rs := []rune(lw)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	name := b.String()
	if name == "" {
		return "X"
	}
	if r := []rune(name)[0]; !unicode.IsUpper(r) {
		name = "X" + name
	}
	return name
}

// unexported turns a SQL name into a lower-case Go identifier (user_id →
// userID, URL → url), avoiding Go keywords and predeclared names.
func unexported(s string) string {
	var b strings.Builder
	for i, w := range words(s) {
		lw := strings.ToLower(w)
		switch {
		case i == 0:
			b.WriteString(lw)
		case initialisms[lw]:
			b.WriteString(strings.ToUpper(lw))
		default:
			rs := []rune(lw)
			rs[0] = unicode.ToUpper(rs[0])
			b.WriteString(string(rs))
		}
	}
	name := b.String()
	if name == "" || unicode.IsDigit([]rune(name)[0]) {
		name = "x" + name
	}
	if token.IsKeyword(name) || predeclared[name] {
		name += "_"
	}
	return name
}

// predeclared are Go's predeclared identifiers, which local names must not
// shadow in generated code.
var predeclared = map[string]bool{
	"any": true, "append": true, "bool": true, "byte": true, "cap": true, "clear": true, "close": true,
	"comparable": true, "complex": true, "complex64": true, "complex128": true, "copy": true, "delete": true,
	"error": true, "false": true, "float32": true, "float64": true, "imag": true, "int": true, "int8": true,
	"int16": true, "int32": true, "int64": true, "iota": true, "len": true, "make": true, "max": true,
	"min": true, "new": true, "nil": true, "panic": true, "print": true, "println": true, "real": true,
	"recover": true, "rune": true, "string": true, "true": true, "uint": true, "uint8": true, "uint16": true,
	"uint32": true, "uint64": true, "uintptr": true,
}

// singular and plural use English inflection on the last word of a name,
// so post_tags → post_tag and album → albums.
func singular(s string) string { return inflection.Singular(s) }

func plural(s string) string { return inflection.Plural(inflection.Singular(s)) }

// namer hands out names unique within one scope, in the order asked, so
// collisions after conversion (user_id and userId) get deterministic
// suffixes: UserID, UserID2.
type namer struct {
	used map[string]bool
	// next is the suffix unique tries first for a name: names are never
	// freed, so the smaller ones are still taken.
	next map[string]int
}

func newNamer(reserved ...string) *namer {
	n := &namer{used: map[string]bool{}, next: map[string]int{}}
	for _, r := range reserved {
		n.used[r] = true
	}
	return n
}

// unique returns name, or name with the smallest suffix 2, 3... that is
// still free, and marks it used.
func (n *namer) unique(name string) string {
	if !n.used[name] {
		n.used[name] = true
		return name
	}
	for i := max(n.next[name], 2); ; i++ {
		c := name + strconv.Itoa(i)
		if !n.used[c] {
			n.used[c] = true
			n.next[name] = i + 1
			return c
		}
	}
}

// free reports whether all names are unused.
func (n *namer) free(names ...string) bool {
	for _, name := range names {
		if n.used[name] {
			return false
		}
	}
	return true
}

// slug turns a table name into a URL path segment: lower case, letters,
// digits, _ and - kept (non-ASCII letters too), anything else a -.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' {
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-_")
}

// fileName turns a resource name into a Go file name that no build
// constraint applies to (users_linux.go would build on Linux only).
func fileName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '_' {
			b.WriteRune(r)
		} else if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
			b.WriteByte('_')
		}
	}
	name := strings.Trim(underscores.ReplaceAllString(b.String(), "_"), "_")
	if name == "" {
		name = "table"
	}
	parts := strings.Split(name, "_")
	last := parts[len(parts)-1]
	if buildSuffixes[last] || last == "test" || strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
		name += "_api"
	}
	return name
}

var underscores = regexp.MustCompile(`_+`)

// buildSuffixes are the GOOS and GOARCH values a file name suffix restricts
// builds to.
var buildSuffixes = map[string]bool{}

func init() {
	for _, s := range strings.Fields(`aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd
		openbsd plan9 solaris wasip1 windows zos 386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle
		mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm`) {
		buildSuffixes[s] = true
	}
}
