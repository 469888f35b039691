package hub_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/hub"
)

// The pushes API: list (held ones), show (commits, findings), the diff,
// approve and reject with attestations and a reason; four eyes as on the
// web pages (the pusher never decides, whatever their role).
func TestPushAPI(t *testing.T) { eachStore(t, testPushAPI) }

func testPushAPI(t *testing.T, open opener) {
	a := newAuthHub(t, open, hub.AuthOptions{Required: true})
	ctx := context.Background()
	token := map[catalog.Role]string{}
	for _, r := range []catalog.Role{catalog.RoleViewer, catalog.RoleDeveloper, catalog.RoleOSPO, catalog.RoleAdmin} {
		s, _, err := a.svc.CreateToken(ctx, auth.Actor{Name: "test", Source: "cli"}, email(r), "", catalog.ScopeWrite, 0)
		if err != nil {
			t.Fatal(err)
		}
		token[r] = s
	}
	held := func(pusher string) string {
		t.Helper()
		p, err := a.st.CreatePush(ctx, catalog.Push{Upstream: "https://git.example/org/x.git", Pusher: pusher, Status: catalog.PushHeld,
			Refs:    []catalog.PushRef{{Ref: "refs/heads/main", Old: "a", New: "b"}},
			Commits: []catalog.PushCommit{{SHA: "b", AuthorEmail: pusher, Subject: "add the parser"}},
			Findings: []catalog.PushFinding{{Check: "licence", Severity: catalog.SeverityReview, Commit: "b", Path: "src/p.go", Line: 1,
				Rule: "Confidential", Message: "proprietary marker"}}}, []byte{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return itoa(p.ID)
	}
	if _, err := a.st.CreatePush(ctx, catalog.Push{Upstream: "https://git.example/org/x.git", Pusher: email(catalog.RoleDeveloper),
		Status: catalog.PushRejected, Refs: []catalog.PushRef{{Ref: "refs/heads/main", Old: "a", New: "c"}}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	dev, own := held(email(catalog.RoleDeveloper)), held(email(catalog.RoleAdmin))
	attest := `{"attestations": ["no client data"]}`
	for _, tc := range []struct {
		name, method, path string
		role               catalog.Role
		body               string
		status             int
		want               string
	}{
		{"held pushes", "GET", "/api/v1/pushes?status=held", catalog.RoleDeveloper, "", 200, `"id":` + own},
		{"bad status", "GET", "/api/v1/pushes?status=lost", catalog.RoleDeveloper, "", 400, "status"},
		{"bad limit", "GET", "/api/v1/pushes?limit=0", catalog.RoleDeveloper, "", 400, "limit"},
		{"a viewer may not read pushes", "GET", "/api/v1/pushes", catalog.RoleViewer, "", 403, ""},
		{"one push", "GET", "/api/v1/pushes/" + dev, catalog.RoleDeveloper, "", 200, `"required_attestations":["no client data"]`},
		{"no such push", "GET", "/api/v1/pushes/999", catalog.RoleDeveloper, "", 404, ""},
		{"a developer may not approve", "POST", "/api/v1/pushes/" + dev + "/approve", catalog.RoleDeveloper, attest, 403, ""},
		{"four eyes: an admin on their own push", "POST", "/api/v1/pushes/" + own + "/approve", catalog.RoleAdmin, attest, 403, "may not review their own push"},
		{"four eyes on rejections too", "POST", "/api/v1/pushes/" + own + "/reject", catalog.RoleAdmin, `{"reason": "mine"}`, 403, "own push"},
		{"an attestation missing", "POST", "/api/v1/pushes/" + dev + "/approve", catalog.RoleOSPO, `{}`, 400, "attestation"},
		{"an unknown field", "POST", "/api/v1/pushes/" + dev + "/approve", catalog.RoleOSPO, `{"attest": true}`, 400, "unknown field"},
		{"a rejection without a reason", "POST", "/api/v1/pushes/" + dev + "/reject", catalog.RoleOSPO, `{}`, 400, "reason"},
		{"rejected", "POST", "/api/v1/pushes/" + dev + "/reject", catalog.RoleOSPO, `{"reason": "client data in a fixture"}`, 200, `"status":"rejected"`},
		{"decided already", "POST", "/api/v1/pushes/" + dev + "/approve", catalog.RoleAdmin, attest, 409, ""},
		{"no diff once decided", "GET", "/api/v1/pushes/" + dev + "/diff", catalog.RoleDeveloper, "", 409, "rejected"},
		// The test's proxy allows no upstream: the approval stands, the
		// forward fails for good, and the push says so.
		{"approved, the upstream refused", "POST", "/api/v1/pushes/" + own + "/approve", catalog.RoleOSPO, attest, 200, `"status":"failed"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.do(t, call{method: tc.method, path: tc.path, bearer: token[tc.role], json: tc.body})
			if r.status != tc.status || !strings.Contains(r.body, tc.want) {
				t.Errorf("%s %s as %s = %d %s, want %d with %q", tc.method, tc.path, tc.role, r.status, r.body, tc.status, tc.want)
			}
		})
	}
	r := a.do(t, call{method: http.MethodGet, path: "/api/v1/pushes?status=held", bearer: token[catalog.RoleDeveloper]})
	var list []catalog.Push
	if err := json.Unmarshal([]byte(r.body), &list); err != nil || len(list) != 0 {
		t.Errorf("held pushes after both decisions = %s (%v)", r.body, err)
	}
	r = a.do(t, call{method: http.MethodGet, path: "/api/v1/pushes", bearer: token[catalog.RoleDeveloper]})
	if err := json.Unmarshal([]byte(r.body), &list); err != nil || len(list) != 3 {
		t.Errorf("all pushes = %s (%v)", r.body, err)
	}
}
