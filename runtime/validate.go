package runtime

import (
	"cmp"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The checks below are what generated Validate methods call; each adds a
// FieldError at loc when the value breaks the rule. Lengths count
// characters, as PostgreSQL's varchar(n) and length() do.

// MaxLength checks that s has at most n characters.
func MaxLength(errs *FieldErrors, s string, n int, loc ...any) {
	if utf8.RuneCountInString(s) > n {
		errs.Add(CodeMaxLength, fmt.Sprintf("must be at most %d characters", n), loc...)
	}
}

// MaxBytes checks that s has at most n bytes in UTF-8: PostgreSQL's name
// type keeps 63 and truncates the rest without an error.
func MaxBytes(errs *FieldErrors, s string, n int, loc ...any) {
	if len(s) > n {
		errs.Add(CodeMaxLength, fmt.Sprintf("must be at most %d bytes", n), loc...)
	}
}

// MinLength checks that s has at least n characters.
func MinLength(errs *FieldErrors, s string, n int, loc ...any) {
	if utf8.RuneCountInString(s) < n {
		errs.Add(CodeMinLength, fmt.Sprintf("must be at least %d characters", n), loc...)
	}
}

// PathKey checks a text key value, which the row's URL carries as a path
// segment: it must not be empty, "." or "..", which no URL addresses (an
// empty segment is the collection's path; clients and servers resolve the
// others as directories). Generated Validate methods of create requests
// call it for key columns the client sets.
func PathKey(errs *FieldErrors, s string, loc ...any) {
	switch s {
	case "":
		errs.Add(CodeMinLength, "must not be empty: it is part of the row's URL", loc...)
	case ".", "..":
		errs.Add(CodeFormat, "must not be . or ..: it is part of the row's URL", loc...)
	}
}

// Pattern checks that s matches re.
func Pattern(errs *FieldErrors, s string, re *regexp.Regexp, loc ...any) {
	if !re.MatchString(s) {
		errs.Add(CodePattern, "must match "+re.String(), loc...)
	}
}

// OneOf reports a value that is not one of an enum's values; values lists
// them for the message.
func OneOf(errs *FieldErrors, valid bool, values string, loc ...any) {
	if !valid {
		errs.Add(CodeEnum, "must be one of: "+values, loc...)
	}
}

// In checks that s is one of values.
func In(errs *FieldErrors, s string, values []string, loc ...any) {
	for _, v := range values {
		if s == v {
			return
		}
	}
	errs.Add(CodeEnum, "must be one of: "+strings.Join(values, ", "), loc...)
}

// Minimum checks that v is at least min, or more than min when exclusive.
func Minimum[T cmp.Ordered](errs *FieldErrors, v, min T, exclusive bool, loc ...any) {
	if exclusive && v <= min {
		errs.Add(CodeMinimum, fmt.Sprintf("must be greater than %v", min), loc...)
	} else if !exclusive && v < min {
		errs.Add(CodeMinimum, fmt.Sprintf("must be at least %v", min), loc...)
	}
}

// Maximum checks that v is at most max, or less than max when exclusive.
func Maximum[T cmp.Ordered](errs *FieldErrors, v, max T, exclusive bool, loc ...any) {
	if exclusive && v >= max {
		errs.Add(CodeMaximum, fmt.Sprintf("must be less than %v", max), loc...)
	} else if !exclusive && v > max {
		errs.Add(CodeMaximum, fmt.Sprintf("must be at most %v", max), loc...)
	}
}

// MinimumDecimal is Minimum for decimals; min is a decimal literal.
func MinimumDecimal(errs *FieldErrors, v Decimal, min string, exclusive bool, loc ...any) {
	c, ok := compareDecimal(v, min)
	if !ok {
		return // NaN and infinities are left to the database
	}
	if exclusive && c <= 0 {
		errs.Add(CodeMinimum, "must be greater than "+min, loc...)
	} else if !exclusive && c < 0 {
		errs.Add(CodeMinimum, "must be at least "+min, loc...)
	}
}

// MaximumDecimal is Maximum for decimals; max is a decimal literal.
func MaximumDecimal(errs *FieldErrors, v Decimal, max string, exclusive bool, loc ...any) {
	c, ok := compareDecimal(v, max)
	if !ok {
		return
	}
	if exclusive && c >= 0 {
		errs.Add(CodeMaximum, "must be less than "+max, loc...)
	} else if !exclusive && c > 0 {
		errs.Add(CodeMaximum, "must be at most "+max, loc...)
	}
}

// compareDecimal compares v with the decimal literal lit; false when
// either is not a finite number.
func compareDecimal(v Decimal, lit string) (int, bool) {
	w, err := ParseDecimal(lit)
	if err != nil || v.kind != decimalFinite || w.kind != decimalFinite {
		return 0, false
	}
	return cmpFinite(v, w), true
}

// cmpFinite compares two finite decimals by value: -1, 0 or 1.
func cmpFinite(a, b Decimal) int {
	sa, sb := a.Sign(), b.Sign()
	if sa != sb {
		return cmpInt(sa, sb)
	}
	if sa == 0 {
		return 0
	}
	c := cmpMagnitude(a, b)
	if a.neg {
		return -c
	}
	return c
}

// cmpMagnitude compares |a| and |b|, both nonzero: first by the position
// of the leading digit, then digit by digit (no trailing zeros are kept,
// so where one runs out first it is the smaller).
func cmpMagnitude(a, b Decimal) int {
	if c := cmpInt(int64(len(a.digits))+int64(a.exp), int64(len(b.digits))+int64(b.exp)); c != 0 {
		return c
	}
	return strings.Compare(a.digits, b.digits)
}

// NumericFits checks that v fits numeric(precision, scale): after rounding
// to scale, at most precision-scale digits before the point. PostgreSQL
// would refuse it with an error that names no column.
func NumericFits(errs *FieldErrors, v Decimal, precision, scale int, loc ...any) {
	switch {
	case v.IsNaN() || numericFits(v, precision, scale):
		return
	case v.IsInf(-1) || v.neg:
		errs.Add(CodeMinimum, "must be greater than -1"+strings.Repeat("0", precision-scale), loc...)
	default:
		errs.Add(CodeMaximum, "must be less than 1"+strings.Repeat("0", precision-scale), loc...)
	}
}

// numericFits reports whether the finite v, rounded half away from zero to
// scale digits after the point as PostgreSQL rounds, is below
// 10^(precision-scale) in magnitude.
func numericFits(v Decimal, precision, scale int) bool {
	if v.kind != decimalFinite {
		return false
	}
	if v.digits == "" {
		return true
	}
	// |v| lies in [10^(lead-1), 10^lead).
	lead := int64(len(v.digits)) + int64(v.exp)
	limit := int64(precision - scale)
	switch {
	case lead > limit:
		return false
	case lead < limit:
		return true // rounding up reaches 10^lead at most
	}
	// Rounding keeps the first precision digits; it reaches 10^limit only
	// when they are all nines and the next digit is 5 or more.
	if len(v.digits) <= precision {
		return true
	}
	return strings.Trim(v.digits[:precision], "9") != "" || v.digits[precision] < '5'
}
