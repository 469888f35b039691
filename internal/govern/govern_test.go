package govern

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/analyze"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/governance"
	"github.com/ospo-project/ospo/internal/namecheck"
	"github.com/ospo-project/ospo/internal/notify"
	"github.com/ospo-project/ospo/internal/secrets"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

var t0 = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

const mit = `MIT License

Copyright (c) 2026 Acme

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE=2026-01-02T03:04:05Z", "GIT_COMMITTER_DATE=2026-01-02T03:04:05Z",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// makeRepo returns a repository whose first commit added an AWS key and
// an internal host name that the second commit deleted.
func makeRepo(t *testing.T) string {
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "config", "user.email", "dev@example.com")
	git(t, dir, "config", "user.name", "Dev")
	write(t, dir, "LICENSE", mit)
	write(t, dir, "config.py", "aws_key = \"AKIAIOSFODNN7EXAMPLQ\"\nurl = \"https://build.corp.example.com/x\"\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-qm", "first")
	git(t, dir, "rm", "-q", "config.py")
	write(t, dir, "README.md", "# tool\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-qm", "remove the key")
	return dir
}

// hooks records the messages posted to people's webhooks.
type hooks struct {
	mu   sync.Mutex
	msgs []notify.Message
	srv  *httptest.Server
}

func newHooks(t *testing.T) *hooks {
	h := &hooks{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m notify.Message
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &m)
		h.mu.Lock()
		h.msgs = append(h.msgs, m)
		h.mu.Unlock()
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hooks) to(email, topic string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, m := range h.msgs {
		if m.To == email && m.Topic == topic {
			n++
		}
	}
	return n
}

type fixture struct {
	st    store.Store
	svc   *Service
	an    *analyze.Analyzer
	dir   string
	key   string
	hooks *hooks
	who   map[string]Who
	now   time.Time
}

func setup(t *testing.T, st store.Store, pol governance.Policies) *fixture {
	ctx := context.Background()
	f := &fixture{st: st, dir: makeRepo(t), hooks: newHooks(t), who: map[string]Who{}, now: t0}
	an, err := analyze.New(analyze.Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	f.an = an
	f.rescan(t)
	sc, err := secrets.New(secrets.Config{InternalHosts: []string{"corp.example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	for email, role := range map[string]catalog.Role{"ann@example.com": catalog.RoleDeveloper, "olga@example.com": catalog.RoleOSPO,
		"oscar@example.com": catalog.RoleOSPO, "adam@example.com": catalog.RoleAdmin} {
		if _, err := st.CreateAccount(ctx, catalog.Account{Email: email, Role: role}, nil); err != nil {
			t.Fatal(err)
		}
		if err := st.SetNotifyPreferences(ctx, email, notify.Preferences{NoEmail: true, Webhook: f.hooks.srv.URL}, nil); err != nil {
			t.Fatal(err)
		}
	}
	f.svc = New(Options{Store: st, Policies: pol, Analyzer: an, Secrets: sc, Now: func() time.Time { return f.now },
		Notifier: &notify.Notifier{Prefs: st, Hooks: &notify.Webhooks{AllowHTTP: true, Backoff: time.Millisecond}},
		BaseURL:  "https://ospo.example.com"})
	for _, e := range []string{"ann@example.com", "olga@example.com", "oscar@example.com", "adam@example.com"} {
		w, err := f.svc.Who(ctx, e, "test", "")
		if err != nil {
			t.Fatal(err)
		}
		f.who[strings.TrimSuffix(e, "@example.com")] = w
	}
	return f
}

// rescan stores the project as a scan of its HEAD would.
func (f *fixture) rescan(t *testing.T) {
	res, err := f.an.Analyze(context.Background(), analyze.Target{Dir: f.dir, Source: analyze.Head, Analyses: analyze.All})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.ReplaceProject(context.Background(), res.Project); err != nil {
		t.Fatal(err)
	}
	f.key = res.Project.Key
}

func item(r *governance.Request, id string) governance.Item {
	for _, it := range r.Checklist {
		if it.ID == id {
			return it
		}
	}
	return governance.Item{}
}

func actions(t *testing.T, st store.Store, id string) []string {
	es, err := st.ListAudit(context.Background(), store.AuditFilter{Object: "request:" + id})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Action)
	}
	return out
}

// TestOpenSourceScenario: a request from creation to approval, its
// evidence invalidated when HEAD moves, re-approved, exported.
func TestOpenSourceScenario(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		f := setup(t, st, nil)
		r, err := f.svc.Open(ctx, f.who["ann"], governance.Draft{Kind: governance.KindOpenSource, Subject: f.key,
			Title: "<script>alert('x')</script>", Answers: map[string]string{"telemetry": "no"}})
		if err != nil {
			t.Fatal(err)
		}
		head := strings.TrimSpace(gitOut(t, f.dir, "rev-parse", "HEAD"))
		if r.Commit != head || r.State != governance.StateReview {
			t.Fatalf("opened at %s in %s, want %s in review", r.Commit, r.State, head)
		}
		// The key was committed and then deleted: the scan of the whole history finds it.
		if it := item(r, governance.ItemSecrets); it.Status != governance.Fail || len(it.Evidence) < 2 || strings.Contains(strings.Join(it.Evidence, " "), "AKIAIOSFODNN7EXAMPLQ") {
			t.Errorf("secrets item %+v: want a failure whose evidence holds no secret", it)
		}
		if it := item(r, governance.ItemInternalRefs); it.Status != governance.Fail {
			t.Errorf("internal references item %+v: want a failure", it)
		}
		if it := item(r, governance.ItemLicenseHeaders); it.Status != governance.Pass {
			t.Errorf("licence headers item %+v: want a pass (no source file at HEAD)", it)
		}
		if it := item(r, governance.ItemLicense); it.Status != governance.Pass || it.Value != "MIT" || it.Commit != head {
			t.Errorf("licence item %+v", it)
		}
		if f.hooks.to("olga@example.com", notify.TopicRequestWaiting) != 1 || f.hooks.to("ann@example.com", notify.TopicRequestWaiting) != 0 {
			t.Errorf("reviewers told: %+v", f.hooks.msgs)
		}
		id := r.ID
		if _, err := f.svc.Act(ctx, f.who["ann"], id, governance.Step{Action: governance.ActApprove}); !errors.Is(err, catalog.ErrForbidden) {
			t.Fatalf("the requester approved: %v", err)
		}
		if _, err := f.svc.Act(ctx, f.who["olga"], id, governance.Step{Action: governance.ActApprove}); err != nil {
			t.Fatal(err)
		}
		r, err = f.svc.Act(ctx, f.who["oscar"], id, governance.Step{Action: governance.ActApprove})
		if err != nil || r.State != governance.StateApproved {
			t.Fatalf("second approval: %v, %v", r, err)
		}
		if f.hooks.to("ann@example.com", notify.TopicRequestDecided) != 1 {
			t.Errorf("requester not told of the decision")
		}
		proj, _ := st.Project(ctx, f.key)
		ep, err := st.ExternalProject(ctx, proj.Name)
		if err != nil || ep.Lifecycle != governance.LifecycleApproved || !slices.Contains(ep.Requests, id) {
			t.Fatalf("estate after approval: %+v, %v", ep, err)
		}

		// HEAD moves without changing any result: still approved, new commit pinned.
		write(t, f.dir, "main.go", "// SPDX-License-Identifier: MIT\n\npackage main\n")
		git(t, f.dir, "add", ".")
		git(t, f.dir, "commit", "-qm", "code")
		f.rescan(t)
		before, _ := st.Request(ctx, id)
		if back, err := f.svc.Revalidate(ctx, id); err != nil || back {
			after, _ := st.Request(ctx, id)
			t.Fatalf("unchanged revalidation: %v, %v; changed %v", back, err, governance.Changed(before.Checklist, after.Checklist))
		}
		// HEAD moves and SECURITY.md appears: the item changes, back to review.
		write(t, f.dir, "SECURITY.md", "Report to security@example.com\n")
		git(t, f.dir, "add", ".")
		git(t, f.dir, "commit", "-qm", "security policy")
		f.rescan(t)
		back, err := f.svc.RevalidateAll(ctx)
		if err != nil || len(back) != 1 || back[0] != id {
			t.Fatalf("RevalidateAll = %v, %v; want [%d]", back, err, id)
		}
		r, _ = st.Request(ctx, id)
		if r.State != governance.StateReview || len(r.Approvals) != 0 || item(r, governance.ItemSecurityMD).Status != governance.Pass ||
			!strings.Contains(r.Events[len(r.Events)-1].Text, governance.ItemSecurityMD) {
			t.Fatalf("after invalidation: %s, %d approvals, last event %+v", r.State, len(r.Approvals), r.Events[len(r.Events)-1])
		}
		if f.hooks.to("olga@example.com", notify.TopicRequestWaiting) != 2 {
			t.Errorf("reviewers not told again")
		}
		want := []string{"request.open", "request.evaluate", "request.approve", "request.approve", "request.comment", "request.invalidate"}
		if got := actions(t, st, "1"); !slices.Equal(got, want) {
			t.Errorf("audit %v, want %v", got, want)
		}

		pk, err := f.svc.Export(ctx, id, "test")
		if err != nil {
			t.Fatal(err)
		}
		if pk.Project == nil || pk.Project.Commit != r.Commit || len(pk.SBOM) == 0 || len(pk.Audit) != 6 || pk.Licenses == nil {
			t.Fatalf("pack: project %+v, sbom %d bytes, %d audit entries, notes %v", pk.Project, len(pk.SBOM), len(pk.Audit), pk.Notes)
		}
		var b strings.Builder
		if err := WriteHTML(&b, pk); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), "<script>") || !strings.Contains(b.String(), "&lt;script&gt;") {
			t.Errorf("the hostile title is not escaped in the HTML pack")
		}
	})
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestKindsScenarios: each other kind from creation to decision.
func TestKindsScenarios(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		pol := governance.Policies{
			governance.KindContribute: {FastPath: &governance.FastPath{Answers: map[string]string{"confidential": "no"}}},
			governance.KindLifecycle:  {AdminBypass: true},
		}
		f := setup(t, st, pol)

		// Contribute: a standing approval with the fast path, then asked by the push proxy.
		c, err := f.svc.Open(ctx, f.who["ann"], governance.Draft{Kind: governance.KindContribute, Subject: "https://github.com/apache",
			Details: governance.Details{Scope: governance.ScopeStanding, Agreement: "ccla"}, Expires: t0.AddDate(1, 0, 0),
			Answers: map[string]string{"confidential": "No", "purpose": "fixes"}})
		if err != nil || c.State != governance.StateApproved {
			t.Fatalf("fast path: %+v, %v", c, err)
		}
		if got := actions(t, st, "1"); !slices.Equal(got, []string{"request.open", "request.fast-path"}) {
			t.Errorf("fast path audit %v", got)
		}
		if got, err := governance.ApprovedContribution(ctx, st, "git@github.com:apache/kafka.git", t0); err != nil || got == nil || got.ID != c.ID {
			t.Errorf("ApprovedContribution = %v, %v", got, err)
		}
		if got, _ := governance.ApprovedContribution(ctx, st, "https://github.com/apache/kafka", t0.AddDate(2, 0, 0)); got != nil {
			t.Errorf("an expired standing approval still covers a push")
		}
		// Without the fast path's answer, a reviewer decides.
		c2, err := f.svc.Open(ctx, f.who["ann"], governance.Draft{Kind: governance.KindContribute, Subject: "https://gitlab.com/x/y"})
		if err != nil || c2.State != governance.StateReview {
			t.Fatalf("no fast path: %+v, %v", c2, err)
		}
		if r, err := f.svc.Act(ctx, f.who["olga"], c2.ID, governance.Step{Action: governance.ActReject, Text: "confidential code"}); err != nil || r.State != governance.StateRejected {
			t.Fatalf("reject: %v", err)
		}
		if r, err := f.svc.Act(ctx, f.who["ann"], c2.ID, governance.Step{Action: governance.ActReopen, Text: "reworked"}); err != nil || r.State != governance.StateReview {
			t.Fatalf("reopen: %v", err)
		}

		// Exception: an accepted vulnerability becomes an ignore rule.
		e, err := f.svc.Open(ctx, f.who["ann"], governance.Draft{Kind: governance.KindException, Subject: f.key,
			Details: governance.Details{Exception: governance.ExceptionVulnerability, Advisory: "GHSA-xxxx-yyyy-zzzz", Package: "lodash", Reason: "not reachable"},
			Expires: t0.AddDate(0, 3, 0)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Act(ctx, f.who["oscar"], e.ID, governance.Step{Action: governance.ActApprove}); err != nil {
			t.Fatal(err)
		}
		ign, lic, err := Exceptions(ctx, st, t0)
		if err != nil || len(ign) != 1 || len(lic) != 0 || ign[0].ID != "GHSA-xxxx-yyyy-zzzz" || !strings.Contains(ign[0].Reason, "request #3") ||
			ign[0].ApprovedBy != "oscar@example.com" || !ign[0].Expires.Equal(t0.AddDate(0, 3, 0)) {
			t.Fatalf("Exceptions = %+v, %+v, %v", ign, lic, err)
		}
		if !slices.Equal(ign[0].Projects, []string{f.key}) {
			t.Errorf("the exception applies to %v, want the requesting project %s only", ign[0].Projects, f.key)
		}
		if ign, _, _ := Exceptions(ctx, st, t0.AddDate(1, 0, 0)); len(ign) != 0 {
			t.Errorf("an expired exception still suppresses")
		}
		// An estate-wide exception, asked for as such, names no project.
		ew, err := f.svc.Open(ctx, f.who["ann"], governance.Draft{Kind: governance.KindException, Subject: f.key,
			Details: governance.Details{Exception: governance.ExceptionDependency, Package: "pkg:npm/left-pad", Reason: "vetted", EstateWide: true},
			Expires: t0.AddDate(0, 1, 0)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Act(ctx, f.who["oscar"], ew.ID, governance.Step{Action: governance.ActApprove}); err != nil {
			t.Fatal(err)
		}
		if _, lic, err := Exceptions(ctx, st, t0); err != nil || len(lic) != 1 || lic[0].Projects != nil || lic[0].Package != "pkg:npm/left-pad" {
			t.Errorf("estate-wide licence exception %+v, %v", lic, err)
		}

		// Lifecycle: an admin approves their own request under the bypass, audited as such.
		if _, err := st.SaveExternalProject(ctx, governance.ExternalProject{Name: "old-lib", Lifecycle: governance.LifecycleActive, Owners: []string{"adam@example.com"}}, nil); err != nil {
			t.Fatal(err)
		}
		l, err := f.svc.Open(ctx, f.who["adam"], governance.Draft{Kind: governance.KindLifecycle, Subject: "old-lib", Details: governance.Details{Lifecycle: "deprecated"}})
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.svc.Act(ctx, f.who["adam"], l.ID, governance.Step{Action: governance.ActApprove})
		if err != nil || r.State != governance.StateApproved || !r.Approvals[0].Bypass {
			t.Fatalf("admin bypass: %+v, %v", r, err)
		}
		if got := actions(t, st, fmt.Sprint(l.ID)); !slices.Equal(got, []string{"request.open", "request.approve-bypass"}) {
			t.Errorf("bypass audit %v", got)
		}
		ep, _ := st.ExternalProject(ctx, "old-lib")
		if ep.Lifecycle != governance.LifecycleDeprecated {
			t.Errorf("estate lifecycle %s after an approved change", ep.Lifecycle)
		}
		// An unknown subject is bad input.
		if _, err := f.svc.Open(ctx, f.who["ann"], governance.Draft{Kind: governance.KindLifecycle, Subject: "nope", Details: governance.Details{Lifecycle: "archived"}}); !errors.Is(err, catalog.ErrInvalid) {
			t.Errorf("unknown estate project: %v", err)
		}
		if _, err := f.svc.Act(ctx, f.who["olga"], e.ID, governance.Step{Action: governance.ActInvalidate}); !errors.Is(err, catalog.ErrInvalid) {
			t.Errorf("a person invalidated: %v", err)
		}
		if _, err := f.svc.Who(ctx, "nobody@example.com", "cli", ""); !errors.Is(err, catalog.ErrUnauthenticated) {
			t.Errorf("unknown account: %v", err)
		}
	})
}

func TestHeaderItem(t *testing.T) {
	base := governance.Item{ID: governance.ItemLicenseHeaders}
	for _, tc := range []struct {
		name     string
		lic      *catalog.ProjectLicense
		th       Thresholds
		status   governance.Status
		evidence []string
	}{
		{"not analysed", nil, Thresholds{}, governance.NotChecked, nil},
		{"no source files", &catalog.ProjectLicense{}, Thresholds{}, governance.Pass, []string{"no source files"}},
		{"every file", &catalog.ProjectLicense{Headers: &catalog.HeaderCoverage{Files: 3, WithNotice: 3}}, Thresholds{}, governance.Pass,
			[]string{"3 source files read, each with a notice"}},
		{"some missing: a warning", &catalog.ProjectLicense{Headers: &catalog.HeaderCoverage{Files: 3, WithNotice: 1, Missing: []string{"a.go", "b/c.py"}}},
			Thresholds{}, governance.Warn, []string{"2 of 3 source files have no licence notice in their head (SPDX-License-Identifier: or the licence's notice):", "a.go", "b/c.py"}},
		{"some missing, headers required", &catalog.ProjectLicense{Headers: &catalog.HeaderCoverage{Files: 3, WithNotice: 2, Missing: []string{"a.go"}, Truncated: true}},
			Thresholds{HeadersRequired: true}, governance.Fail,
			[]string{"1 of 3 source files have no licence notice in their head (SPDX-License-Identifier: or the licence's notice):", "a.go", "only the first source files were read"}},
	} {
		got := headerItem(base, tc.lic, tc.th)
		if got.Status != tc.status || !slices.Equal(got.Evidence, tc.evidence) {
			t.Errorf("%s: %s %v, want %s %v", tc.name, got.Status, got.Evidence, tc.status, tc.evidence)
		}
	}
}

// The registry-names item asks each registry about the names the root
// manifests give the project at the pinned commit.
func TestRegistryNames(t *testing.T) {
	dir := makeRepo(t)
	write(t, dir, "package.json", `{"name": "npm", "version": "1.0.0"}`)
	write(t, dir, "go.mod", "module github.com/acme/ledger\n\ngo 1.22\n")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-qm", "manifests")
	var asked []string
	var mu sync.Mutex
	reg := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path)
		mu.Unlock()
		if r.URL.Path == "/npm/npm" {
			w.Write([]byte(`{"name":"npm"}`))
			return
		}
		http.NotFound(w, r)
	}))
	defer reg.Close()
	an, err := analyze.New(analyze.Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	head := strings.TrimSpace(gitOut(t, dir, "rev-parse", "HEAD"))
	proj := &catalog.Project{Key: "ledger", Path: dir, HeadCommit: head}
	for _, tc := range []struct {
		name   string
		names  *namecheck.Checker
		status governance.Status
		ev     []string
	}{
		{"offline", nil, governance.NotChecked, nil},
		{"online", &namecheck.Checker{Endpoints: namecheck.Endpoints{NPM: reg.URL + "/npm", GoProxy: reg.URL + "/go"}}, governance.Fail,
			[]string{"npm npm (package.json): taken, " + reg.URL + "/npm/npm", "Go github.com/acme/ledger (go.mod): free"}},
		{"npm not configured", &namecheck.Checker{Endpoints: namecheck.Endpoints{GoProxy: reg.URL + "/go"}}, governance.NotChecked,
			[]string{"npm npm (package.json): not checked, the npm registry is not configured", "Go github.com/acme/ledger (go.mod): free"}},
	} {
		svc := New(Options{Analyzer: an, Names: tc.names})
		items, _, err := svc.Evaluate(context.Background(), proj)
		if err != nil {
			t.Fatal(err)
		}
		var it governance.Item
		for _, i := range items {
			if i.ID == governance.ItemRegistryNames {
				it = i
			}
		}
		if it.Status != tc.status || !slices.Equal(it.Evidence, tc.ev) || it.Commit != head {
			t.Errorf("%s: %s %q at %s, want %s %q", tc.name, it.Status, it.Evidence, it.Commit, tc.status, tc.ev)
		}
	}
	if !slices.Contains(asked, "/go/github.com/acme/ledger/@v/list") {
		t.Errorf("registries asked %v", asked)
	}
}

// TestTick: the periodic work on both stores. A moved HEAD whose evidence
// changed sends the request back to review once; an estate project whose
// review date passed reminds its owners once per RemindEvery, however
// often Tick runs.
func TestTick(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		f := setup(t, st, nil)
		r, err := f.svc.Open(ctx, f.who["ann"], governance.Draft{Kind: governance.KindOpenSource, Subject: f.key})
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"olga", "oscar"} {
			if _, err := f.svc.Act(ctx, f.who[who], r.ID, governance.Step{Action: governance.ActApprove}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.SaveExternal(ctx, f.who["olga"], governance.ExternalProject{Name: "ledger-sdk", Relation: governance.RelationPublic,
			Lifecycle: governance.LifecycleActive, Owners: []string{"olga@example.com"}, ReviewDue: t0.AddDate(0, 0, -1)}); err != nil {
			t.Fatal(err)
		}
		write(t, f.dir, "SECURITY.md", "Report to security@example.com\n")
		git(t, f.dir, "add", ".")
		git(t, f.dir, "commit", "-qm", "security policy")
		f.rescan(t)

		type step struct {
			after    time.Duration
			returned []int64
			reminded int
			held     int
		}
		reviewDue := func() int { return f.hooks.to("olga@example.com", notify.TopicReviewDue) }
		for i, s := range []step{
			{0, []int64{r.ID}, 1, 0},
			{time.Hour, nil, 0, 1},                    // nothing moved, reminded an hour ago
			{6 * 24 * time.Hour, nil, 0, 1},           // still within the week
			{7*24*time.Hour + time.Minute, nil, 1, 0}, // a week on: told again
		} {
			f.now = t0.Add(s.after)
			rep, err := f.svc.Tick(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rep.Returned, s.returned) || rep.Reminded != s.reminded || rep.Held != s.held {
				t.Errorf("tick %d: %+v, want returned %v reminded %d held %d", i, rep, s.returned, s.reminded, s.held)
			}
		}
		if n := reviewDue(); n != 2 {
			t.Errorf("review-due messages to the owner = %d, want 2", n)
		}
		es, err := st.ListAudit(ctx, store.AuditFilter{Action: "estate.remind"})
		if err != nil || len(es) != 2 || es[0].Object != "external:ledger-sdk" || es[0].After != string(governance.AlertReviewDue) {
			t.Errorf("estate.remind audit entries %+v, %v", es, err)
		}
		if got, _ := st.Request(ctx, r.ID); got.State != governance.StateReview {
			t.Errorf("request after the ticks: %s, want review", got.State)
		}
	})
}
