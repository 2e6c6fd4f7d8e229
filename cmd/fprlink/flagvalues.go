package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The flag values below check their bounds when set, so a value out of
// range is refused the same way from a flag and from its variable.

// stringFlag is a string, normalised and checked by check when not nil.
type stringFlag struct {
	p     *string
	check func(string) (string, error)
}

func (f stringFlag) kind() string { return "string" }

func (f stringFlag) String() string {
	if f.p == nil {
		return ""
	}
	return *f.p
}

func (f stringFlag) Set(s string) error {
	if f.check != nil {
		var err error
		if s, err = f.check(s); err != nil {
			return err
		}
	}
	*f.p = s
	return nil
}

// boolFlag is true or false; -name alone means true.
type boolFlag struct{ p *bool }

func (f boolFlag) IsBoolFlag() bool { return true }

func (f boolFlag) kind() string { return "" }

func (f boolFlag) String() string {
	if f.p == nil {
		return "false"
	}
	return strconv.FormatBool(*f.p)
}

func (f boolFlag) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("want true or false")
	}
	*f.p = b
	return nil
}

// intFlag is a whole number of at least min and, when max is not zero, at
// most max.
type intFlag[T int | int64] struct {
	p        *T
	min, max T
}

func (f intFlag[T]) kind() string { return "int" }

func (f intFlag[T]) String() string {
	if f.p == nil {
		return "0"
	}
	return strconv.FormatInt(int64(*f.p), 10)
}

func (f intFlag[T]) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || int64(T(n)) != n {
		return errors.New("want a whole number")
	}
	v := T(n)
	switch {
	case f.max != 0 && (v < f.min || v > f.max):
		return fmt.Errorf("must be between %d and %d", f.min, f.max)
	case v < f.min:
		return fmt.Errorf("must be at least %d", f.min)
	}
	*f.p = v
	return nil
}

// floatFlag is a finite number of at least min.
type floatFlag struct {
	p   *float64
	min float64
}

func (f floatFlag) kind() string { return "number" }

func (f floatFlag) String() string {
	if f.p == nil {
		return "0"
	}
	return strconv.FormatFloat(*f.p, 'g', -1, 64)
}

func (f floatFlag) Set(s string) error {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return errors.New("want a number")
	}
	if x < f.min {
		return fmt.Errorf("must be at least %g", f.min)
	}
	*f.p = x
	return nil
}

// durationFlag is a duration of at least min and, when max is not zero,
// at most max; min 1 means any positive duration.
type durationFlag struct {
	p        *time.Duration
	min, max time.Duration
}

func (f durationFlag) kind() string { return "duration" }

func (f durationFlag) String() string {
	if f.p == nil {
		return "0s"
	}
	return f.p.String()
}

func (f durationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return errors.New("want a duration such as 90s, 5m or 24h")
	}
	switch {
	case f.max != 0 && (d < f.min || d > f.max):
		return fmt.Errorf("must be between %v and %v", f.min, f.max)
	case d < f.min && f.min <= 1:
		return errors.New("must be positive")
	case d < f.min:
		return fmt.Errorf("must be at least %v", f.min)
	}
	*f.p = d
	return nil
}

// listFlag is a comma-separated list, checked by check when not nil.
type listFlag struct {
	p     *[]string
	check func([]string) error
}

func (f listFlag) kind() string { return "list" }

func (f listFlag) String() string {
	if f.p == nil {
		return ""
	}
	return strings.Join(*f.p, ",")
}

func (f listFlag) Set(s string) error {
	l := splitList(s)
	if f.check != nil {
		if err := f.check(l); err != nil {
			return err
		}
	}
	*f.p = l
	return nil
}
