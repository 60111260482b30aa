package runtime

// UUID is PostgreSQL's uuid. Its text and JSON form is the lower-case
// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
//
// The zero value is the nil UUID, 00000000-0000-0000-0000-000000000000.
type UUID [16]byte

// ParseUUID parses the hyphenated form "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
// in upper, lower or mixed case. The other forms PostgreSQL reads (no
// hyphens, braces, hyphens elsewhere) are rejected.
func ParseUUID(s string) (UUID, error) {
	var u UUID
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, &parseError{what: "UUID", input: s, msg: "want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"}
	}
	j := 0
	for i := 0; i < 36; i += 2 {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			i++
		}
		hi, ok1 := fromHex(s[i])
		lo, ok2 := fromHex(s[i+1])
		if !ok1 || !ok2 {
			return UUID{}, &parseError{what: "UUID", input: s, msg: "not a hexadecimal digit"}
		}
		u[j] = hi<<4 | lo
		j++
	}
	return u, nil
}

func fromHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// String returns the lower-case hyphenated form.
func (u UUID) String() string {
	var buf [36]byte
	return string(u.appendText(buf[:0]))
}

func (u UUID) appendText(b []byte) []byte {
	const hex = "0123456789abcdef"
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hex[c>>4], hex[c&0xF])
	}
	return b
}

// IsZero reports whether u is the nil UUID.
func (u UUID) IsZero() bool { return u == UUID{} }

// AppendText implements encoding.TextAppender; the text is String's.
func (u UUID) AppendText(b []byte) ([]byte, error) { return u.appendText(b), nil }

// MarshalText implements encoding.TextMarshaler; the text is String's.
func (u UUID) MarshalText() ([]byte, error) { return u.appendText(make([]byte, 0, 36)), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseUUID.
func (u *UUID) UnmarshalText(text []byte) error {
	v, err := ParseUUID(string(text))
	if err != nil {
		return err
	}
	*u = v
	return nil
}

// AppendJSON appends u as a JSON string.
func (u UUID) AppendJSON(b []byte) []byte {
	b = append(b, '"')
	b = u.appendText(b)
	return append(b, '"')
}

// MarshalJSON implements json.Marshaler like AppendJSON.
func (u UUID) MarshalJSON() ([]byte, error) { return u.AppendJSON(make([]byte, 0, 38)), nil }

// UnmarshalJSON implements json.Unmarshaler: it accepts a JSON string in the
// syntax of ParseUUID. null leaves u unchanged, as encoding/json expects.
func (u *UUID) UnmarshalJSON(data []byte) error {
	text, isNull, err := jsonString(data, "UUID")
	if err != nil || isNull {
		return err
	}
	return u.UnmarshalText([]byte(text))
}

// UUIDOf reads a UUID from a JSON string (see ParseUUID). Another JSON type
// is a FieldError with code "type" ("must be a string"), a string that is
// not a UUID one with code "format" ("must be a UUID").
func UUIDOf(d *Decoder, dst *UUID) bool {
	text, ok := d.StringValue()
	if !ok {
		return false
	}
	v, err := ParseUUID(text)
	if err != nil {
		d.Fail(CodeFormat, "must be a UUID")
		return false
	}
	*dst = v
	return true
}
