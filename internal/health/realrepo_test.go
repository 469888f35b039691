package health

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/extract/gitlog"
)

// realRepo returns a real repository to compare against: $OSPO_HEALTH_REPO,
// else the spf13/cobra mirror of this machine. The test skips, saying so,
// when neither exists (CI has no network to fetch one).
func realRepo(t *testing.T) string {
	for _, dir := range []string{os.Getenv("OSPO_HEALTH_REPO"), "/work/.mirror/spf13+cobra/repo"} {
		if dir == "" {
			continue
		}
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
	}
	t.Skip("no real repository to compare with: set OSPO_HEALTH_REPO to a git repository (a clone of spf13/cobra, say)")
	return ""
}

// TestAgainstGitLog computes the weekly series and the factors of a real
// history through the scanner's pipeline (gitlog.Mine, then Compute) and
// independently from `git log` and `git shortlog` output, and compares them.
func TestAgainstGitLog(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a whole real history")
	}
	dir := realRepo(t)
	res, err := gitlog.Mine(context.Background(), dir, gitlog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The independent side: one line per commit, the author's e-mail
	// (.mailmap applied by %aE) and author date.
	out, err := exec.Command("git", "-C", dir, "log", "--format=%aE%x09%at", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	weekly := map[int64]map[string]int{} // week -> e-mail -> commits
	first := map[string]int64{}
	var newest int64
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		email, at, _ := strings.Cut(sc.Text(), "\t")
		sec, err := strconv.ParseInt(at, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		email = strings.ToLower(email)
		wk := catalog.WeekOf(time.Unix(sec, 0)).Unix()
		if weekly[wk] == nil {
			weekly[wk] = map[string]int{}
		}
		weekly[wk][email]++
		if f, ok := first[email]; !ok || wk < f {
			first[email] = wk
		}
		newest = max(newest, sec)
	}
	var oldest int64 = 1 << 62
	for _, f := range first {
		oldest = min(oldest, f)
	}
	now := time.Unix(newest, 0).UTC()
	weeks := int(catalog.WeekOf(now).Sub(time.Unix(oldest, 0).UTC())/week) + 1
	r := Compute(Input{Contributions: res.Contributions}, Options{Weeks: weeks, Now: now})

	var commits int
	for _, w := range r.Weeks {
		byEmail := weekly[w.Week.Unix()]
		want := Week{Week: w.Week, Releases: w.Releases, Inactive: w.Inactive}
		for e, n := range byEmail {
			want.Commits += n
			want.Contributors++
			if first[e] == w.Week.Unix() {
				want.New++
			} else {
				want.Returning++
			}
		}
		if w != want {
			t.Errorf("week %s: pipeline %+v, git log %+v", w.Week.Format("2006-01-02"), w, want)
		}
		commits += w.Commits
	}
	if commits == 0 || commits != res.Commits {
		t.Errorf("the series counts %d commits, the history has %d", commits, res.Commits)
	}

	// Contributor absence factor and elephant factor from `git shortlog -sne`.
	sl, err := exec.Command("git", "-C", dir, "shortlog", "-sne", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	perEmail, perOrg := map[string]int{}, map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(sl)), "\n") {
		n, rest, _ := strings.Cut(strings.TrimSpace(line), "\t")
		c, _ := strconv.Atoi(n)
		email := strings.ToLower(rest[strings.LastIndex(rest, "<")+1 : strings.LastIndex(rest, ">")])
		perEmail[email] += c
		perOrg[OrganisationOf(email, nil)] += c
	}
	for id, counts := range map[string]map[string]int{MetricAbsenceFactor: perEmail, MetricElephantFactor: perOrg} {
		m, _ := r.Metric(id)
		if want := naiveHalf(counts); int(m.Value) != want || want == 0 {
			t.Errorf("%s = %v, git shortlog gives %d", id, m.Value, want)
		}
	}
	t.Logf("%s: %d commits over %d weeks, %d contributors, absence factor %v, elephant factor %v",
		dir, commits, weeks, len(perEmail), value(r, MetricAbsenceFactor), value(r, MetricElephantFactor))
}

// naiveHalf is the smallest number of the biggest counts holding half of
// the total, computed apart from halfFactor.
func naiveHalf(counts map[string]int) int {
	var vs []int
	total := 0
	for _, v := range counts {
		vs = append(vs, v)
		total += v
	}
	sort.Ints(vs)
	sum, k := 0, 0
	for i := len(vs) - 1; i >= 0 && sum*2 < total; i-- {
		sum += vs[i]
		k++
	}
	return k
}

func value(r Report, id string) float64 { m, _ := r.Metric(id); return m.Value }
