package ddl

import (
	"strings"

	"github.com/crudgen/crudgen/generator/dialect"
)

// otherDialect looks in a statement PostgreSQL could not parse for what
// only another engine's SQL has: backtick-quoted names, ENGINE=, UNSIGNED
// and AUTO_INCREMENT (MySQL), AUTOINCREMENT (SQLite). It returns the byte
// offset of the first such token and a hint naming the dialect, or "".
// Strings, quoted names and comments are passed over.
func otherDialect(sql string) (int, string) {
	for i := 0; i < len(sql); i++ {
		switch c := sql[i]; {
		case c == '\'' || c == '"':
			i = skipQuoted(sql, i, c)
		case c == '-' && strings.HasPrefix(sql[i:], "--"):
			if n := strings.IndexByte(sql[i:], '\n'); n >= 0 {
				i += n
			} else {
				return 0, ""
			}
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			if n := strings.Index(sql[i+2:], "*/"); n >= 0 {
				i += n + 3
			} else {
				return 0, ""
			}
		case c == '$':
			i = skipDollarQuoted(sql, i)
		case c == '`':
			return i, dialect.Hint(dialect.Postgres, dialect.MySQL, "backtick-quoted names")
		case isWordStart(c):
			j := i
			for j < len(sql) && isWordChar(sql[j]) {
				j++
			}
			word := strings.ToUpper(sql[i:j])
			switch {
			case word == "AUTOINCREMENT":
				return i, dialect.Hint(dialect.Postgres, dialect.SQLite, "AUTOINCREMENT")
			case word == "AUTO_INCREMENT":
				return i, dialect.Hint(dialect.Postgres, dialect.MySQL, "AUTO_INCREMENT")
			case word == "UNSIGNED":
				return i, dialect.Hint(dialect.Postgres, dialect.MySQL, "UNSIGNED")
			case word == "ENGINE" && strings.HasPrefix(strings.TrimLeft(sql[j:], " \t\r\n"), "="):
				return i, dialect.Hint(dialect.Postgres, dialect.MySQL, "ENGINE=")
			}
			i = j - 1
		}
	}
	return 0, ""
}

// skipQuoted returns the offset of the quote that closes the string or
// name opened at i (a doubled quote stands for itself).
func skipQuoted(sql string, i int, q byte) int {
	for j := i + 1; j < len(sql); j++ {
		if sql[j] == q {
			if j+1 < len(sql) && sql[j+1] == q {
				j++
				continue
			}
			return j
		}
	}
	return len(sql)
}

// skipDollarQuoted returns the offset of the end of the $tag$ string
// opened at i, or i when no such string opens there.
func skipDollarQuoted(sql string, i int) int {
	j := i + 1
	for j < len(sql) && isWordChar(sql[j]) && sql[j] != '$' {
		j++
	}
	if j >= len(sql) || sql[j] != '$' {
		return i
	}
	tag := sql[i : j+1]
	if n := strings.Index(sql[j+1:], tag); n >= 0 {
		return j + n + len(tag)
	}
	return len(sql)
}

func isWordStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}

func isWordChar(c byte) bool { return isWordStart(c) || '0' <= c && c <= '9' || c == '$' }
