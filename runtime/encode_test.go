package runtime

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// encJSON is encoding/json's encoding of v with HTML escaping off.
func encJSON(t testing.TB, v any) string {
	t.Helper()
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := string(AppendString(nil, s)), encJSON(t, s); got != want {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	}
	// Every byte alone and inside text; every rune (in chunks).
	// Every byte alone, and at every position of text up to 3 words long
	// (AppendString checks 8 bytes at a time).
	for c := range 256 {
		check(string([]byte{byte(c)}))
		for n := 1; n <= 24; n++ {
			for i := range n {
				p := []byte(strings.Repeat("abcdefgh", 3)[:n])
				p[i] = byte(c)
				check(string(p))
			}
		}
	}
	var b strings.Builder
	for r := rune(0); r <= utf8.MaxRune; r++ {
		b.WriteRune(r) // surrogates become U+FFFD
		if b.Len() > 4000 {
			check(b.String())
			b.Reset()
		}
	}
	check(b.String())
	// Invalid and truncated UTF-8, overlong forms, encoded surrogates.
	for _, s := range []string{
		"\xff", "\xc3", "a\xc3", "\xc3(", "\xe2\x82", "\xe2\x82(", "\xf0\x9f\x98", "\xf0\x9f\x98\x80\x80",
		"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xed\xbf\xbf", "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80",
		"<script>&amp;</script>", "\u2028\u2029", "a\u2028b\u2029c", "\x7f", "\"\\/", "",
	} {
		check(s)
	}
	r := rand.New(rand.NewPCG(9, 10))
	for range 20000 {
		p := make([]byte, r.IntN(40))
		for i := range p {
			switch r.IntN(4) {
			case 0:
				p[i] = byte(r.IntN(0x20))
			case 1:
				p[i] = byte(0x80 + r.IntN(0x80))
			default:
				p[i] = byte(0x20 + r.IntN(0x60))
			}
		}
		check(string(p))
	}
}

func TestAppendScalarsMatchEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, v := range []bool{true, false} {
		if got, want := string(AppendBool(nil, v)), encJSON(t, v); got != want {
			t.Errorf("%v: got %s, want %s", v, got, want)
		}
	}
	ints := []int64{0, 1, -1, math.MaxInt64, math.MinInt64, math.MaxInt32, math.MinInt16}
	for range 10000 {
		ints = append(ints, int64(r.Uint64())>>r.IntN(64))
	}
	for _, v := range ints {
		if got, want := string(AppendInt(nil, v)), encJSON(t, v); got != want {
			t.Fatalf("%v: got %s, want %s", v, got, want)
		}
	}
	floats := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e-6, 1e-7, 9.999999e-7, 1e20, 1e21, 123456789e13,
		math.MaxFloat64, math.SmallestNonzeroFloat64, math.MaxFloat32, math.SmallestNonzeroFloat32, 1e-320, 5e-324,
		3.4028235e38, 1.401298464324817e-45, 0.000001, 0.0000012345, 100, 1e100, -1e-100}
	for range 50000 {
		f := math.Float64frombits(r.Uint64())
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		floats = append(floats, f, float64(float32(f)), math.Round(f*1e6)/1e6, float64(r.IntN(1e6))/1e3)
	}
	for _, v := range floats {
		if math.IsInf(v, 0) {
			continue
		}
		if got, want := string(AppendFloat(nil, v, 64)), encJSON(t, v); got != want {
			t.Fatalf("%v: got %s, want %s", v, got, want)
		}
		f32 := float32(v)
		if math.IsInf(float64(f32), 0) {
			continue
		}
		if got, want := string(AppendFloat(nil, float64(f32), 32)), encJSON(t, f32); got != want {
			t.Fatalf("float32 %v: got %s, want %s", f32, got, want)
		}
		// And the Decoder reads it back exactly.
		in := AppendFloat(nil, v, 64)
		var back float64
		if err := Decode(in, decFunc(func(d *Decoder) { d.Float64(&back) })); err != nil || math.Float64bits(back) != math.Float64bits(v) {
			t.Fatalf("%s read back as %v, %v", in, back, err)
		}
	}
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{math.NaN(), `"NaN"`}, {math.Inf(1), `"Infinity"`}, {math.Inf(-1), `"-Infinity"`},
	} {
		for _, bits := range []int{32, 64} {
			got := AppendFloat(nil, tt.v, bits)
			if string(got) != tt.want {
				t.Errorf("%v: got %s", tt.v, got)
			}
			var back float64
			if err := Decode(got, decFunc(func(d *Decoder) { d.Float64(&back) })); err != nil ||
				math.IsNaN(tt.v) != math.IsNaN(back) || !math.IsNaN(tt.v) && back != tt.v {
				t.Errorf("%s read back as %v, %v", got, back, err)
			}
		}
	}
}

func TestAppendTimes(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	zone := time.FixedZone("X", -(7*3600 + 30*60))
	times := []time.Time{
		time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		time.Date(2024, 1, 2, 3, 4, 5, 500000000, zone),
		time.Date(2024, 1, 2, 3, 4, 5, 123456000, time.Local),
		time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
	}
	for range 10000 {
		times = append(times, time.Unix(r.Int64N(253402300800+62135596800)-62135596800, r.Int64N(1e9)).UTC())
	}
	for _, v := range times {
		if got, want := string(AppendTime(nil, v)), encJSON(t, v.UTC()); got != want {
			t.Fatalf("%v: got %s, want %s", v, got, want)
		}
		in := AppendTime(nil, v)
		var back time.Time
		// Reading rounds to the microsecond, as PostgreSQL keeps it.
		if err := Decode(in, decFunc(func(d *Decoder) { d.Time(&back) })); err != nil || !back.Equal(v.Round(time.Microsecond)) {
			t.Fatalf("%s read back as %v, %v", in, back, err)
		}
		// A timestamp is its wall clock, whatever the location.
		wall := time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), time.UTC)
		want := strings.TrimSuffix(encJSON(t, wall), `Z"`) + `"`
		if got := string(AppendTimestamp(nil, v)); got != want {
			t.Fatalf("%v: got %s, want %s", v, got, want)
		}
		in = AppendTimestamp(nil, v)
		if err := Decode(in, decFunc(func(d *Decoder) { d.Timestamp(&back) })); err != nil || !back.Equal(wall.Round(time.Microsecond)) {
			t.Fatalf("%s read back as %v, %v", in, back, err)
		}
	}
	for _, tt := range []struct {
		v        time.Time
		tz, notz string
	}{
		{time.Date(2024, 1, 2, 3, 4, 5, 0, zone), `"2024-01-02T10:34:05Z"`, `"2024-01-02T03:04:05"`},
		{time.Date(2024, 1, 2, 3, 4, 5, 120000000, time.UTC), `"2024-01-02T03:04:05.12Z"`, `"2024-01-02T03:04:05.12"`},
		{time.Date(2024, 1, 2, 3, 4, 5, 1000, time.UTC), `"2024-01-02T03:04:05.000001Z"`, `"2024-01-02T03:04:05.000001"`},
	} {
		if got := string(AppendTime(nil, tt.v)); got != tt.tz {
			t.Errorf("AppendTime(%v) = %s, want %s", tt.v, got, tt.tz)
		}
		if got := string(AppendTimestamp(nil, tt.v)); got != tt.notz {
			t.Errorf("AppendTimestamp(%v) = %s, want %s", tt.v, got, tt.notz)
		}
	}
}

func TestAppendOthers(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for range 1000 {
		v := make([]byte, r.IntN(50))
		for i := range v {
			v[i] = byte(r.Uint32())
		}
		if got, want := string(AppendBytes(nil, v)), encJSON(t, v); got != want {
			t.Fatalf("%x: got %s, want %s", v, got, want)
		}
	}
	if got := string(AppendBytes(nil, nil)); got != `""` {
		t.Errorf("nil bytes: %s", got)
	}
	for _, s := range []string{"1.2.3.4", "::1", "::ffff:1.2.3.4", "2001:db8::1", "fe80::1%eth0"} {
		a := netip.MustParseAddr(s)
		if got, want := string(AppendAddr(nil, a)), encJSON(t, a); got != want {
			t.Errorf("%v: got %s, want %s", a, got, want)
		}
	}
	for _, s := range []string{"10.0.0.0/8", "1.2.3.4/32", "2001:db8::/32", "::/0"} {
		p := netip.MustParsePrefix(s)
		if got, want := string(AppendPrefix(nil, p)), encJSON(t, p); got != want {
			t.Errorf("%v: got %s, want %s", p, got, want)
		}
	}
	if got := string(AppendAddr(nil, netip.Addr{})) + string(AppendPrefix(nil, netip.Prefix{})); got != `""""` {
		t.Errorf("zero values: %s", got)
	}
	if got := string(AppendRawJSON(nil, nil)) + string(AppendRawJSON(nil, json.RawMessage(`{"a": 1}`))); got != `null{"a": 1}` {
		t.Errorf("raw: %s", got)
	}
	appendStr := func(b []byte, s string) []byte { return AppendString(b, s) }
	s := "x"
	for _, tt := range []struct{ got, want string }{
		{string(AppendSlice(nil, []string(nil), appendStr)), `[]`},
		{string(AppendSlice(nil, []string{}, appendStr)), `[]`},
		{string(AppendSlice(nil, []string{"a", "b"}, appendStr)), `["a","b"]`},
		{string(AppendSlice(nil, []*string{nil, &s}, func(b []byte, p *string) []byte { return AppendNullable(b, p, appendStr) })), `[null,"x"]`},
		{string(AppendNullable(nil, (*string)(nil), appendStr)), `null`},
		{string(AppendNullable(nil, &s, appendStr)), `"x"`},
		{string(AppendMarshaler([]byte("["), encPoint{1, 2})), `[{"x":1,"y":2}`},
		{string(AppendSlice(nil, []encPoint{{1, 2}, {3, 4}}, AppendMarshaler[encPoint])), `[{"x":1,"y":2},{"x":3,"y":4}]`},
		{string(AppendArray(nil, ArrayOf[int16](-1, 2), 1, AppendInt16)), `[-1,2]`},
		{string(AppendArray(nil, Array[int32]{}, 1, AppendInt32)), `[]`},
		{string(AppendNullArray(nil, (*Array[int64])(nil), 1, AppendInt64)), `null`},
		{string(AppendNullArray(nil, &Array[int64]{}, 1, AppendInt64)), `[]`},
		{string(AppendNullArray(nil, &Array[float32]{Elems: []float32{1.5}}, 1, AppendFloat32)), `[1.5]`},
		{string(AppendNullArray(nil, &Array[float64]{Elems: []float64{0.1}}, 1, AppendFloat64)), `[0.1]`},
		{string(AppendNullSlice(nil, []byte(nil), AppendBytes)), `null`},
		{string(AppendNullSlice(nil, []byte{}, AppendBytes)), `""`},
		{string(AppendNullSlice(nil, json.RawMessage(nil), AppendRawJSON)), `null`},
		{string(AppendNullSlice(nil, json.RawMessage(`[1]`), AppendRawJSON)), `[1]`},
		{string(AppendEnum(nil, decColor("red"))), `"red"`},
		{string(Page[encPoint]{Append: (*encPoint).appendTo}.AppendJSON(nil)), `{"items":[]}`},
		{string(Page[encPoint]{Items: []encPoint{{1, 2}, {3, 4}}, Append: (*encPoint).appendTo}.AppendJSON(nil)), `{"items":[{"x":1,"y":2},{"x":3,"y":4}]}`},
	} {
		if tt.got != tt.want {
			t.Errorf("got %s, want %s", tt.got, tt.want)
		}
	}
}

type encPoint struct{ x, y int64 }

func (p *encPoint) appendTo(b []byte) []byte { return p.AppendJSON(b) }

func (p encPoint) AppendJSON(b []byte) []byte {
	b = append(b, `{"x":`...)
	b = AppendInt(b, p.x)
	b = append(b, `,"y":`...)
	b = AppendInt(b, p.y)
	return append(b, '}')
}

func TestWriteJSON(t *testing.T) {
	w := httptest.NewRecorder()
	w.Header().Set("Location", "/points/1")
	WriteJSON(w, http.StatusCreated, encPoint{1, 2})
	if w.Code != 201 || w.Body.String() != `{"x":1,"y":2}` || w.Header().Get("Content-Type") != "application/json" ||
		w.Header().Get("Content-Length") != "13" || w.Header().Get("Location") != "/points/1" {
		t.Errorf("%d %v %q", w.Code, w.Header(), w.Body)
	}
	w = httptest.NewRecorder()
	WriteJSON(w, http.StatusOK, nil)
	if w.Code != 200 || w.Body.String() != "null" {
		t.Errorf("nil: %d %q", w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	WriteJSON(w, http.StatusNoContent, encPoint{})
	if w.Code != 204 || w.Body.Len() != 0 || w.Header().Get("Content-Type") != "" {
		t.Errorf("204: %d %v %q", w.Code, w.Header(), w.Body)
	}
	// A big response is written whole and its buffer is not pooled.
	big := encBig(2 << 20)
	w = httptest.NewRecorder()
	WriteJSON(w, http.StatusOK, big)
	if w.Body.Len() != 2<<20+2 || w.Header().Get("Content-Length") != strconv.Itoa(2<<20+2) {
		t.Errorf("big: %d", w.Body.Len())
	}
	allocs := testing.AllocsPerRun(100, func() {
		WriteJSON(encDiscard{}, 200, encPoint{1, 2})
	})
	if allocs > 2 { // the two header values
		t.Errorf("%v allocations", allocs)
	}
}

type encBig int

func (n encBig) AppendJSON(b []byte) []byte {
	b = append(b, '"')
	b = append(b, strings.Repeat("x", int(n))...)
	return append(b, '"')
}

type encDiscard struct{}

var encHeader = http.Header{}

func (encDiscard) Header() http.Header         { return encHeader }
func (encDiscard) Write(b []byte) (int, error) { return len(b), nil }
func (encDiscard) WriteHeader(int)             {}

func BenchmarkAppendString(b *testing.B) {
	s := strings.Repeat("Hello, wörld! \"quoted\" <tag> & more text\n", 25)
	b.Run("runtime", func(b *testing.B) {
		b.SetBytes(int64(len(s)))
		buf := make([]byte, 0, 4096)
		for b.Loop() {
			buf = AppendString(buf[:0], s)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(s)))
		for b.Loop() {
			json.Marshal(s)
		}
	})
}

// encReplaceInvalid replaces each byte of invalid UTF-8 with U+FFFD, as
// encoding/json does (strings.ToValidUTF8 would merge runs).
func encReplaceInvalid(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r)
		i += size
	}
	return b.String()
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a", "\x00\x1f\"\\", "é\u2028😀", "\xff\xc3", "\xed\xa0\x80", "<>&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := AppendString([]byte("x"), s)[1:]
		if !json.Valid(out) || !utf8.Valid(out) {
			t.Fatalf("invalid JSON %q", out)
		}
		want := encReplaceInvalid(s)
		var back string
		if err := json.Unmarshal(out, &back); err != nil || back != want {
			t.Fatalf("encoding/json reads %q back as %q, %v", s, back, err)
		}
		if err := Decode(out, decFunc(func(d *Decoder) { back, _, _ = d.Scalar() })); err != nil || back != want {
			t.Fatalf("Decoder reads %q back as %q, %v", s, back, err)
		}
		if enc := encJSON(t, s); string(out) != enc {
			t.Fatalf("got %s, encoding/json %s", out, enc)
		}
	})
}

func (v decBenchVariant) AppendJSON(b []byte) []byte {
	b = append(b, `{"sku":`...)
	b = AppendString(b, v.SKU)
	b = append(b, `,"switch":`...)
	b = AppendString(b, v.Switch)
	b = append(b, `,"stock":`...)
	b = AppendInt(b, int64(v.Stock))
	b = append(b, `,"price":`...)
	b = AppendFloat(b, v.Price, 64)
	return append(b, '}')
}

// AppendJSON is what crudgen generates for a response type.
func (p *decBenchProduct) AppendJSON(b []byte) []byte {
	b = append(b, `{"name":`...)
	b = AppendString(b, p.Name)
	b = append(b, `,"description":`...)
	b = AppendString(b, p.Description)
	b = append(b, `,"sku":`...)
	b = AppendString(b, p.SKU)
	b = append(b, `,"price":`...)
	b = AppendFloat(b, p.Price, 64)
	b = append(b, `,"quantity":`...)
	b = AppendInt(b, int64(p.Quantity))
	b = append(b, `,"active":`...)
	b = AppendBool(b, p.Active)
	b = append(b, `,"weight":`...)
	b = AppendFloat(b, p.Weight, 64)
	b = append(b, `,"created_at":`...)
	b = AppendTime(b, p.CreatedAt)
	b = append(b, `,"tags":`...)
	b = AppendSlice(b, p.Tags, AppendString)
	b = append(b, `,"Dimensions":{"W":`...)
	b = AppendFloat(b, p.Dimensions.W, 64)
	b = append(b, `,"H":`...)
	b = AppendFloat(b, p.Dimensions.H, 64)
	b = append(b, `,"D":`...)
	b = AppendFloat(b, p.Dimensions.D, 64)
	b = append(b, `},"variants":`...)
	b = AppendSlice(b, p.Variants, AppendMarshaler[decBenchVariant])
	b = append(b, `,"supplier_id":`...)
	b = AppendInt(b, p.SupplierID)
	b = append(b, `,"notes":`...)
	b = AppendNullable(b, p.Notes, AppendString)
	b = append(b, `,"rating":`...)
	b = AppendFloat(b, float64(p.Rating), 32)
	return append(b, '}')
}

func BenchmarkEncode(b *testing.B) {
	var p decBenchProduct
	if err := Decode(decBenchInput, &p); err != nil {
		b.Fatal(err)
	}
	p.CreatedAt = p.CreatedAt.UTC()
	got := p.AppendJSON(nil)
	want, _ := json.Marshal(&p)
	if string(got) != string(want) {
		b.Fatalf("\n%s\n%s", got, want)
	}
	b.Run("runtime", func(b *testing.B) {
		b.SetBytes(int64(len(got)))
		b.ReportAllocs()
		for b.Loop() {
			WriteJSON(encDiscard{}, 200, &p)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(got)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(&p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
