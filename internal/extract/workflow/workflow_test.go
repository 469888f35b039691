package workflow

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		err     string // "" for none
		jobs    int
		nilRoot bool
	}{
		{"jobs: {a: {steps: [{run: x}]}, b: {uses: o/r/.github/workflows/w.yml@v1}}", "", 2, false},
		{"", "", 0, true},
		{"# only a comment\n", "", 0, true},
		{"- a\n- b\n", "not a mapping", 0, true},
		{"x: &a\n  y: *a\n", "", 0, false}, // an alias to an ancestor: kept as a node, never expanded
		{"jobs: [\n", "yaml:", 0, true},
		{"jobs: " + strings.Repeat("[", 20_000) + strings.Repeat("]", 20_000), "exceeded max depth", 0, true},
		{"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\njobs: *c\n", "", 0, false},
		{"j: &j {steps: [{run: x}]}\njobs: {a: *j, b: *j}\n", "", 2, false},
	}
	for _, tt := range tests {
		root, err := Parse([]byte(tt.in))
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%.40q: error %v, want %q", tt.in, err, tt.err)
			continue
		}
		if (root == nil) != tt.nilRoot {
			t.Errorf("%.40q: root %v", tt.in, root)
		}
		keys, jobs := Pairs(MapValue(root, "jobs"))
		if len(jobs) != tt.jobs || len(keys) != len(jobs) {
			t.Errorf("%.40q: %d jobs %q, want %d", tt.in, len(jobs), keys, tt.jobs)
		}
	}
}

func TestHelpers(t *testing.T) {
	root, err := Parse([]byte("a: &s scalar\nb: *s\nc: [1, *s]\nd: {e: f}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := Scalar(MapValue(root, "b")); !ok || v != "scalar" {
		t.Errorf("alias scalar: %q %v", v, ok)
	}
	if items := Seq(MapValue(root, "c")); len(items) != 2 || items[1].Value != "scalar" {
		t.Errorf("seq: %v", items)
	}
	if Seq(MapValue(root, "d")) != nil || MapValue(MapValue(root, "a"), "x") != nil || MapValue(nil, "x") != nil {
		t.Error("wrong kinds must give nil")
	}
	if _, ok := Scalar(MapValue(root, "d")); ok {
		t.Error("a mapping is not a scalar")
	}
	for p, want := range map[string][2]bool{
		".github/workflows/ci.yml":     {true, true},
		".GITHUB/workflows/ci.yaml":    {true, false},
		"sub/.github/workflows/ci.yml": {false, true},
		".github/workflows/sub/ci.yml": {false, false},
		".github/workflows/ci.json":    {false, false},
		"action.yml":                   {false, true},
		"actions/setup/action.yaml":    {false, true},
	} {
		if got := [2]bool{IsWorkflowFile(p), IsActionsFile(p)}; got != want {
			t.Errorf("%s: workflow, actions file = %v, want %v", p, got, want)
		}
	}
}
