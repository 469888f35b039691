package expertise_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/expertise"
)

func TestRedact(t *testing.T) {
	jane := catalog.Identity{Name: "Jane", Email: "jane@example.com"}
	janeOld := catalog.Identity{Name: "J. Doe", Email: "JDOE@old.example"}
	bob := catalog.Identity{Name: "Bob", Email: "bob@example.com"}
	anon := catalog.Identity{Name: expertise.OptedOutName}
	e := &catalog.Expertise{Files: 10, TruckFactor: 2, KeyPeople: []catalog.Identity{janeOld, bob},
		Authors: []catalog.Author{{Identity: jane, PersonID: "jane", Files: 6, Share: 0.6}, {Identity: bob, PersonID: "bob", Files: 4, Share: 0.4}},
		Dirs:    []catalog.DirAuthorship{{Dir: "cmd", Files: 3, Authors: []catalog.Author{{Identity: janeOld, Files: 3, Share: 1}}}}}
	before := *e
	opts := []catalog.OptOut{{PersonID: "jane", Experts: true}, {PersonID: "bob", Recommendations: true}}
	h := expertise.HiddenOf(opts, func(id string) []string {
		if id == "jane" {
			return []string{"jane@example.com", "jdoe@old.example"}
		}
		return nil
	})
	got := expertise.Redact(e, h)
	want := &catalog.Expertise{Files: 10, TruckFactor: 2, KeyPeople: []catalog.Identity{anon, bob},
		Authors: []catalog.Author{{Identity: anon, Files: 6, Share: 0.6}, {Identity: bob, PersonID: "bob", Files: 4, Share: 0.4}},
		Dirs:    []catalog.DirAuthorship{{Dir: "cmd", Files: 3, Authors: []catalog.Author{{Identity: anon, Files: 3, Share: 1}}}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Redact (-want +got):\n%s", d)
	}
	if d := cmp.Diff(&before, e); d != "" {
		t.Errorf("Redact changed its input:\n%s", d)
	}
	if got := expertise.Redact(e, expertise.HiddenOf(opts[1:], nil)); got != e {
		t.Error("nobody hidden: want e itself")
	}
	if expertise.Redact(nil, h) != nil {
		t.Error("nil: want nil")
	}
}
