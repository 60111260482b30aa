package runtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"
)

// decodeAny reads any value the way encoding/json decodes into an any
// with UseNumber, so that the two can be compared.
func decodeAny(d *Decoder) any {
	switch d.Peek() {
	case KindNull:
		d.Null()
		return nil
	case KindBool:
		var b bool
		d.Bool(&b)
		return b
	case KindNumber, KindString:
		text, isString, _ := d.Scalar()
		if isString {
			return text
		}
		return json.Number(text)
	case KindArray:
		a := []any{}
		d.Array(func(int) { a = append(a, decodeAny(d)) })
		return a
	case KindObject:
		m := map[string]any{}
		d.Object(func(k string) { m[strings.Clone(k)] = decodeAny(d) })
		return m
	}
	d.Skip()
	return nil
}

type decAnyValue struct{ v any }

func (a *decAnyValue) DecodeJSON(d *Decoder) { a.v = decodeAny(d) }

// decProblem asserts that err is a *Problem with the given status.
func decProblem(t *testing.T, err error, status int) *Problem {
	t.Helper()
	var p *Problem
	if !errors.As(err, &p) {
		t.Fatalf("error %v (%T) is not a *Problem", err, err)
	}
	if p.Status != status {
		t.Fatalf("status %d, want %d: %v", p.Status, status, p)
	}
	return p
}

func jsonUnmarshalAny(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data")
	}
	return v, nil
}

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	inputs := []string{
		`null`, `true`, `false`, `0`, `-0`, `1.5e-3`, `-12E+4`, `1e400`, `""`, `"x"`,
		` [ ] `, "\t{\r\n}\n", `[[[]]]`, `{"a":{"b":[1,{"c":null}]}}`,
		`"\"\\\/\b\f\n\r\t"`, `"\u00e9\u20AC\uD83D\uDE00\uFFFF\uffFE"`, `"é€😀"`,
		`"\u0000"`, `"<>&\u2028\u2029"`, "\"\x7f\"",
		`{"":1,"\u0061":2,"a\u0000":3}`, `[1,"2",[3],{"4":4}]`,
		`123456789012345678901234567890`, `-0.000000000000000000000001e-999`,
	}
	for _, in := range inputs {
		decCompare(t, []byte(in))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var b []byte
		b = decRandomValue(r, b, 0)
		decCompare(t, b)
	}
}

func decCompare(t *testing.T, data []byte) {
	t.Helper()
	want, werr := jsonUnmarshalAny(data)
	var got decAnyValue
	err := Decode(data, &got)
	if werr != nil || err != nil {
		t.Fatalf("%q: encoding/json: %v; Decode: %v", data, werr, err)
	}
	if !reflect.DeepEqual(got.v, want) {
		t.Fatalf("%q: got %#v, want %#v", data, got.v, want)
	}
}

// decRandomValue appends a random valid JSON value without duplicate keys.
func decRandomValue(r *rand.Rand, b []byte, depth int) []byte {
	b = decRandomSpace(r, b)
	n := 8
	if depth > 4 {
		n = 5
	}
	switch r.IntN(n) {
	case 0:
		b = append(b, "null"...)
	case 1:
		b = append(b, "true"...)
	case 2:
		b = append(b, "false"...)
	case 3:
		b = decRandomNumber(r, b)
	case 4:
		b = decRandomString(r, b)
	case 5, 6:
		b = append(b, '[')
		for i := range r.IntN(5) {
			if i > 0 {
				b = append(b, ',')
			}
			b = decRandomValue(r, b, depth+1)
		}
		b = append(decRandomSpace(r, b), ']')
	default:
		b = append(b, '{')
		for i := range r.IntN(5) {
			if i > 0 {
				b = append(b, ',')
			}
			b = decRandomSpace(r, b)
			b = decRandomString(r, b)
			b = append(b[:len(b)-1], "·"+strconv.Itoa(i)+`"`...) // distinct keys
			b = append(decRandomSpace(r, b), ':')
			b = decRandomValue(r, b, depth+1)
		}
		b = append(decRandomSpace(r, b), '}')
	}
	return decRandomSpace(r, b)
}

func decRandomSpace(r *rand.Rand, b []byte) []byte {
	for r.IntN(4) == 0 {
		b = append(b, " \t\r\n"[r.IntN(4)])
	}
	return b
}

func decRandomNumber(r *rand.Rand, b []byte) []byte {
	digits := func(n int, first bool) {
		for i := range n {
			c := byte('0' + r.IntN(10))
			if i == 0 && first && c == '0' {
				c = '1'
			}
			b = append(b, c)
		}
	}
	if r.IntN(3) == 0 {
		b = append(b, '-')
	}
	if r.IntN(4) == 0 {
		b = append(b, '0')
	} else {
		digits(1+r.IntN(25), true)
	}
	if r.IntN(3) == 0 {
		b = append(b, '.')
		digits(1+r.IntN(20), false)
	}
	if r.IntN(3) == 0 {
		b = append(b, "eE"[r.IntN(2)])
		if s := r.IntN(3); s < 2 {
			b = append(b, "+-"[s])
		}
		digits(1+r.IntN(3), false)
	}
	return b
}

// decRandomString appends a string mixing ASCII, multi-byte UTF-8, all
// the short escapes, \u escapes of every range and surrogate pairs.
func decRandomString(r *rand.Rand, b []byte) []byte {
	b = append(b, '"')
	for range r.IntN(12) {
		switch r.IntN(7) {
		case 0:
			b = append(b, byte(0x20+r.IntN(0x5f)))
			if b[len(b)-1] == '"' || b[len(b)-1] == '\\' {
				b = b[:len(b)-1]
			}
		case 1:
			b = append(b, []string{`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`}[r.IntN(8)]...)
		case 2:
			c := rune(r.IntN(0x110000))
			if (c >= 0xD800 && c < 0xE000) || c < 0x20 || c == '"' || c == '\\' {
				c = 'é'
			}
			b = utf8.AppendRune(b, c)
		case 3:
			c := r.IntN(0x10000)
			if c >= 0xD800 && c < 0xE000 {
				c = 0x20AC
			}
			b = fmt.Appendf(b, `\u%04x`, c)
		case 4:
			c := r.IntN(0x100000) // a supplementary character minus 0x10000
			hi, lo := 0xD800+(c>>10), 0xDC00+(c&0x3FF)
			b = fmt.Appendf(b, `\u%04X\u%04x`, hi, lo)
		case 5:
			b = fmt.Appendf(b, `\u%04x`, r.IntN(0x20))
		default:
			b = append(b, "日本"...)
		}
	}
	return append(b, '"')
}

func TestDecodeStringBytes(t *testing.T) {
	// Every byte at every position of strings up to 3 words long (the
	// scanner checks 8 bytes at a time) against encoding/json.
	for c := range 256 {
		for n := 1; n <= 24; n++ {
			for i := range n {
				p := []byte(`"` + strings.Repeat("abcdefgh", 3)[:n] + `"`)
				p[1+i] = byte(c)
				var want string
				werr := json.Unmarshal(p, &want)
				var got string
				err := Decode(p, decFunc(func(d *Decoder) { d.String(&got) }))
				if c >= 0x80 { // a lone continuation or start byte: invalid UTF-8
					werr = errors.New("invalid UTF-8")
				}
				if (err == nil) != (werr == nil) || err == nil && got != want {
					t.Fatalf("%q: got %q, %v; encoding/json %q, %v", p, got, err, want, werr)
				}
			}
		}
	}
}

func TestDecodeSyntaxErrors(t *testing.T) {
	for _, tt := range []struct{ in, msg string }{
		{`{"a" 1}`, "invalid character '1' after object key (at byte offset 5)"},
		{`{"a":1 "b":2}`, "invalid character '\"' after object key:value pair (at byte offset 7)"},
		{`{"a":1,}`, "invalid character '}' looking for beginning of object key string (at byte offset 7)"},
		{`[1,]`, "invalid character ']' looking for beginning of value (at byte offset 3)"},
		{`[1 2]`, "invalid character '2' after array element (at byte offset 3)"},
		{`{1:2}`, "invalid character '1' looking for beginning of object key string (at byte offset 1)"},
		{`[01]`, "invalid character '1' after array element (at byte offset 2)"},
		{`-`, "unexpected end of JSON input (at byte offset 1)"},
		{`-a`, "invalid character 'a' in numeric literal (at byte offset 1)"},
		{`1.`, "unexpected end of JSON input (at byte offset 2)"},
		{`1.e5`, "invalid character 'e' after decimal point in numeric literal (at byte offset 2)"},
		{`1e+`, "unexpected end of JSON input (at byte offset 3)"},
		{`.5`, "invalid character '.' looking for beginning of value (at byte offset 0)"},
		{`+1`, "invalid character '+' looking for beginning of value (at byte offset 0)"},
		{`nul`, "unexpected end of JSON input (at byte offset 3)"},
		{`nulL`, "invalid character 'L' in literal null (expecting 'l') (at byte offset 3)"},
		{`True`, "invalid character 'T' looking for beginning of value (at byte offset 0)"},
		{"\"a\tb\"", `invalid character '\t' in string literal (at byte offset 2)`},
		{`"\x"`, "invalid character 'x' in string escape code (at byte offset 2)"},
		{`"\u12G4"`, "invalid character 'G' in \\u hexadecimal character escape (at byte offset 5)"},
		{`"\ud800"`, "unpaired surrogate in \\u escape (at byte offset 1)"},
		{`"\udc00"`, "unpaired surrogate in \\u escape (at byte offset 1)"},
		{`"\ud800\u0041"`, "unpaired surrogate in \\u escape (at byte offset 1)"},
		{`"\ud800\ud800"`, "unpaired surrogate in \\u escape (at byte offset 1)"},
		{`"\ud800\\udc00"`, "unpaired surrogate in \\u escape (at byte offset 1)"},
		{`"\ud800\ud`, "unexpected end of JSON input (at byte offset 10)"},
		{`"\ud800\udcxx"`, "invalid character 'x' in \\u hexadecimal character escape (at byte offset 11)"},
		{`"ab\ud800x"`, "unpaired surrogate in \\u escape (at byte offset 3)"},
		{"\"a\xffb\"", "invalid UTF-8 in string (at byte offset 2)"},
		{"\"\xed\xa0\x80\"", "invalid UTF-8 in string (at byte offset 1)"}, // UTF-8 encoded surrogate
		{"\"\xc3\"", "invalid UTF-8 in string (at byte offset 1)"},
		{"\xef\xbb\xbf{}", "invalid character '\\ufeff' looking for beginning of value (at byte offset 0)"},
		{"\xff", "invalid character byte 0xff looking for beginning of value (at byte offset 0)"},
		{`"abc`, "unexpected end of JSON input (at byte offset 4)"},
		{`{} {}`, "invalid character '{' after top-level value (at byte offset 3)"},
		{`{"a":1}x`, "invalid character 'x' after top-level value (at byte offset 7)"},
		{"\x00", `invalid character '\x00' looking for beginning of value (at byte offset 0)`},
		{"{\"a\":\v1}", `invalid character '\v' looking for beginning of value (at byte offset 5)`},
		{`{"a":1`, "unexpected end of JSON input (at byte offset 6)"},
	} {
		for name, dst := range map[string]Decodable{"any": &decAnyValue{}, "typed": &decItem{}} {
			err := Decode([]byte(tt.in), dst)
			p := decProblem(t, err, http.StatusBadRequest)
			if want := "request body is not valid JSON: " + tt.msg; p.Detail != want {
				t.Errorf("%s %q:\n got %s\nwant %s", name, tt.in, p.Detail, want)
			}
			if json.Valid([]byte(tt.in)) && utf8.ValidString(tt.in) && !strings.Contains(tt.in, `\ud`) && !strings.Contains(tt.in, `\udc`) {
				t.Errorf("%q is valid for encoding/json", tt.in)
			}
		}
	}
}

func TestDecodeDepth(t *testing.T) {
	nest := func(n int, open, close string) []byte {
		inner := ""
		if open != "[" {
			inner = "0"
		}
		return []byte(strings.Repeat(open, n) + inner + strings.Repeat(close, n))
	}
	for _, dst := range []func() Decodable{
		func() Decodable { return &decAnyValue{} },          // Object/Array readers
		func() Decodable { return &decSkipper{} },           // Skip
		func() Decodable { return &decRaw{} },               // RawJSON
		func() Decodable { return &decItem{} },              // a mismatch, then skipped
		func() Decodable { return &decNested{depth: 1000} }, // hand-nested readers
	} {
		for _, shape := range [][2]string{{"[", "]"}, {`{"a":`, "}"}} {
			if err := Decode(nest(512, shape[0], shape[1]), dst()); err != nil && decIsStatus(err, 400) {
				t.Errorf("%T: depth 512: %v", dst(), err)
			}
			err := Decode(nest(513, shape[0], shape[1]), dst())
			p := decProblem(t, err, http.StatusBadRequest)
			if !strings.Contains(p.Detail, "nesting exceeds the maximum depth of 512") {
				t.Errorf("%T: depth 513: %v", dst(), p.Detail)
			}
		}
	}
	// Deep but truncated input must neither recurse unboundedly nor panic.
	err := Decode([]byte(strings.Repeat("[", 1_000_000)), &decAnyValue{})
	decProblem(t, err, http.StatusBadRequest)
}

func decIsStatus(err error, status int) bool {
	var p *Problem
	return errors.As(err, &p) && p.Status == status
}

type decSkipper struct{}

func (*decSkipper) DecodeJSON(d *Decoder) { d.Skip() }

type decRaw struct{ v json.RawMessage }

func (r *decRaw) DecodeJSON(d *Decoder) { d.RawJSON(&r.v) }

type decNested struct{ depth int }

func (n *decNested) DecodeJSON(d *Decoder) {
	switch d.Peek() {
	case KindArray:
		d.Array(func(int) { n.DecodeJSON(d) })
	case KindObject:
		d.Object(func(string) { n.DecodeJSON(d) })
	default:
		d.Skip()
	}
}

// decItem is what crudgen generates for a table with a few columns.
type decItem struct {
	ID       int64
	Name     string
	Price    float64
	Qty      int16
	Big      int32
	Active   bool
	Tags     []string
	Note     *string
	Parts    []decPart
	Meta     json.RawMessage
	Created  time.Time
	Local    time.Time
	Data     []byte
	Addr     netip.Addr
	Net      netip.Prefix
	Color    decColor
	Patch    Optional[string]
	Scores   []*int32
	required bool // whether DecodeJSON checks required fields
}

type decColor string

type decPart struct {
	SKU   string
	Count int32
}

func (p *decPart) DecodeJSON(d *Decoder) {
	var hasSKU bool
	if !d.Object(func(key string) {
		switch key {
		case "sku":
			hasSKU = d.String(&p.SKU)
		case "count":
			d.Int32(&p.Count)
		case "id":
			d.ReadOnly()
		default:
			d.Unknown()
		}
	}) {
		return
	}
	if !hasSKU {
		d.Required("sku")
	}
}

func (it *decItem) DecodeJSON(d *Decoder) {
	var hasName bool
	if !d.Object(func(key string) {
		switch key {
		case "id":
			d.ReadOnly()
		case "name":
			hasName = true // present; an invalid value is not also missing
			if d.String(&it.Name) {
				if utf8.RuneCountInString(it.Name) > 10 {
					d.Fail(CodeMaxLength, "must be at most 10 characters long")
				}
			}
		case "price":
			d.Float64(&it.Price)
		case "qty":
			d.Int16(&it.Qty)
		case "big":
			d.Int32(&it.Big)
		case "n":
			d.Int64(&it.ID)
		case "active":
			d.Bool(&it.Active)
		case "tags":
			SliceOf(d, &it.Tags, ReadString)
		case "note":
			Nullable(d, &it.Note, ReadString)
		case "parts":
			SliceOf(d, &it.Parts, func(d *Decoder, p *decPart) bool { p.DecodeJSON(d); return true })
		case "meta":
			d.RawJSON(&it.Meta)
		case "created":
			d.Time(&it.Created)
		case "local":
			d.Timestamp(&it.Local)
		case "data":
			d.Bytes(&it.Data)
		case "addr":
			d.Addr(&it.Addr)
		case "net":
			d.Prefix(&it.Net)
		case "color":
			if StringOf(d, &it.Color) && it.Color != "red" && it.Color != "blue" {
				d.Fail(CodeEnum, "must be one of red, blue")
			}
		case "patch":
			ReadOptional(d, &it.Patch, ReadString)
		case "scores":
			SliceOf(d, &it.Scores, func(d *Decoder, p **int32) bool { return Nullable(d, p, ReadInt32) })
		default:
			d.Unknown()
		}
	}) {
		return
	}
	if it.required && !hasName {
		d.Required("name")
	}
}

func TestDecodeItem(t *testing.T) {
	in := `{
		"name": "Widget", "price": 9.5, "qty": 3, "big": -2147483648, "n": 9007199254740993,
		"active": true, "tags": ["a", "b\u00e9"], "note": null,
		"parts": [{"sku": "x-1", "count": 2}, {"sku": "y"}],
		"meta": {"k": [1, 2.50, "\u0041"]},
		"created": "2024-02-29T23:59:59.123456+01:30",
		"local": "2024-02-29T23:59:59.5",
		"data": "aGVsbG8=", "addr": "::ffff:10.0.0.1", "net": "10.0.0.0/8", "color": "red",
		"patch": null, "scores": [1, null, 3]
	}`
	var it decItem
	if err := Decode([]byte(in), &it); err != nil {
		t.Fatal(err)
	}
	three := int32(3)
	one := int32(1)
	want := decItem{
		ID: 9007199254740993, Name: "Widget", Price: 9.5, Qty: 3, Big: math.MinInt32, Active: true,
		Tags: []string{"a", "bé"}, Parts: []decPart{{"x-1", 2}, {"y", 0}},
		Meta:    json.RawMessage(`{"k": [1, 2.50, "\u0041"]}`),
		Created: time.Date(2024, 2, 29, 22, 29, 59, 123456000, time.UTC),
		Local:   time.Date(2024, 2, 29, 23, 59, 59, 500000000, time.UTC),
		Data:    []byte("hello"), Addr: netip.MustParseAddr("::ffff:10.0.0.1"),
		Net: netip.MustParsePrefix("10.0.0.0/8"), Color: "red",
		Patch: Optional[string]{Set: true, Null: true}, Scores: []*int32{&one, nil, &three},
	}
	if !reflect.DeepEqual(it, want) {
		t.Errorf("got  %+v\nwant %+v", it, want)
	}
	if it.Created.Location() != time.UTC {
		t.Errorf("Created in %v, want UTC", it.Created.Location())
	}
}

func TestDecodeFieldErrors(t *testing.T) {
	in := `{
		"id": 7, "name": "much too long a name", "price": "9.5", "qty": 32768, "big": 1.5,
		"n": -9223372036854775809, "active": 1, "tags": ["a", "b", 3, null, "\u0000"],
		"note": 5, "parts": [{"count": 2}, {"sku": "x", "id": 1, "extra": [1]}, 7],
		"created": "2024-01-01T00:00:00", "local": "2024-01-01T00:00:00Z", "data": "abc",
		"addr": "fe80::1%eth0", "net": "10.1.0.0/8", "color": "green", "scores": [1, "2"],
		"nope": {"deep": [1, 2]}, "name": "again", "meta": {"a": "\u0000"}
	}`
	it := decItem{required: true}
	err := Decode([]byte(in), &it)
	p := decProblem(t, err, http.StatusUnprocessableEntity)
	want := []string{
		`["body","id"] read_only is read-only`,
		`["body","name"] max_length must be at most 10 characters long`,
		`["body","price"] type must be a number`,
		`["body","qty"] maximum must be at most 32767`,
		`["body","big"] type must be an integer`,
		`["body","n"] minimum must be at least -9223372036854775808`,
		`["body","active"] type must be a boolean`,
		`["body","tags",2] type must be a string`,
		`["body","tags",3] type must be a string`,
		`["body","tags",4] format must not contain NUL characters`,
		`["body","note"] type must be a string`,
		`["body","parts",0,"sku"] required is required`,
		`["body","parts",1,"id"] read_only is read-only`,
		`["body","parts",1,"extra"] unknown_field unknown field`,
		`["body","parts",2] type must be an object`,
		`["body","created"] format must be an RFC 3339 date-time with a time zone offset, e.g. 2006-01-02T15:04:05Z`,
		`["body","local"] format must be a date-time without time zone, e.g. 2006-01-02T15:04:05`,
		`["body","data"] format must be standard base64 with padding`,
		`["body","addr"] format must be an IP address`,
		`["body","net"] format must have no bits set to the right of the mask`,
		`["body","color"] enum must be one of red, blue`,
		`["body","scores",1] type must be an integer`,
		`["body","nope"] unknown_field unknown field`,
		`["body","name"] type duplicate field`,
		`["body","meta"] format must not contain NUL characters (\u0000)`,
	}
	var got []string
	for _, e := range p.Errors {
		loc, _ := json.Marshal(e.Loc)
		got = append(got, fmt.Sprintf("%s %s %s", loc, e.Code, e.Message))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if it.Name != "much too long a name" {
		t.Errorf("a duplicate key overwrote the first value: %q", it.Name)
	}

	// Errors of the top-level value and of required fields.
	for _, tt := range []struct{ in, want string }{
		{`null`, `["body"] type must be an object`},
		{`[{"name":"x"}]`, `["body"] type must be an object`},
		{`{}`, `["body","name"] required is required`},
		{`{"name":null}`, `["body","name"] type must be a string`},
	} {
		it := decItem{required: true}
		p := decProblem(t, Decode([]byte(tt.in), &it), http.StatusUnprocessableEntity)
		var got []string
		for _, e := range p.Errors {
			loc, _ := json.Marshal(e.Loc)
			got = append(got, fmt.Sprintf("%s %s %s", loc, e.Code, e.Message))
		}
		if strings.Join(got, "\n") != tt.want {
			t.Errorf("%s: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecodeIntegers(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		res  int
	}{
		{"0", 0, jsonIntOK}, {"-0", 0, jsonIntOK}, {"0.000", 0, jsonIntOK}, {"-0e-5", 0, jsonIntOK},
		{"0e999999999999999999999", 0, jsonIntOK}, {"7", 7, jsonIntOK}, {"1e3", 1000, jsonIntOK},
		{"1E+3", 1000, jsonIntOK}, {"1.0", 1, jsonIntOK}, {"1.50e1", 15, jsonIntOK}, {"100e-2", 1, jsonIntOK},
		{"12300e-2", 123, jsonIntOK}, {"0.0001e4", 1, jsonIntOK}, {"0.00012e4", 0, jsonIntFraction}, {"-120.0e-1", -12, jsonIntOK},
		{"9223372036854775807", math.MaxInt64, jsonIntOK}, {"-9223372036854775808", math.MinInt64, jsonIntOK},
		{"9223372036854775808", 0, jsonIntTooLarge}, {"-9223372036854775809", 0, jsonIntTooSmall},
		{"92233720368547758070e-1", math.MaxInt64, jsonIntOK}, {"0.92233720368547758080e19", 0, jsonIntTooLarge},
		{"1e18", 1e18, jsonIntOK}, {"1e19", 0, jsonIntTooLarge}, {"-1e19", 0, jsonIntTooSmall},
		{"18446744073709551616", 0, jsonIntTooLarge}, {"99999999999999999999", 0, jsonIntTooLarge},
		{"1e999999999999999999999", 0, jsonIntTooLarge}, {"-1e999999999", 0, jsonIntTooSmall},
		{"000", 0, jsonIntOK}, // not valid JSON, but parseJSONInt copes
		{"1.5", 0, jsonIntFraction}, {"0.1", 0, jsonIntFraction}, {"1e-1", 0, jsonIntFraction},
		{"15e-1", 0, jsonIntFraction}, {"1e-999999999999999", 0, jsonIntFraction},
		{"123456789012345678901234567890e-20", 0, jsonIntFraction},
		{"123456789012345678901234567890e-29", 0, jsonIntFraction},
		{"123456789012345678900000000000e-29", 0, jsonIntFraction},
		{"123456789012345678000000000000e-20", 1234567890, jsonIntFraction},
		{"123456789000000000000000000000e-20", 1234567890, jsonIntOK},
	} {
		v, res := parseJSONInt([]byte(tt.in))
		if res != tt.res || res == jsonIntOK && v != tt.want {
			t.Errorf("%s: got %d, %d; want %d, %d", tt.in, v, res, tt.want, tt.res)
		}
	}
	// Against strconv for every int64 form encoding/json accepts.
	r := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		v := int64(r.Uint64()) >> r.IntN(64)
		s := strconv.FormatInt(v, 10)
		if got, res := parseJSONInt([]byte(s)); res != jsonIntOK || got != v {
			t.Fatalf("%s: got %d, %d", s, got, res)
		}
	}
}

func TestDecodeIntRanges(t *testing.T) {
	type result struct {
		v    int64
		code string
	}
	read := func(in string, f func(d *Decoder) (int64, bool)) result {
		d := NewDecoder([]byte(in))
		v, _ := f(d)
		if err := d.Finish(); err != nil {
			p := err.(*Problem)
			if p.Status == 400 {
				return result{0, "400"}
			}
			return result{0, p.Errors[0].Code + ": " + p.Errors[0].Message}
		}
		return result{v, ""}
	}
	i16 := func(d *Decoder) (int64, bool) { var v int16; ok := d.Int16(&v); return int64(v), ok }
	i32 := func(d *Decoder) (int64, bool) { var v int32; ok := d.Int32(&v); return int64(v), ok }
	for _, tt := range []struct {
		in   string
		f    func(d *Decoder) (int64, bool)
		want result
	}{
		{"32767", i16, result{32767, ""}}, {"-32768", i16, result{-32768, ""}},
		{"32768", i16, result{0, "maximum: must be at most 32767"}},
		{"-32769", i16, result{0, "minimum: must be at least -32768"}},
		{"3.2767e4", i16, result{32767, ""}}, {"1e400", i16, result{0, "maximum: must be at most 32767"}},
		{"2147483647", i32, result{2147483647, ""}}, {"2147483648", i32, result{0, "maximum: must be at most 2147483647"}},
		{`"1"`, i32, result{0, "type: must be an integer"}}, {"true", i32, result{0, "type: must be an integer"}},
		{"[1]", i32, result{0, "type: must be an integer"}}, {"1.", i32, result{0, "400"}}, {"01", i32, result{0, "400"}},
	} {
		if got := read(tt.in, tt.f); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDecodeFloats(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var inputs []string
	for range 20000 {
		inputs = append(inputs, string(decRandomNumber(r, nil)))
		f := math.Float64frombits(r.Uint64())
		if !math.IsNaN(f) && !math.IsInf(f, 0) {
			inputs = append(inputs, strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	inputs = append(inputs, "1e-400", "4.9e-324", "2.5e-324", "1.7976931348623157e308", "-0", "0.1", "3.4028235e38")
	for _, in := range inputs {
		var want64 float64
		err64 := json.Unmarshal([]byte(in), &want64)
		var want32 float32
		err32 := json.Unmarshal([]byte(in), &want32)
		for _, bits := range []int{32, 64} {
			d := NewDecoder([]byte(in))
			var got float64
			if bits == 32 {
				var f float32
				d.Float32(&f)
				got = float64(f)
			} else {
				d.Float64(&got)
			}
			err := d.Finish()
			want, werr := want64, err64
			if bits == 32 {
				want, werr = float64(want32), err32
			}
			if (err == nil) != (werr == nil) || err == nil && math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("%s as float%d: got %v, %v; encoding/json %v, %v", in, bits, got, err, want, werr)
			}
			if err != nil {
				p := decProblem(t, err, http.StatusUnprocessableEntity)
				if c := p.Errors[0].Code; c != CodeMaximum && c != CodeMinimum {
					t.Fatalf("%s: %v", in, p)
				}
			}
		}
	}
	for _, tt := range []struct {
		in   string
		bits int
		want string
	}{
		{`"NaN"`, 64, "NaN"}, {`"Infinity"`, 64, "+Inf"}, {`"-Infinity"`, 32, "-Inf"},
		{`"nan"`, 64, "type: must be a number"}, {`"1.5"`, 64, "type: must be a number"},
		{`null`, 64, "type: must be a number"}, {`"Infinity`, 64, "400"},
		{"1e309", 64, "maximum: must be at most 1.7976931348623157e+308"},
		{"-1e309", 64, "minimum: must be at least -1.7976931348623157e+308"},
		{"3.5e38", 32, "maximum: must be at most 3.4028235e+38"},
		{"-3.5e38", 32, "minimum: must be at least -3.4028235e+38"},
	} {
		d := NewDecoder([]byte(tt.in))
		var got float64
		if tt.bits == 32 {
			var f float32
			d.Float32(&f)
			got = float64(f)
		} else {
			d.Float64(&got)
		}
		s := fmt.Sprint(got)
		if err := d.Finish(); err != nil {
			if p := err.(*Problem); p.Status == 400 {
				s = "400"
			} else {
				s = p.Errors[0].Code + ": " + p.Errors[0].Message
			}
		}
		if s != tt.want {
			t.Errorf("%s: got %s, want %s", tt.in, s, tt.want)
		}
	}
}

func TestDecodeStrings(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`""`, ""}, {`"abc"`, "abc"}, {`"\"\\\/\b\f\n\r\t"`, "\"\\/\b\f\n\r\t"},
		{`"\u00E9\u00e9é"`, "ééé"}, {`"\uD834\uDD1E"`, "𝄞"}, {`"a\ud83d\ude00b"`, "a😀b"},
		{`"\u0001\u001f\u007f\u0080\u07FF\u0800\uFFFF"`, "\x01\x1f\x7f\u0080\u07ff\u0800\uffff"},
		{"\"\U0010FFFF\"", "\U0010FFFF"}, {`"<>&"`, "<>&"}, {"\"\u2028\"", "\u2028"},
	} {
		var got string
		d := NewDecoder([]byte(tt.in))
		d.String(&got)
		if err := d.Finish(); err != nil || got != tt.want {
			t.Errorf("%s: got %q, %v; want %q", tt.in, got, err, tt.want)
		}
		var want string
		if err := json.Unmarshal([]byte(tt.in), &want); err != nil || want != tt.want {
			t.Errorf("%s: encoding/json gives %q, %v", tt.in, want, err)
		}
	}
	// A decoded string must not share memory with the input or scratch.
	in := []byte(`["abc","\u0041bc"]`)
	var got []string
	if err := Decode(in, decFunc(func(d *Decoder) { SliceOf(d, &got, ReadString) })); err != nil {
		t.Fatal(err)
	}
	copy(in, bytes.Repeat([]byte("#"), len(in)))
	if got[0] != "abc" || got[1] != "Abc" {
		t.Errorf("strings alias the input: %q", got)
	}
}

type decFunc func(d *Decoder)

func (f decFunc) DecodeJSON(d *Decoder) { f(d) }

func TestDecodeScalar(t *testing.T) {
	for _, tt := range []struct {
		in       string
		text     string
		isString bool
		ok       bool
		err      string
	}{
		{`"1.50"`, "1.50", true, true, ""}, {`1.50`, "1.50", false, true, ""}, {`-1e3`, "-1e3", false, true, ""},
		{`"a\nb"`, "a\nb", true, true, ""}, {`"\u0000"`, "\x00", true, true, ""},
		{`null`, "", false, false, "type: must be a string or a number"},
		{`{"a":1}`, "", false, false, "type: must be a string or a number"},
		{`[1,}`, "", false, false, "400"}, {`1.`, "", false, false, "400"},
	} {
		d := NewDecoder([]byte(tt.in))
		text, isString, ok := d.Scalar()
		errText := ""
		if err := d.Finish(); err != nil {
			if p := err.(*Problem); p.Status == 400 {
				errText = "400"
			} else {
				errText = p.Errors[0].Code + ": " + p.Errors[0].Message
			}
		}
		if text != tt.text || isString != tt.isString || ok != tt.ok || errText != tt.err {
			t.Errorf("%s: got %q %v %v %q", tt.in, text, isString, ok, errText)
		}
	}
	d := NewDecoder([]byte(`"x"`))
	if s, ok := d.StringValue(); !ok || s != "x" || d.Finish() != nil {
		t.Errorf("StringValue: %q %v", s, ok)
	}
}

func TestDecodePeek(t *testing.T) {
	for in, want := range map[string]Kind{
		" null": KindNull, "true": KindBool, "false": KindBool, "-1": KindNumber, "0": KindNumber,
		`"`: KindString, "[": KindArray, "{": KindObject, "": KindInvalid, "  ": KindInvalid, "x": KindInvalid,
	} {
		d := NewDecoder([]byte(in))
		if got := d.Peek(); got != want {
			t.Errorf("%q: %v, want %v", in, got, want)
		}
		if d.Failed() {
			t.Errorf("%q: Peek recorded an error", in)
		}
	}
}

func TestDecodeTimes(t *testing.T) {
	for _, tt := range []struct {
		in       string
		time, ts string // RFC 3339 UTC of the result, or "" for an error
	}{
		{"2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z", ""},
		{"2024-01-02t03:04:05z", "2024-01-02T03:04:05Z", ""},
		{"2024-01-02 03:04:05+00:00", "2024-01-02T03:04:05Z", ""},
		{"2024-01-02T03:04:05-00:00", "2024-01-02T03:04:05Z", ""},
		{"2024-01-02T03:04:05.1+05:30", "2024-01-01T21:34:05.1Z", ""},
		{"2024-01-02T03:04:05.123456789-23:59", "2024-01-03T03:03:05.123457Z", ""},
		{"2024-01-02T03:04:05.1234565Z", "2024-01-02T03:04:05.123457Z", ""},
		{"2024-01-02T03:04:05.9999995Z", "2024-01-02T03:04:06Z", ""},
		{"2024-01-02T03:04:05.1234564", "", "2024-01-02T03:04:05.123456Z"},
		{"0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z", ""},
		{"9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999Z", ""},
		{"2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z", ""},
		{"2024-01-02T03:04:05", "", "2024-01-02T03:04:05Z"},
		{"2024-01-02T03:04:05.000001", "", "2024-01-02T03:04:05.000001Z"},
		{"2024-01-02 03:04:05.5", "", "2024-01-02T03:04:05.5Z"},
		{"2023-02-29T00:00:00Z", "", ""}, {"2024-04-31T00:00:00", "", ""}, {"2024-13-01T00:00:00Z", "", ""},
		{"2024-00-01T00:00:00Z", "", ""}, {"2024-01-00T00:00:00Z", "", ""}, {"2024-01-01T24:00:00Z", "", ""},
		{"2024-01-01T23:60:00Z", "", ""}, {"2024-01-01T23:59:60Z", "", ""}, {"2024-01-01T00:00:00+24:00", "", ""},
		{"2024-01-01T00:00:00+01:60", "", ""}, {"2024-01-01T00:00:00+0100", "", ""}, {"2024-01-01T00:00:00.Z", "", ""},
		{"2024-01-01T00:00:00.1234567890Z", "", ""}, {"2024-01-01T00:00:00,5Z", "", ""}, {"2024-1-01T00:00:00Z", "", ""},
		{"2024-01-01", "", ""}, {"2024-01-01T00:00Z", "", ""}, {"+2024-01-01T00:00:00Z", "", ""},
		{"2024-01-01T00:00:00 Z", "", ""}, {"2024-01-01X00:00:00Z", "", ""}, {"", "", ""}, {"-001-01-01T00:00:00Z", "", ""},
	} {
		in := []byte(strconv.Quote(tt.in))
		for _, tz := range []bool{true, false} {
			want := tt.ts
			if tz {
				want = tt.time
			}
			d := NewDecoder(in)
			var got time.Time
			if tz {
				d.Time(&got)
			} else {
				d.Timestamp(&got)
			}
			err := d.Finish()
			if want == "" {
				if p := decProblem(t, err, 422); p.Errors[0].Code != CodeFormat {
					t.Errorf("%s: %v", in, p)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s (tz %v): %v", in, tz, err)
				continue
			}
			if s := got.Format(time.RFC3339Nano); s != want || got.Location() != time.UTC {
				t.Errorf("%s (tz %v): got %s in %v, want %s", in, tz, s, got.Location(), want)
			}
		}
		// Where encoding/json also accepts it, it agrees on the instant.
		// (It is laxer: Go has RFC 3339 strict parsing disabled, see
		// https://go.dev/issue/54580, and accepts +24:00 or a comma.)
		var jt time.Time
		if err := json.Unmarshal(in, &jt); err == nil && tt.time != "" && jt.UTC().Round(time.Microsecond).Format(time.RFC3339Nano) != tt.time {
			t.Errorf("%s: encoding/json gives %v", in, jt)
		}
	}
	// Against time.Parse on random instants in random zones.
	r := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		want := time.Unix(r.Int64N(253402300800+62135596800)-62135596800, r.Int64N(1e9)).
			In(time.FixedZone("", (r.IntN(2*1439+1)-1439)*60)) // ±23:59
		if r.IntN(4) == 0 {
			want = want.Truncate(time.Second)
		}
		in := strconv.Quote(want.Format(time.RFC3339Nano))
		var got time.Time
		d := NewDecoder([]byte(in))
		d.Time(&got)
		if err := d.Finish(); err != nil || !got.Equal(want.Round(time.Microsecond)) {
			t.Fatalf("%s: got %v, %v", in, got, err)
		}
	}
	for _, in := range []string{`null`, `1`, `{}`} {
		p := decProblem(t, Decode([]byte(in), decFunc(func(d *Decoder) { var v time.Time; d.Time(&v) })), 422)
		if e := p.Errors[0]; e.Code != CodeType || e.Message != "must be a date-time string" {
			t.Errorf("%s: %v", in, e)
		}
	}
}

func TestDecodeBytes(t *testing.T) {
	for _, v := range [][]byte{{}, {0}, []byte("hello, world"), bytes.Repeat([]byte{0xff, 0, 7}, 100)} {
		in, _ := json.Marshal(v)
		var got []byte
		d := NewDecoder(in)
		d.Bytes(&got)
		if err := d.Finish(); err != nil || !bytes.Equal(got, v) || got == nil {
			t.Errorf("%s: got %v, %v", in, got, err)
		}
	}
	// An escaped solidus, as PHP writes it, and line breaks, which
	// encoding/json also ignores.
	for in, want := range map[string]string{`"\/w=="`: "\xff", `"aGVs\r\nbG8="`: "hello"} {
		var got []byte
		if err := Decode([]byte(in), decFunc(func(d *Decoder) { d.Bytes(&got) })); err != nil || string(got) != want {
			t.Errorf("%s: got %q, %v", in, got, err)
		}
	}
	for _, in := range []string{`"aGVsbG8"`, `"a"`, `"aGVs!G8="`, `"aGVsbG8=="`, `"aGVsbG8-"`} {
		p := decProblem(t, Decode([]byte(in), decFunc(func(d *Decoder) { var v []byte; d.Bytes(&v) })), 422)
		if p.Errors[0].Code != CodeFormat {
			t.Errorf("%s: %v", in, p)
		}
	}
}

func TestDecodeAddrs(t *testing.T) {
	for _, tt := range []struct{ in, addr, prefix string }{
		{"1.2.3.4", "1.2.3.4", "1.2.3.4/32"},
		{"::1", "::1", "::1/128"},
		{"::ffff:1.2.3.4", "::ffff:1.2.3.4", "::ffff:1.2.3.4/128"},
		{"2001:DB8::", "2001:db8::", "2001:db8::/128"},
		{"10.0.0.0/8", "", "10.0.0.0/8"},
		{"10.1.0.0/8", "", ""},
		{"2001:db8::/32", "", "2001:db8::/32"},
		{"0.0.0.0/0", "", "0.0.0.0/0"},
		{"fe80::1%eth0", "", ""},
		{"fe80::%eth0/64", "", ""},
		{"1.2.3", "", ""}, {"01.2.3.4", "", ""}, {"1.2.3.4/33", "", ""}, {"", "", ""}, {"10/8", "", ""},
	} {
		in := []byte(strconv.Quote(tt.in))
		var a netip.Addr
		d := NewDecoder(in)
		d.Addr(&a)
		err := d.Finish()
		if tt.addr == "" {
			if p := decProblem(t, err, 422); p.Errors[0].Code != CodeFormat {
				t.Errorf("%s: %v", in, p)
			}
		} else if err != nil || a.String() != tt.addr {
			t.Errorf("Addr %s: got %v, %v", in, a, err)
		}
		var p netip.Prefix
		d = NewDecoder(in)
		d.Prefix(&p)
		err = d.Finish()
		if tt.prefix == "" {
			if p := decProblem(t, err, 422); p.Errors[0].Code != CodeFormat {
				t.Errorf("%s: %v", in, p)
			}
		} else if err != nil || p.String() != tt.prefix {
			t.Errorf("Prefix %s: got %v, %v", in, p, err)
		}
	}
}

func TestDecodeRawJSON(t *testing.T) {
	for in, want := range map[string]string{
		` null `: `null`, `{"a" : [1, 2]}`: `{"a" : [1, 2]}`, `"\u00e9"`: `"\u00e9"`,
		`{"a":1,"a":2}`: `{"a":1,"a":2}`, // duplicate keys are jsonb's business
	} {
		var got json.RawMessage
		d := NewDecoder([]byte(in))
		d.RawJSON(&got)
		if err := d.Finish(); err != nil || string(got) != want {
			t.Errorf("%s: got %s, %v", in, got, err)
		}
	}
	for _, in := range []string{`"\u0000"`, `{"\u0000":1}`, `[1,{"a":"x\u0000"}]`} {
		p := decProblem(t, Decode([]byte(in), &decRaw{}), 422)
		if p.Errors[0].Code != CodeFormat {
			t.Errorf("%s: %v", in, p)
		}
	}
	decProblem(t, Decode([]byte(`{"a":}`), &decRaw{}), 400)
}

func TestDecodeOptionalAndNullable(t *testing.T) {
	type rec struct {
		a    Optional[int32]
		b    *string
		list []int32
		seen bool
	}
	read := func(in string) (rec, error) {
		var r rec
		err := Decode([]byte(in), decFunc(func(d *Decoder) {
			d.Object(func(k string) {
				switch k {
				case "a":
					ReadOptional(d, &r.a, ReadInt32)
				case "b":
					Nullable(d, &r.b, ReadString)
				case "list":
					r.seen = SliceOf(d, &r.list, ReadInt32)
				default:
					d.Unknown()
				}
			})
		}))
		return r, err
	}
	r, err := read(`{}`)
	if err != nil || r.a.Set || r.b != nil || r.list != nil {
		t.Errorf("absent: %+v %v", r, err)
	}
	r, err = read(`{"a":null,"b":null,"list":[]}`)
	if err != nil || r.a != (Optional[int32]{Set: true, Null: true}) || r.b != nil || r.list == nil || len(r.list) != 0 || !r.seen {
		t.Errorf("null: %+v %v", r, err)
	}
	r, err = read(`{"a":5,"b":"x","list":[1,2]}`)
	if err != nil || r.a != Some[int32](5) || *r.b != "x" || !reflect.DeepEqual(r.list, []int32{1, 2}) {
		t.Errorf("values: %+v %v", r, err)
	}
	if r.a.Ptr() == nil || *r.a.Ptr() != 5 || Null[int32]().Ptr() != nil || (Optional[int32]{}).Ptr() != nil {
		t.Error("Ptr")
	}
	if Null[int32]() != (Optional[int32]{Set: true, Null: true}) {
		t.Error("Null")
	}
	_, err = read(`{"a":"5","list":null}`)
	p := decProblem(t, err, 422)
	if len(p.Errors) != 2 || p.Errors[0].Message != "must be an integer" || p.Errors[1].Message != "must be an array" {
		t.Errorf("%v", p)
	}
	_, err = read(`{"a":nul}`)
	decProblem(t, err, 400)
	if v, ok := Some[int32](5).Get(); !ok || v != 5 {
		t.Error("Get of a value")
	}
	if _, ok := Null[int32]().Get(); ok {
		t.Error("Get of null")
	}
	if _, ok := (Optional[int32]{}).Get(); ok {
		t.Error("Get of absent")
	}
}

// decGenerated is a request decoded the way the generator's templates do,
// with the function-form readers.
type decGenerated struct {
	Title  string
	Status decColor
	Tags   *Array[string]
	Blob   []byte
	Doc    json.RawMessage
	Grid   Array[int16]
	Score  Optional[float64]
	Rank   Optional[int64]
	When   *time.Time
	Nums   Array[int32]
}

func (g *decGenerated) DecodeJSON(d *Decoder) {
	d.Object(func(key string) {
		switch key {
		case "title":
			ReadString(d, &g.Title)
		case "status":
			ReadEnum(d, &g.Status)
		case "tags":
			Nullable(d, &g.Tags, ReadArray(ReadString))
		case "blob":
			NullOr(d, &g.Blob, ReadBytes)
		case "doc":
			NullOr(d, &g.Doc, ReadRawJSON)
		case "grid":
			ReadArray(ReadInt16)(d, &g.Grid)
		case "score":
			ReadOptional(d, &g.Score, ReadFloat64)
		case "rank":
			ReadPresent(d, &g.Rank, ReadInt64)
		case "when":
			Nullable(d, &g.When, ReadTimestamp)
		case "nums":
			ReadArray(ReadInt32)(d, &g.Nums)
		default:
			d.Unknown()
		}
	})
}

func TestDecodeFunctionForms(t *testing.T) {
	var g decGenerated
	err := Decode([]byte(`{"title":"t","status":"red","tags":null,"blob":null,"doc":null,"grid":[],
		"score":null,"rank":7,"when":"2024-01-02T03:04:05","nums":[null,2]}`), &g)
	when := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	want := decGenerated{Title: "t", Status: "red", Grid: ArrayOf[int16](), Score: Null[float64](), Rank: Some[int64](7),
		When: &when, Nums: Array[int32]{Elems: []int32{0, 2}, Nulls: []bool{true, false}}}
	if err != nil || !reflect.DeepEqual(g, want) {
		t.Errorf("got %+v, %v\nwant %+v", g, err, want)
	}
	g = decGenerated{}
	err = Decode([]byte(`{"tags":["a"],"blob":"AA==","doc":null,"rank":null,"grid":[1,"x",70000],"doc":1}`), &g)
	p := decProblem(t, err, 422)
	var got []string
	for _, e := range p.Errors {
		got = append(got, fmt.Sprint(e.Loc, " ", e.Code, " ", e.Message))
	}
	wantErrs := []string{"[body rank] type must not be null", "[body grid 1] type must be an integer",
		"[body grid 2] maximum must be at most 32767", "[body doc] type duplicate field"}
	if !reflect.DeepEqual(got, wantErrs) || !reflect.DeepEqual(g.Tags, &Array[string]{Elems: []string{"a"}}) || !bytes.Equal(g.Blob, []byte{0}) || g.Rank.Set {
		t.Errorf("got %q, %+v", got, g)
	}
}

func TestDecodeUnconsumedValues(t *testing.T) {
	// A callback that reads nothing must not derail the decoder.
	var keys []string
	err := Decode([]byte(`{"a":{"x":[1,2]},"b":[true],"c":"s"}`), decFunc(func(d *Decoder) {
		d.Object(func(k string) { keys = append(keys, k) })
	}))
	if err != nil || strings.Join(keys, ",") != "a,b,c" {
		t.Errorf("%v %v", keys, err)
	}
	var n int
	err = Decode([]byte(`[{"a":1},2,[3]]`), decFunc(func(d *Decoder) { d.Array(func(int) { n++ }) }))
	if err != nil || n != 3 {
		t.Errorf("%d %v", n, err)
	}
	// Neither must a DecodeJSON that reads nothing: its value is checked.
	decProblem(t, Decode([]byte(`[1,}`), decFunc(func(*Decoder) {})), 400)
	if err := Decode([]byte(` [1] `), decFunc(func(*Decoder) {})); err != nil {
		t.Error(err)
	}
}

func TestDecodeDuplicateKeys(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 40 {
		fmt.Fprintf(&b, `"k%d":%d,`, i, i)
	}
	b.WriteString(`"k3":1,"k39":1,"k\u0030":1,"k40":{"k3":1,"k3":2}}`)
	var keys int
	err := Decode([]byte(b.String()), decFunc(func(d *Decoder) {
		var read func()
		read = func() {
			d.Object(func(k string) {
				keys++
				if d.Peek() == KindObject {
					read()
				} else {
					var v int64
					d.Int64(&v)
				}
			})
		}
		read()
	}))
	p := decProblem(t, err, 422)
	var got []string
	for _, e := range p.Errors {
		got = append(got, fmt.Sprint(e.Loc, e.Code, e.Message))
	}
	want := []string{"[body k3]typeduplicate field", "[body k39]typeduplicate field", "[body k0]typeduplicate field", "[body k40 k3]typeduplicate field"}
	if !reflect.DeepEqual(got, want) || keys != 42 {
		t.Errorf("%d keys, errors %q", keys, got)
	}

	// Many keys take linear time.
	b.Reset()
	b.WriteString("{")
	for i := range 200000 {
		fmt.Fprintf(&b, `"%d":0,`, i)
	}
	b.WriteString(`"0":0}`)
	start := time.Now()
	err = Decode([]byte(b.String()), decFunc(func(d *Decoder) { d.Object(func(string) { d.Skip() }) }))
	if p := decProblem(t, err, 422); len(p.Errors) != 1 {
		t.Errorf("%v", p)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("200000 keys took %v", el)
	}
}

func TestDecodeErrorCap(t *testing.T) {
	in := "[" + strings.Repeat(`"x",`, 10000) + `"x"]`
	var v []int32
	p := decProblem(t, Decode([]byte(in), decFunc(func(d *Decoder) { SliceOf(d, &v, ReadInt32) })), 422)
	if len(p.Errors) != 100 {
		t.Errorf("%d errors", len(p.Errors))
	}
	// Past the cap the input is still checked.
	decProblem(t, Decode([]byte(in[:len(in)-1]+",]"), decFunc(func(d *Decoder) { SliceOf(d, &v, ReadInt32) })), 400)
}

func TestDecodeLocIsACopy(t *testing.T) {
	in := []byte(`{"abc":[{"def":1}]}`)
	var loc []any
	d := NewDecoder(in)
	d.Object(func(string) {
		d.Array(func(int) {
			d.Object(func(string) {
				loc = d.Loc()
				d.Fail(CodeCheck, "bad")
				d.Skip()
			})
		})
	})
	if err := d.Finish(); err == nil {
		t.Fatal("no error")
	}
	copy(in, bytes.Repeat([]byte("#"), len(in)))
	want := []any{"body", "abc", 0, "def"}
	if !reflect.DeepEqual(loc, want) || !reflect.DeepEqual(d.Errors()[0].Loc, want) {
		t.Errorf("%v %v", loc, d.Errors()[0].Loc)
	}
	if d.Errors()[0].String() != "body.abc.0.def: bad (check)" {
		t.Error(d.Errors()[0].String())
	}
}

func TestDecodeRequest(t *testing.T) {
	type result struct {
		status int
		detail string
	}
	do := func(method, ct, body string, max int64, mutate func(*http.Request)) (result, *Problem) {
		r := httptest.NewRequest(method, "/things", strings.NewReader(body))
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		if mutate != nil {
			mutate(r)
		}
		var v decAnyValue
		err := DecodeRequest(r, max, &v)
		if err == nil {
			return result{200, ""}, nil
		}
		p := err.(*Problem)
		return result{p.Status, p.Detail}, p
	}
	for _, tt := range []struct {
		ct, body string
		max      int64
		mutate   func(*http.Request)
		want     result
	}{
		{"application/json", `{"a":1}`, 0, nil, result{200, ""}},
		{"", `{"a":1}`, 0, nil, result{200, ""}},
		{"Application/JSON; charset=UTF-8", `{}`, 0, nil, result{200, ""}},
		{`application/json;charset="utf-8"`, `{}`, 0, nil, result{200, ""}},
		{"application/merge-patch+json", `{}`, 0, nil, result{200, ""}},
		{"application/json; foo=bar", `{}`, 0, nil, result{200, ""}},
		{"text/plain", `{}`, 0, nil, result{415, `Content-Type "text/plain" is not supported; send application/json`}},
		{"application/json; charset=latin1", `{}`, 0, nil, result{415, `Content-Type "application/json; charset=latin1" is not supported; send application/json`}},
		{"application/jsonx", `{}`, 0, nil, result{415, `Content-Type "application/jsonx" is not supported; send application/json`}},
		{"application/json", ``, 0, nil, result{400, "request body is empty"}},
		{"application/json", " \n\t", 0, nil, result{400, "request body is empty"}},
		{"application/json", `{}`, 0, func(r *http.Request) { r.Body = nil }, result{400, "request body is empty"}},
		{"application/json", `{"a":`, 0, nil, result{400, "request body is not valid JSON: unexpected end of JSON input (at byte offset 5)"}},
		{"application/json", `[1,2,3]`, 7, nil, result{200, ""}},
		{"application/json", `[1,2,3] `, 7, nil, result{413, "request body is larger than 7 bytes"}},
		{"application/json", `[1,2,3] `, 7, func(r *http.Request) { r.ContentLength = -1 }, result{413, "request body is larger than 7 bytes"}},
		{"application/json", `[1,2,3]`, 7, func(r *http.Request) { r.ContentLength = -1 }, result{200, ""}},
		{"application/json", strings.Repeat(" ", 1<<20) + "1", 0, func(r *http.Request) { r.ContentLength = -1 }, result{413, "request body is larger than 1048576 bytes"}},
		{"application/json", strings.Repeat(" ", 1<<20-1) + "1", 0, func(r *http.Request) { r.ContentLength = -1 }, result{200, ""}},
		{"application/json", `[1,2,3]`, 0, func(r *http.Request) {
			r.Body = io.NopCloser(iotest.OneByteReader(strings.NewReader(`[1, 2, 3]`)))
			r.ContentLength = -1
		}, result{200, ""}},
		{"application/json", `[1,2,3]`, 0, func(r *http.Request) {
			r.Body = io.NopCloser(iotest.TimeoutReader(strings.NewReader(`[1, 2, 3]`)))
		}, result{400, "could not read the request body"}},
		{"application/json", `[1,2,3]`, 0, func(r *http.Request) {
			r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 3)
		}, result{413, "request body is larger than 1048576 bytes"}},
	} {
		if got, _ := do("POST", tt.ct, tt.body, tt.max, tt.mutate); got != tt.want {
			t.Errorf("%q %.20q max %d: got %v, want %v", tt.ct, tt.body, tt.max, got, tt.want)
		}
	}
	_, p := do("PATCH", "text/plain", "{}", 0, nil)
	if p.Status != 415 || p.Header.Get("Accept-Patch") != "application/merge-patch+json, application/json" {
		t.Errorf("PATCH 415: %v %v", p, p.Header)
	}
	_, p = do("POST", "application/json", "{}", 0, func(r *http.Request) { r.Header.Set("Content-Encoding", "gzip") })
	if p.Status != 415 || p.Detail != `Content-Encoding "gzip" is not supported` || p.Header.Get("Accept-Encoding") != "identity" {
		t.Errorf("gzip: %v %v", p, p.Header)
	}
	if got, _ := do("POST", "application/json", "{}", 0, func(r *http.Request) { r.Header.Set("Content-Encoding", "Identity") }); got.status != 200 {
		t.Errorf("identity: %v", got)
	}
	if got, _ := do("PATCH", "application/json", `{"a":[1,"x"]}`, 0, nil); got.status != 200 {
		t.Errorf("%v", got)
	}
	var it decItem
	r := httptest.NewRequest("POST", "/", strings.NewReader(`{"qty":"x"}`))
	err := DecodeRequest(r, 0, &it)
	p = decProblem(t, err, 422)
	if len(p.Errors) != 1 || p.Errors[0].Code != CodeType || p.Detail != "The request is invalid." {
		t.Errorf("%v", p)
	}
}

// TestDecodeAllocations pins the allocations of a typical request: the
// strings it keeps, never the keys or the location bookkeeping.
func TestDecodeAllocations(t *testing.T) {
	in := []byte(`{"name":"Widget","qty":3,"price":9.5,"active":true,"created":"2024-01-02T03:04:05Z",
		"parts":[{"sku":"a","count":1},{"sku":"b","count":2}],"tags":[],"addr":"10.0.0.1"}`)
	allocs := testing.AllocsPerRun(100, func() {
		var it decItem
		d := NewDecoder(in)
		it.DecodeJSON(d)
		if d.Finish() != nil {
			t.Fatal("error")
		}
	})
	// Decoder, "Widget", the parts slice (2 growths), "a", "b", the tags slice.
	if allocs > 7 {
		t.Errorf("%v allocations", allocs)
	}
}

var decBenchInput = []byte(`{
  "name": "Ergonomic Keyboard \u2014 \"Pro\" edition",
  "description": "A split keyboard with mechanical switches, hot-swappable sockets and per-key RGB lighting. Ships with a carrying case.",
  "sku": "KB-PRO-2024-ÉU",
  "price": 189.99,
  "quantity": 1250,
  "active": true,
  "weight": 0.945,
  "created_at": "2024-03-14T15:09:26.535897+01:00",
  "tags": ["keyboard", "ergonomic", "mechanical", "split", "rgb", "usb-c"],
  "dimensions": {"width": 36.5, "height": 3.2, "depth": 15.25},
  "variants": [
    {"sku": "KB-PRO-BRN", "switch": "brown", "stock": 400, "price": 189.99},
    {"sku": "KB-PRO-RED", "switch": "red", "stock": 350, "price": 189.99},
    {"sku": "KB-PRO-BLU", "switch": "blue", "stock": 500, "price": 194.5}
  ],
  "supplier_id": 918273645,
  "notes": null,
  "rating": 4.7
}`)

type decBenchVariant struct {
	SKU    string  `json:"sku"`
	Switch string  `json:"switch"`
	Stock  int32   `json:"stock"`
	Price  float64 `json:"price"`
}

type decBenchProduct struct {
	Name        string    `json:"name"`
	Description string    `json:"description"`
	SKU         string    `json:"sku"`
	Price       float64   `json:"price"`
	Quantity    int32     `json:"quantity"`
	Active      bool      `json:"active"`
	Weight      float64   `json:"weight"`
	CreatedAt   time.Time `json:"created_at"`
	Tags        []string  `json:"tags"`
	Dimensions  struct{ W, H, D float64 }
	Variants    []decBenchVariant `json:"variants"`
	SupplierID  int64             `json:"supplier_id"`
	Notes       *string           `json:"notes"`
	Rating      float32           `json:"rating"`
}

func (v *decBenchVariant) DecodeJSON(d *Decoder) {
	d.Object(func(k string) {
		switch k {
		case "sku":
			d.String(&v.SKU)
		case "switch":
			d.String(&v.Switch)
		case "stock":
			d.Int32(&v.Stock)
		case "price":
			d.Float64(&v.Price)
		default:
			d.Unknown()
		}
	})
}

func (p *decBenchProduct) DecodeJSON(d *Decoder) {
	d.Object(func(k string) {
		switch k {
		case "name":
			d.String(&p.Name)
		case "description":
			d.String(&p.Description)
		case "sku":
			d.String(&p.SKU)
		case "price":
			d.Float64(&p.Price)
		case "quantity":
			d.Int32(&p.Quantity)
		case "active":
			d.Bool(&p.Active)
		case "weight":
			d.Float64(&p.Weight)
		case "created_at":
			d.Time(&p.CreatedAt)
		case "tags":
			SliceOf(d, &p.Tags, ReadString)
		case "dimensions":
			d.Object(func(k string) {
				switch k {
				case "width":
					d.Float64(&p.Dimensions.W)
				case "height":
					d.Float64(&p.Dimensions.H)
				case "depth":
					d.Float64(&p.Dimensions.D)
				default:
					d.Unknown()
				}
			})
		case "variants":
			SliceOf(d, &p.Variants, func(d *Decoder, v *decBenchVariant) bool { v.DecodeJSON(d); return true })
		case "supplier_id":
			d.Int64(&p.SupplierID)
		case "notes":
			Nullable(d, &p.Notes, ReadString)
		case "rating":
			d.Float32(&p.Rating)
		default:
			d.Unknown()
		}
	})
}

func TestDecodeBenchInputMatches(t *testing.T) {
	var a, b decBenchProduct
	if err := Decode(decBenchInput, &a); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(decBenchInput))
	if err := dec.Decode(&b); err != nil {
		t.Fatal(err)
	}
	b.Dimensions = a.Dimensions // encoding/json would need tags on the anonymous struct
	if !a.CreatedAt.Equal(b.CreatedAt) {
		t.Errorf("times differ: %v %v", a.CreatedAt, b.CreatedAt)
	}
	b.CreatedAt = a.CreatedAt
	if !reflect.DeepEqual(a, b) {
		t.Errorf("\n%+v\n%+v", a, b)
	}
}

func BenchmarkDecode(b *testing.B) {
	b.Run("runtime", func(b *testing.B) {
		b.SetBytes(int64(len(decBenchInput)))
		b.ReportAllocs()
		for b.Loop() {
			var p decBenchProduct
			if err := Decode(decBenchInput, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(decBenchInput)))
		b.ReportAllocs()
		for b.Loop() {
			var p decBenchProduct
			if err := json.Unmarshal(decBenchInput, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// decOracleOK reports whether encoding/json's validity is the right answer
// for data: Decoder is stricter about invalid UTF-8, unpaired surrogate
// escapes and nesting deeper than 512.
func decOracleOK(data []byte) bool {
	if !utf8.Valid(data) {
		return false
	}
	depth, maxDepth := 0, 0
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inString {
			switch c {
			case '"':
				inString = false
			case '\\':
				if i+1 < len(data) && data[i+1] == 'u' && i+5 < len(data) {
					r, err := strconv.ParseUint(string(data[i+2:i+6]), 16, 16)
					if err == nil && r >= 0xD800 && r < 0xE000 {
						if r >= 0xDC00 || i+11 >= len(data) || data[i+6] != '\\' || data[i+7] != 'u' {
							return false
						}
						r2, err := strconv.ParseUint(string(data[i+8:i+12]), 16, 16)
						if err != nil || r2 < 0xDC00 || r2 >= 0xE000 {
							return false
						}
						i += 6
					}
				}
				i++
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			depth++
			maxDepth = max(maxDepth, depth)
		case ']', '}':
			depth--
		}
	}
	return maxDepth <= jsonMaxDepth
}

func FuzzDecoder(f *testing.F) {
	for _, s := range []string{
		`{"name":"x","tags":["a",1],"parts":[{"sku":"s"}],"qty":1e3,"meta":{"a":[null]}}`,
		`[1,2,{"a":"\ud83d\ude00"}]`, `"\u0000"`, `{"a":1,"a":2}`, `1.5e-3`, `{"created":"2024-01-01T00:00:00Z"}`,
		`{"n":-9223372036854775808,"big":2147483648}`, `[[[[[]]]]]`, `{"a":}`, "\"\xff\"", `"\ud800"`,
		`{"net":"10.0.0.0/8","addr":"::1","data":"AA=="}`, `{"scores":[1,null,"x"],"note":null,"patch":5}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, werr := jsonUnmarshalAny(data)
		var got decAnyValue
		err := Decode(data, &got)
		switch {
		case err == nil:
			if werr != nil {
				t.Fatalf("accepted, but encoding/json says %v", werr)
			}
			if !reflect.DeepEqual(got.v, want) {
				t.Fatalf("got %#v, encoding/json %#v", got.v, want)
			}
		case decIsStatus(err, 400):
			if werr == nil && decOracleOK(data) {
				t.Fatalf("rejected valid JSON: %v", err)
			}
		case decIsStatus(err, 422):
			if werr != nil {
				t.Fatalf("422 for invalid JSON (encoding/json: %v): %v", werr, err)
			}
			for _, e := range err.(*Problem).Errors {
				if e.Message != "duplicate field" {
					t.Fatalf("unexpected error %v", e)
				}
			}
		default:
			t.Fatalf("unexpected error %v", err)
		}

		// Typed reading: never panics, 400 iff the generic reader says so,
		// every error located under "body".
		var it decItem
		terr := Decode(data, &it)
		if decIsStatus(terr, 400) != decIsStatus(err, 400) {
			t.Fatalf("typed %v, generic %v", terr, err)
		}
		if terr != nil {
			p, ok := terr.(*Problem)
			if !ok || p.Status != 400 && p.Status != 422 {
				t.Fatalf("unexpected error %v", terr)
			}
			for _, e := range p.Errors {
				if len(e.Loc) == 0 || e.Loc[0] != "body" {
					t.Fatalf("loc %v", e.Loc)
				}
			}
		}
	})
}
