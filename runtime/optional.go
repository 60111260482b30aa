package runtime

// Optional is a field of a PATCH request (JSON merge patch, RFC 7396),
// which has three states: absent (Set false: leave the column alone), null
// (Set and Null: set the column to NULL) and a value (Set, not Null).
type Optional[T any] struct {
	Value T
	Set   bool
	Null  bool
}

// Some returns an Optional holding v.
func Some[T any](v T) Optional[T] { return Optional[T]{Value: v, Set: true} }

// Null returns an Optional set to null.
func Null[T any]() Optional[T] { return Optional[T]{Set: true, Null: true} }

// Ptr returns a pointer to a copy of the value, or nil when the Optional is
// absent or null.
func (o Optional[T]) Ptr() *T {
	if !o.Set || o.Null {
		return nil
	}
	return &o.Value
}

// Ref returns a pointer to the value itself, or nil when the Optional is
// absent or null.
func (o *Optional[T]) Ref() *T {
	if !o.Set || o.Null {
		return nil
	}
	return &o.Value
}

// Get returns the value and whether the Optional holds one (it is set and
// not null).
func (o Optional[T]) Get() (T, bool) { return o.Value, o.Set && !o.Null }
