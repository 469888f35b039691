package catalog

import (
	"errors"
	"fmt"
	"testing"
)

func TestFaultOf(t *testing.T) {
	storeNotFound := Kind("not found", ErrNotFound)
	tests := []struct {
		err  error
		want Fault
	}{
		{fmt.Errorf("project 7: %w", storeNotFound), Fault{Exit: 2, Status: 404, Text: "not found"}},
		{fmt.Errorf("%w: unknown sort %q", Kind("invalid request", ErrInvalid), "x"), Fault{Exit: 2, Status: 400, Text: `unknown sort "x"`}},
		{Mark(errors.New("--coverage: cover.out: no such file"), ErrInvalid), Fault{Exit: 2, Status: 400, Text: "no such file"}},
		{fmt.Errorf("lookup: %w", Kind("ambiguous", ErrAmbiguous)), Fault{Exit: 2, Status: 409, Text: "ambiguous: more than one match"}},
		{fmt.Errorf("sign in ann@example.com: %w", Kind("wrong e-mail or password", ErrUnauthenticated)), Fault{Exit: 2, Status: 401, Text: "wrong e-mail or password"}},
		{Kind("account disabled", ErrForbidden), Fault{Exit: 2, Status: 403, Text: "account disabled"}},
		{fmt.Errorf("create account %q: %w", "ann@example.com", Kind("already exists", ErrConflict)), Fault{Exit: 2, Status: 409, Text: "already exists"}},
		{Kind("too many failed sign-ins; try again later", ErrRateLimited), Fault{Exit: 2, Status: 429, Text: "too many failed sign-ins; try again later"}},
		{errors.New("disk full at /var/lib/secret"), Internal},
	}
	for _, tt := range tests {
		if got := FaultOf(tt.err); got != tt.want {
			t.Errorf("FaultOf(%v) = %+v, want %+v", tt.err, got, tt.want)
		}
	}
	// A kind keeps its own identity and message.
	if err := fmt.Errorf("x: %w", storeNotFound); !errors.Is(err, storeNotFound) || err.Error() != "x: not found" {
		t.Errorf("wrapped kind: %v", err)
	}
}
