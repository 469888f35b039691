package teams

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/catalog"
)

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFile(t *testing.T) {
	got, err := ParseFile(read(t, "teams.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Membership{
		{Team: "payments", Email: "ann@example.com", Source: catalog.MemberFile},
		{Team: "payments", Email: "bob@example.com", Source: catalog.MemberFile},
		{Team: "search", Email: "carl@example.com", Source: catalog.MemberFile},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseFile (-want +got):\n%s", diff)
	}
	for name, msg := range map[string]string{
		"bad-teams.yaml":   `member "not an address" is not an e-mail address`,
		"unknown-key.yaml": "field memebers not found",
	} {
		if _, err := ParseFile(read(t, name)); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParseFile(%s) = %v, want %q", name, err, msg)
		}
	}
	for _, hostile := range []string{"teams: [", "a: &a [*a, *a]\nteams: *a", strings.Repeat("[", 20000)} {
		if _, err := ParseFile([]byte(hostile)); err == nil {
			t.Errorf("ParseFile(%.20q) = nil error", hostile)
		}
	}
}

func TestBackstage(t *testing.T) {
	var b Backstage
	if err := b.Add(read(t, "org.yaml")); err != nil {
		t.Fatal(err)
	}
	got, unresolved := b.Memberships()
	want := []catalog.Membership{
		{Team: "payments", Email: "ann@example.com", Source: catalog.MemberBackstage},
		{Team: "payments", Email: "bob@example.com", Source: catalog.MemberBackstage},
		{Team: "search", Email: "bob@example.com", Source: catalog.MemberBackstage},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Memberships (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"default/nomail"}, unresolved); diff != "" {
		t.Errorf("unresolved (-want +got):\n%s", diff)
	}
	if err := b.Add([]byte("kind: Group\nmetadata: [")); err == nil {
		t.Error("a broken document is not an error")
	}
}
