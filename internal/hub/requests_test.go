package hub_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/hub"
)

// TestExceptionFormEstateWide: the new-request form offers an exception
// for every project (the API's details.estate_wide, the CLI's
// --estate-wide); ticked, the stored request asks for it, unticked it is
// for its project only. Filing is for those the API lets file (a viewer
// may not).
func TestExceptionFormEstateWide(t *testing.T) { eachStore(t, testExceptionFormEstateWide) }

func testExceptionFormEstateWide(t *testing.T, open opener) {
	a := newAuthHub(t, open, hub.AuthOptions{Required: true})
	ctx := context.Background()
	if _, err := a.st.ReplaceProject(ctx, &catalog.Project{Key: "lib", Name: "lib", Path: "/src/lib", ScannerVersion: catalog.ScannerVersion}); err != nil {
		t.Fatal(err)
	}
	dev := a.session(t, catalog.RoleDeveloper)
	page := a.do(t, call{method: "GET", path: "/requests/new?kind=exception", session: dev})
	if page.status != 200 || !strings.Contains(page.body, `name="estate_wide"`) {
		t.Fatalf("form: %d, estate-wide box shown %v", page.status, strings.Contains(page.body, `name="estate_wide"`))
	}
	form := func(pkg string, estateWide bool) url.Values {
		f := url.Values{"kind": {"exception"}, "subject": {"lib"}, "package": {pkg}, "expires": {"2999-01-01"}, "reason": {"vetted"}}
		if estateWide {
			f.Set("estate_wide", "1")
		}
		return f
	}
	for _, tc := range []struct {
		pkg        string
		estateWide bool
	}{{"pkg:npm/left-pad", true}, {"pkg:npm/right-pad", false}} {
		if r := a.do(t, call{method: "POST", path: "/requests", session: dev, form: form(tc.pkg, tc.estateWide)}); r.status != 303 {
			t.Fatalf("file %s: %d %s", tc.pkg, r.status, r.body)
		}
	}
	if r := a.do(t, call{method: "POST", path: "/requests", session: a.session(t, catalog.RoleViewer), form: form("pkg:npm/x", true)}); r.status != 403 {
		t.Errorf("a viewer filed an exception: %d", r.status)
	}
	rs, err := a.st.ListRequests(ctx, governance.RequestFilter{Kind: governance.KindException})
	if err != nil || len(rs) != 2 {
		t.Fatalf("requests %+v, %v", rs, err)
	}
	got := map[string]bool{}
	for _, r := range rs {
		got[r.Details.Package] = r.Details.EstateWide
	}
	if !got["pkg:npm/left-pad"] || got["pkg:npm/right-pad"] {
		t.Errorf("estate-wide by package: %v, want left-pad only", got)
	}
}
