package runtime

import (
	"errors"
	"net/netip"
	"strings"
)

// An inet value is an address with an optional netmask: 10.0.0.1, or
// 10.0.0.1/24, the host within its network. netip.Prefix holds both (an
// inet is never masked, unlike a cidr): a prefix of the address's full
// length is an address without netmask. The JSON form is the text
// PostgreSQL prints: the address alone when the netmask is full, else
// address/bits.

// ParseInet parses an inet: an IPv4 or IPv6 address, optionally followed
// by /bits. Zones ("fe80::1%eth0") are refused: PostgreSQL cannot store
// them.
func ParseInet(s string) (netip.Prefix, error) {
	addr, bits, hasBits := strings.Cut(s, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, errors.New("must be an IP address, with an optional /netmask")
	}
	if !hasBits {
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil || bits == "" {
		return netip.Prefix{}, errors.New("must be an IP address, with an optional /netmask of at most 32 bits (IPv4) or 128 (IPv6)")
	}
	return p, nil
}

// AppendInet appends an inet as a JSON string, as PostgreSQL prints it:
// "10.0.0.1" for a full netmask, "10.0.0.1/24" otherwise; "" for the zero
// Prefix.
func AppendInet(b []byte, v netip.Prefix) []byte {
	b = append(b, '"')
	if v.IsValid() {
		a := v.Addr()
		b = a.AppendTo(b)
		if v.Bits() != a.BitLen() {
			b = append(b, '/')
			b = AppendInt(b, int64(v.Bits()))
		}
	}
	return append(b, '"')
}

// ReadInet reads an inet; see Decoder.Inet.
func ReadInet(d *Decoder, dst *netip.Prefix) bool { return d.Inet(dst) }

// Inet reads an inet from a JSON string (see ParseInet); a string that is
// not one is code "format".
func (d *Decoder) Inet(dst *netip.Prefix) bool {
	b, ok := d.stringBytes("must be an IP address string")
	if !ok {
		return false
	}
	p, err := ParseInet(jsonView(b))
	if err != nil {
		d.Fail(CodeFormat, err.Error())
		return false
	}
	*dst = p
	return true
}
