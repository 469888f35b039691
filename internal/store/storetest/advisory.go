package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// advisoryTests cover store.AdvisoryStore.
var advisoryTests = []namedTest{
	{"Advisories/RoundTrip", testAdvisoryRoundTrip},
	{"Advisories/Incremental", testAdvisoryIncremental},
	{"Advisories/Invalid", testAdvisoryInvalid},
	{"Advisories/AtomicOnCancel", testAdvisoryAtomic},
	{"Advisories/InUseAndUsages", testAdvisoryInUse},
}

// advisory returns an advisory affecting packages given as "Ecosystem/name".
func advisory(id string, modified time.Time, pkgs ...string) catalog.Advisory {
	a := catalog.Advisory{
		ID:        id,
		Aliases:   []string{"CVE-" + strings.TrimPrefix(id, "GHSA-")},
		Related:   []string{"OSV-REL-" + id},
		Summary:   "Summary of " + id + " \x00 with a NUL",
		Modified:  modified,
		Published: modified.Add(-time.Hour),
		Severity:  catalog.Severity{Rating: "HIGH", Score: 7.5, Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"},
	}
	if modified.IsZero() {
		a.Published = time.Time{}
	}
	for _, p := range pkgs {
		eco, name, _ := strings.Cut(p, "/")
		a.Packages = append(a.Packages, catalog.PackageRef{Ecosystem: eco, Name: name})
	}
	a.Raw = []byte(fmt.Sprintf(`{"id":%q,"modified":%q}`, id, modified.Format(time.RFC3339Nano)))
	return a
}

// advOpts compare advisories read back: the NUL is cleaned.
var advOpts = cmp.Options{cmpopts.EquateEmpty(), cmp.Transformer("clean", func(s string) string {
	return strings.ReplaceAll(s, "\x00", "\uFFFD")
})}

func upsert(t *testing.T, s store.Store, advs ...catalog.Advisory) catalog.AdvisoryImport {
	t.Helper()
	res, err := s.UpsertAdvisories(context.Background(), advs)
	if err != nil {
		t.Fatalf("UpsertAdvisories: %v", err)
	}
	return res
}

func advIDs(advs []catalog.Advisory) []string {
	var ids []string
	for _, a := range advs {
		ids = append(ids, a.ID)
	}
	return ids
}

func testAdvisoryRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := advisory("GHSA-aaaa", t0, "PyPI/Django_Rest.Framework", "npm/lodash")
	b := advisory("GHSA-bbbb", t0.Add(time.Hour), "Maven/org.apache.logging.log4j:log4j-core")
	c := advisory("GO-2024-0001", time.Time{}, "Go/github.com/Org/Mod")
	if got := upsert(t, s, a, b, c); got != (catalog.AdvisoryImport{Added: 3}) {
		t.Errorf("import = %+v", got)
	}
	got, err := s.Advisory(ctx, "cve-aaaa")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, *got, advOpts); diff != "" {
		t.Errorf("Advisory by alias (-want +got)\n%s", diff)
	}
	got, err = s.Advisory(ctx, "GO-2024-0001")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, *got, advOpts); diff != "" {
		t.Errorf("Advisory without times (-want +got)\n%s", diff)
	}
	if _, err := s.Advisory(ctx, "CVE-none"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Advisory(unknown) err = %v, want ErrNotFound", err)
	}
	// Names are compared as each ecosystem does.
	found, err := s.AdvisoriesFor(ctx, []catalog.PackageRef{
		{Ecosystem: "pypi", Name: "django-rest-framework"},
		{Ecosystem: "Go", Name: "github.com/org/mod"},
		{Ecosystem: "npm", Name: "log4j-core"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"GHSA-aaaa", "GO-2024-0001"}, advIDs(found)); diff != "" {
		t.Errorf("AdvisoriesFor (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]catalog.Advisory{a, c}, found, advOpts); diff != "" {
		t.Errorf("AdvisoriesFor values (-want +got)\n%s", diff)
	}
	st, err := s.AdvisoryStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Total != 3 || !st.Newest.Equal(b.Modified) || st.ImportedAt.IsZero() || len(st.Ecosystems) != 4 {
		t.Errorf("status %+v", st)
	}
}

func testAdvisoryIncremental(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := advisory("GHSA-aaaa", t0, "npm/lodash")
	b := advisory("GHSA-bbbb", t0, "npm/left-pad")
	g := advisory("GO-1", time.Time{}, "Go/example.com/m")
	upsert(t, s, a, b, g)
	if got := upsert(t, s, a, b, g); got != (catalog.AdvisoryImport{Unchanged: 3}) {
		t.Errorf("re-import = %+v, want all unchanged", got)
	}
	older := advisory("GHSA-aaaa", t0.Add(-time.Hour), "npm/other")
	newer := advisory("GHSA-bbbb", t0.Add(time.Hour), "npm/right-pad")
	g2 := advisory("GO-1", time.Time{}, "Go/example.com/m2")
	g2.Raw = []byte(`{"id":"GO-1","changed":true}`)
	withdrawn := advisory("GHSA-aaaa", t0.Add(2*time.Hour))
	withdrawn.Withdrawn = t0.Add(2 * time.Hour)
	if got := upsert(t, s, older, newer, g2); got != (catalog.AdvisoryImport{Updated: 2, Unchanged: 1}) {
		t.Errorf("import = %+v", got)
	}
	found, err := s.AdvisoriesFor(ctx, []catalog.PackageRef{{Ecosystem: "npm", Name: "right-pad"}, {Ecosystem: "npm", Name: "left-pad"},
		{Ecosystem: "npm", Name: "lodash"}, {Ecosystem: "npm", Name: "other"}, {Ecosystem: "Go", Name: "example.com/m2"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]catalog.Advisory{a, newer, g2}, found, advOpts); diff != "" {
		t.Errorf("after update (-want +got)\n%s", diff)
	}
	if got := upsert(t, s, withdrawn); got != (catalog.AdvisoryImport{Withdrawn: 1}) {
		t.Errorf("withdraw = %+v", got)
	}
	if _, err := s.Advisory(ctx, "GHSA-aaaa"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("withdrawn advisory still there: %v", err)
	}
}

func testAdvisoryInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	upsert(t, s, advisory("GHSA-old", t0, "npm/a"))
	bad := advisory("", t0, "npm/b")
	_, err := s.UpsertAdvisories(ctx, []catalog.Advisory{advisory("GHSA-new", t0, "npm/c"), bad})
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	if _, err := s.Advisory(ctx, "GHSA-new"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a failed import stored part of its batch: %v", err)
	}
}

// testAdvisoryAtomic interrupts an import at every few steps: the store
// holds the old advisories or the new ones, never a mix.
func testAdvisoryAtomic(t *testing.T, s store.Store) {
	ctx := context.Background()
	var old, neu []catalog.Advisory
	for i := 0; i < 150; i++ {
		old = append(old, advisory(fmt.Sprintf("GHSA-%04d", i), t0, fmt.Sprintf("npm/p%d", i)))
		neu = append(neu, advisory(fmt.Sprintf("GHSA-%04d", i), t0.Add(time.Hour), fmt.Sprintf("npm/q%d", i)))
	}
	upsert(t, s, old...)
	var pkgs []catalog.PackageRef
	for i := 0; i < 150; i++ {
		pkgs = append(pkgs, catalog.PackageRef{Ecosystem: "npm", Name: fmt.Sprintf("p%d", i)}, catalog.PackageRef{Ecosystem: "npm", Name: fmt.Sprintf("q%d", i)})
	}
	for n := int64(1); ; n += 1 + n/3 {
		if n > 5000 {
			t.Fatal("UpsertAdvisories never succeeded")
		}
		_, err := s.UpsertAdvisories(newDoneAfter(n), neu)
		got, rerr := s.AdvisoriesFor(ctx, pkgs)
		if rerr != nil {
			t.Fatal(rerr)
		}
		isOld := cmp.Equal(old, got, advOpts)
		isNew := cmp.Equal(neu, got, advOpts)
		if !isOld && !isNew {
			t.Fatalf("import stopped at step %d (err %v) left a mix: %d advisories", n, err, len(got))
		}
		if err == nil {
			if !isNew {
				t.Fatal("import succeeded but the old advisories remain")
			}
			return
		}
	}
}

func testAdvisoryInUse(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := project("github.com/org/alpha", "alpha", 1)
	p.Dependencies = []catalog.Dependency{
		{PURL: "pkg:npm/lodash@4.17.15", Ecosystem: "npm", Name: "lodash", Version: "4.17.15", Direct: true, Manifest: "package-lock.json"},
		{PURL: "pkg:pypi/django-rest-framework@3.0", Ecosystem: "PyPI", Name: "Django_Rest_Framework", Version: "3.0", Manifest: "requirements.txt"},
	}
	id := replace(t, s, p)
	upsert(t, s, advisory("GHSA-lodash", t0, "npm/lodash"), advisory("GHSA-drf", t0, "PyPI/django.rest.framework"), advisory("GHSA-unused", t0, "npm/unused"))
	in, err := s.AdvisoriesInUse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"GHSA-drf", "GHSA-lodash"}, advIDs(in)); diff != "" {
		t.Errorf("AdvisoriesInUse (-want +got)\n%s", diff)
	}
	us, err := s.Usages(ctx, []catalog.PackageRef{{Ecosystem: "PyPI", Name: "django-rest-framework"}, {Ecosystem: "npm", Name: "LODASH"}, {Ecosystem: "npm", Name: "unused"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Usage{
		{ProjectID: id, Project: "alpha", ProjectKey: p.Key, Dependency: p.Dependencies[0]},
		{ProjectID: id, Project: "alpha", ProjectKey: p.Key, Dependency: p.Dependencies[1]},
	}
	if diff := cmp.Diff(want, us, opts); diff != "" {
		t.Errorf("Usages (-want +got)\n%s", diff)
	}
}
