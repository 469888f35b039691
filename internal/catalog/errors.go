package catalog

import (
	"errors"
	"strings"
)

// Error kinds. Every package wraps its errors so that errors.Is finds one of
// these; the kinds, not the packages, decide what a user is told, by the
// one table below (faults): the CLI's exit code, the hub's HTTP status and
// the text safe to show.
var (
	// ErrNotFound: the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input (arguments, a query, a file named by the user,
	// configuration) cannot be used.
	ErrInvalid = errors.New("invalid input")
	// ErrAmbiguous: a name matches more than one thing.
	ErrAmbiguous = errors.New("ambiguous")
	// ErrUnauthenticated: who asks is not known (no valid session, token
	// or password).
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden: who asks is known and may not do it.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict: the change clashes with what exists (a name taken).
	ErrConflict = errors.New("conflict")
	// ErrRateLimited: too many attempts; try again later.
	ErrRateLimited = errors.New("rate limited")
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

// Fault is what an error means to the people and programs told about it.
type Fault struct {
	// Exit is the command line's exit code: 2 for bad input, 3 internal.
	Exit int
	// Status is the HTTP status of the hub and the API.
	Status int
	// Text is safe to show: never internal detail.
	Text string
}

// faults is the one table from error kinds to exit codes, HTTP statuses
// and what is shown. ErrInvalid's text is the error's own (see UserText);
// an error of no kind is internal.
var faults = []struct {
	kind  error
	fault Fault
}{
	{ErrNotFound, Fault{Exit: 2, Status: 404, Text: "not found"}},
	{ErrInvalid, Fault{Exit: 2, Status: 400}},
	{ErrAmbiguous, Fault{Exit: 2, Status: 409, Text: "ambiguous: more than one match"}},
	// The texts of the kinds below are the errors' own, written to be shown
	// (auth's say nothing of why a sign-in failed).
	{ErrUnauthenticated, Fault{Exit: 2, Status: 401}},
	{ErrForbidden, Fault{Exit: 2, Status: 403}},
	{ErrConflict, Fault{Exit: 2, Status: 409}},
	{ErrRateLimited, Fault{Exit: 2, Status: 429}},
}

// Internal is the fault of an error of no kind.
var Internal = Fault{Exit: 3, Status: 500, Text: "internal error"}

// FaultOf returns what err means: the entry of the first kind it is, else
// Internal.
func FaultOf(err error) Fault {
	for _, f := range faults {
		if errors.Is(err, f.kind) {
			out := f.fault
			if out.Text == "" {
				out.Text = UserText(err)
			}
			return out
		}
	}
	return Internal
}

// UserText is the message of an ErrInvalid, which is written to be shown:
// the text after the last ": " (the reason, without the wrapping context).
func UserText(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 && len(s) > i+2 {
		return s[i+2:]
	}
	return s
}
