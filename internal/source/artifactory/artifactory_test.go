package artifactory_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/source/artifactory"
	"github.com/ospo-project/ospo/internal/source/artifactory/artifactorytest"
	"github.com/ospo-project/ospo/internal/sourcesync"
	"github.com/ospo-project/ospo/internal/store"
	"github.com/ospo-project/ospo/internal/store/teststore"
)

const token = "cmVmdGtuOjAxOjE3MzQ1Njc4OTA6c2VjcmV0LXRva2Vu"

var syncedAt = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

func newSource(t *testing.T, srv *artifactorytest.Server, pageSize int) *artifactory.Source {
	t.Helper()
	src, err := artifactory.New("rt", artifactory.Options{URL: srv.URLBase(), Token: token, PageSize: pageSize,
		Builds: map[string]string{"go-build": "github.com/jfrog/build-info-go"}})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func run(t *testing.T, st store.Store, src *artifactory.Source) sourcesync.Result {
	t.Helper()
	res, err := sourcesync.Run(context.Background(), st, []sourcesync.Job{{Name: "rt", Kind: catalog.SourceArtifactory,
		Source: src, Secrets: []string{token}}}, func() time.Time { return syncedAt })
	if err != nil {
		t.Fatal(err)
	}
	return res[0]
}

// TestSync reads the fake instance into both stores: the remote cache's
// package versions with their downloads, the documentation's sample file
// (no package) skipped, each build's run with its dependencies and
// published modules; a resync of an unchanged instance reads nothing
// again; a new download is read alone.
func TestSync(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		srv := artifactorytest.New(t)
		srv.Token = token
		src := newSource(t, srv, 0)
		res := run(t, st, src)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		// Repositories, one AQL search per local or remote repository, the
		// build list, and per build its runs and the run's build-info.
		if res.State.Requests != 1+2+1+2*2 {
			t.Errorf("first sync: %d requests, want 8", res.State.Requests)
		}
		if want := "3 files read (2 package versions, 1 not packages), 2 build runs"; res.Outcome.Summary != want {
			t.Errorf("summary %q, want %q", res.Outcome.Summary, want)
		}
		const struts = "pkg:maven/org.apache.struts/struts2-core"
		arts, err := st.Artifacts(ctx, catalog.ArtifactQuery{PURL: struts})
		if err != nil {
			t.Fatal(err)
		}
		want := catalog.Artifact{Source: "rt", Repo: "jcenter", Remote: true, Ecosystem: "Maven",
			Path: "org/apache/struts/struts2-core/2.3.14/struts2-core-2.3.14.pom", Package: "org.apache.struts:struts2-core",
			Version: "2.3.14", PURL: struts, Size: 12241, Created: time.Date(2019, 4, 22, 22, 25, 35, 107e6, time.UTC),
			Downloads: 27, LastDownloaded: time.Date(2019, 10, 4, 16, 40, 43, 191e6, time.UTC), LastDownloadedBy: "anonymous"}
		if len(arts) != 1 || arts[0] != want {
			t.Errorf("struts2-core artifacts:\n got %+v\nwant %+v", arts, want)
		}
		pkgs, _ := st.ArtifactPackages(ctx, 0)
		if len(pkgs) != 2 {
			t.Errorf("packages: %+v", pkgs)
		}

		// The Go build: linked by configuration, its dependencies with the
		// module proxy's escaping undone, its module published.
		uses, err := st.BuildUses(ctx, catalog.BuildUseQuery{ProjectKey: "github.com/jfrog/build-info-go"})
		if err != nil {
			t.Fatal(err)
		}
		var goDeps, published []string
		for _, u := range uses {
			if u.Build != "go-build" || u.Number != "1" || !u.Started.Equal(time.Date(2025, 12, 23, 17, 27, 53, 724e6, time.UTC)) {
				t.Errorf("use of the wrong run: %+v", u)
			}
			if u.Published {
				published = append(published, u.PURL)
			} else {
				goDeps = append(goDeps, u.Package+"@"+u.Version)
			}
		}
		if !slices.Equal(published, []string{"pkg:golang/github.com/jfrog/build-info-go"}) {
			t.Errorf("published by go-build: %v", published)
		}
		if !slices.Contains(goDeps, "github.com/BurntSushi/toml@v1.5.0") {
			t.Errorf("go-build dependencies lack github.com/BurntSushi/toml (unescaped): %v", goDeps)
		}
		// The Maven build: no VCS and no configuration, so no project; its
		// dependencies found by package.
		spring, _ := st.BuildUses(ctx, catalog.BuildUseQuery{PURL: "pkg:maven/org.springframework/spring-core"})
		if len(spring) != 1 || spring[0].Build != "maven-build" || spring[0].Version != "2.5.6" || spring[0].ProjectKey != "" {
			t.Errorf("uses of spring-core: %+v", spring)
		}
		multi, _ := st.BuildUses(ctx, catalog.BuildUseQuery{PURL: "pkg:maven/org.jfrog.test/multi1"})
		var pub int
		for _, u := range multi {
			if u.Published {
				pub++
			}
		}
		if pub != 1 || len(multi) != 2 { // published by its module, used by multi3
			t.Errorf("uses of multi1: %+v", multi)
		}

		// Unchanged: the repository list, two searches, the build list; no
		// run is read again, and of the files only the documentation's
		// sample, whose dates are malformed ("2015-01-01T10:10;10") so that
		// no "since" can be kept for its repository.
		res = run(t, st, src)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if res.State.Requests != 4 || res.Outcome.Summary != "1 files read (0 package versions, 1 not packages), 0 build runs" {
			t.Errorf("unchanged resync: %d requests, %q", res.State.Requests, res.Outcome.Summary)
		}

		// A download is seen by the next sync, alone.
		srv.Download("jcenter-cache", "struts2-core-2.3.14.pom", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
		res = run(t, st, src)
		if res.Err != nil || !strings.HasPrefix(res.Outcome.Summary, "2 files read (1 package versions") {
			t.Fatalf("resync after a download: %v %q", res.Err, res.Outcome.Summary)
		}
		arts, _ = st.Artifacts(ctx, catalog.ArtifactQuery{PURL: struts})
		if len(arts) != 1 || arts[0].Downloads != 28 || arts[0].LastDownloadedBy != "ci-bot" {
			t.Errorf("after a download: %+v", arts)
		}
	})
}

// TestSyncPaged reads the remote cache one file per request and stores
// the same as one page.
func TestSyncPaged(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		srv := artifactorytest.New(t)
		srv.Token = token
		res := run(t, st, newSource(t, srv, 1))
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		// libs-release-local: 1 row then an empty page; jcenter: 2 rows then
		// an empty page.
		if res.State.Requests != 1+2+3+1+2*2 {
			t.Errorf("paged sync: %d requests, want 11", res.State.Requests)
		}
		pkgs, _ := st.ArtifactPackages(context.Background(), 0)
		if len(pkgs) != 2 {
			t.Errorf("packages: %+v", pkgs)
		}
	})
}

// TestSyncFailures: a search failing mid-sync, malformed JSON and bad
// credentials mark the sync failed with the reason, keep the facts of the
// last good sync and the cursor, and never show the token.
func TestSyncFailures(t *testing.T) {
	teststore.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		srv := artifactorytest.New(t)
		srv.Token = token
		src := newSource(t, srv, 0)
		if res := run(t, st, src); res.Err != nil {
			t.Fatal(res.Err)
		}
		good, _ := st.SourceState(ctx, "rt")
		srv.Download("jcenter-cache", "struts-master-9.pom", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
		for name, breakIt := range map[string]func(on bool){
			"500 on search": func(on bool) {
				status := 0
				if on {
					status = http.StatusInternalServerError
				}
				srv.Fail("/api/search/aql", status)
			},
			"malformed build list": func(on bool) { srv.Garbage("/api/build", on) },
			"bad credentials": func(on bool) {
				if on {
					srv.Token = "other"
				} else {
					srv.Token = token
				}
			},
		} {
			breakIt(true)
			res := run(t, st, src)
			breakIt(false)
			if res.Err == nil {
				t.Errorf("%s: sync succeeded", name)
				continue
			}
			if strings.Contains(res.Err.Error(), token) || strings.Contains(res.State.LastError, token) {
				t.Errorf("%s: the token shows in %q", name, res.Err)
			}
			st2, _ := st.SourceState(ctx, "rt")
			if st2.Cursor["items:jcenter"] != good.Cursor["items:jcenter"] {
				t.Errorf("%s: cursor moved to %q", name, st2.Cursor["items:jcenter"])
			}
			if arts, _ := st.Artifacts(ctx, catalog.ArtifactQuery{}); len(arts) != 2 {
				t.Errorf("%s: %d artifacts kept, want 2", name, len(arts))
			}
		}
		if res := run(t, st, src); res.Err != nil {
			t.Fatalf("healed: %v", res.Err)
		}
		arts, _ := st.Artifacts(ctx, catalog.ArtifactQuery{PURL: "pkg:maven/org.apache.struts/struts-master"})
		if len(arts) != 1 || arts[0].Downloads != 28 {
			t.Errorf("after healing: %+v", arts)
		}
	})
}

// TestNew refuses URLs that are not http(s) or carry credentials.
func TestNew(t *testing.T) {
	for _, u := range []string{"", "ftp://rt.example.com", "https://user:pw@rt.example.com/artifactory", "rt.example.com"} {
		if _, err := artifactory.New("rt", artifactory.Options{URL: u}); err == nil {
			t.Errorf("New(%q) succeeded", u)
		}
	}
}
