package health

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestWeeklyDigest(t *testing.T) {
	mon := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
	wk := func(i, commits, contributors, newc, inactive, releases int) Week {
		return Week{Week: mon.AddDate(0, 0, 7*i), Commits: commits, Contributors: contributors, New: newc,
			Returning: contributors - newc, Inactive: inactive, Releases: releases}
	}
	r := Report{Weeks: []Week{wk(0, 9, 9, 9, 9, 9), wk(1, 7, 3, 0, 2, 1), wk(2, 12, 4, 1, 2, 0), wk(3, 1, 1, 0, 2, 0)}}
	d := WeeklyDigest("@acme/payments", r)
	want := "Health of @acme/payments, week of 2026-11-30 against the week of 2026-11-23:\n" +
		"- commits: 12, was 7 (+5)\n" +
		"- contributors: 4, was 3 (+1)\n" +
		"- new contributors: 1, was 0 (+1)\n" +
		"- returning contributors: 3, was 3\n" +
		"- inactive contributors (13 weeks without a commit): 2, was 2\n" +
		"- releases: 0, was 1 (-1)\n"
	if diff := cmp.Diff(want, d.Text()); diff != "" || !d.Moved {
		t.Errorf("digest (-want +got):\n%s", diff)
	}
	still := WeeklyDigest("x", Report{Weeks: []Week{wk(0, 2, 1, 0, 0, 0), wk(1, 2, 1, 0, 0, 0), wk(2, 5, 2, 0, 0, 0)}})
	if still.Moved || !contains(still.Text(), "Nothing moved.") {
		t.Errorf("a still week: %+v\n%s", still, still.Text())
	}
	if short := WeeklyDigest("y", Report{Weeks: []Week{wk(0, 1, 1, 1, 0, 0)}}); short.Moved || len(short.Changes) != 0 || !contains(short.Text(), "Not enough history") {
		t.Errorf("two weeks of history: %+v", short)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
