package hub_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
)

// The push pages: who sees them, who gets the review forms (a reviewer who
// is not the pusher), and the four-eyes refusal of the pusher's own
// approval even as an admin.
func TestPushPages(t *testing.T) { eachStore(t, testPushPages) }

func testPushPages(t *testing.T, open opener) {
	a := newAuthHub(t, open, hub.AuthOptions{Required: true})
	ctx := context.Background()
	p, err := a.st.CreatePush(ctx, catalog.Push{Upstream: "https://git.example/org/x.git", Pusher: email(catalog.RoleAdmin),
		Status: catalog.PushHeld, Refs: []catalog.PushRef{{Ref: "refs/heads/main", Old: "a", New: "b"}},
		Commits:  []catalog.PushCommit{{SHA: "b", AuthorName: "<Admin>", AuthorEmail: "admin@example.com", Subject: "Fix <script>"}},
		Findings: []catalog.PushFinding{{Check: "hook", Severity: catalog.SeverityReview, Message: "needs a look"}}}, []byte{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	page := "/pushes/" + itoa(p.ID)
	tests := []struct {
		role      catalog.Role
		path      string
		status    int
		want, not []string
	}{
		{catalog.RoleViewer, "/pushes", http.StatusForbidden, nil, nil},
		{catalog.RoleDeveloper, "/pushes", http.StatusOK, []string{"held", "https://git.example/org/x.git", page}, nil},
		{catalog.RoleDeveloper, "/pushes?status=forwarded", http.StatusOK, []string{"No push."}, []string{page + `"`}},
		{catalog.RoleDeveloper, "/pushes?status=bogus", http.StatusBadRequest, nil, nil},
		{catalog.RoleDeveloper, page, http.StatusOK, []string{"Fix &lt;script&gt;", "needs a look"}, []string{"Approve and forward", "<script>"}},
		{catalog.RoleOSPO, page, http.StatusOK, []string{"Approve and forward", "no client data", "Reject", "the diff cannot be shown"}, nil},
		{catalog.RoleAdmin, page, http.StatusOK, []string{"another person reviews it"}, []string{"Approve and forward"}},
		{catalog.RoleOSPO, "/pushes/999", http.StatusNotFound, nil, nil},
	}
	for _, tt := range tests {
		resp := a.do(t, call{method: http.MethodGet, path: tt.path, session: a.session(t, tt.role)})
		if resp.status != tt.status {
			t.Errorf("%s GET %s = %d, want %d", tt.role, tt.path, resp.status, tt.status)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(resp.body, w) {
				t.Errorf("%s GET %s lacks %q", tt.role, tt.path, w)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(resp.body, n) {
				t.Errorf("%s GET %s shows %q", tt.role, tt.path, n)
			}
		}
	}
	// The pusher is an admin; posting the form by hand is still refused.
	resp := a.do(t, call{method: http.MethodPost, path: page + "/approve", session: a.session(t, catalog.RoleAdmin),
		form: url.Values{"attestation": {"no client data"}}})
	if resp.status != http.StatusForbidden || !strings.Contains(resp.body, "may not review their own push") {
		t.Errorf("self-approval = %d %s", resp.status, resp.body)
	}
	resp = a.do(t, call{method: http.MethodPost, path: page + "/reject", session: a.session(t, catalog.RoleDeveloper),
		form: url.Values{"reason": {"no"}}})
	if resp.status != http.StatusForbidden {
		t.Errorf("rejection by a developer = %d", resp.status)
	}
	resp = a.do(t, call{method: http.MethodPost, path: page + "/reject", session: a.session(t, catalog.RoleOSPO), form: url.Values{}})
	if resp.status != http.StatusBadRequest || !strings.Contains(resp.body, "needs a reason") {
		t.Errorf("rejection without a reason = %d", resp.status)
	}
	if got, _ := a.st.Push(ctx, p.ID); got.Status != catalog.PushHeld {
		t.Errorf("status after refused decisions = %s", got.Status)
	}
}
