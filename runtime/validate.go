package runtime

import (
	"cmp"
	"fmt"
	"math/big"
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

// compareDecimal compares v with a decimal literal exactly.
func compareDecimal(v Decimal, lit string) (int, bool) {
	a, ok := new(big.Rat).SetString(v.String())
	if !ok {
		return 0, false
	}
	b, ok := new(big.Rat).SetString(lit)
	if !ok {
		return 0, false
	}
	return a.Cmp(b), true
}

// NumericFits checks that v fits numeric(precision, scale): after rounding
// to scale, at most precision-scale digits before the point. PostgreSQL
// would refuse it with an error that names no column.
func NumericFits(errs *FieldErrors, v Decimal, precision, scale int, loc ...any) {
	limit := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(precision-scale)), nil))
	bound := "less than 1" + strings.Repeat("0", precision-scale)
	switch {
	case v.IsNaN():
		return
	case v.IsInf(1):
		errs.Add(CodeMaximum, "must be "+bound, loc...)
		return
	case v.IsInf(-1):
		errs.Add(CodeMinimum, "must be greater than -1"+strings.Repeat("0", precision-scale), loc...)
		return
	}
	r, ok := new(big.Rat).SetString(v.String())
	if !ok {
		return
	}
	// Round half away from zero to scale, as PostgreSQL does.
	unit := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
	scaled := new(big.Rat).Mul(new(big.Rat).Abs(r), unit)
	half := new(big.Rat).Add(scaled, big.NewRat(1, 2))
	rounded := new(big.Rat).SetFrac(new(big.Int).Quo(half.Num(), half.Denom()), unit.Num())
	if rounded.Cmp(limit) >= 0 {
		if r.Sign() < 0 {
			errs.Add(CodeMinimum, "must be greater than -1"+strings.Repeat("0", precision-scale), loc...)
		} else {
			errs.Add(CodeMaximum, "must be "+bound, loc...)
		}
	}
}
