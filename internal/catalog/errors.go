package catalog

import "errors"

// Error kinds. Every package wraps its errors so that errors.Is finds one of
// these; the kinds, not the packages, decide what a user is told: the one
// table of exit codes and HTTP statuses is ExitCode and HTTPStatus.
var (
	// ErrNotFound: the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input (arguments, a query, a file named by the user,
	// configuration) cannot be used.
	ErrInvalid = errors.New("invalid input")
	// ErrAmbiguous: a name matches more than one thing.
	ErrAmbiguous = errors.New("ambiguous")
)

// Kind returns an error whose message is msg and which errors.Is reports
// as kind, for packages that name their own sentinel errors
// (store.ErrNotFound is Kind("not found", ErrNotFound)).
func Kind(msg string, kind error) error { return Mark(errors.New(msg), kind) }

// Mark returns err, with its message unchanged, as an error of kind.
func Mark(err, kind error) error { return &marked{err: err, kind: kind} }

type marked struct{ err, kind error }

func (e *marked) Error() string   { return e.err.Error() }
func (e *marked) Unwrap() []error { return []error{e.err, e.kind} }
