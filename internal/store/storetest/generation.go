package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// testGeneration checks that every kind of write advances the generation
// and that reads leave it alone.
func testGeneration(t *testing.T, s store.Store) {
	ctx := context.Background()
	gen := func() int64 {
		t.Helper()
		n, err := s.Generation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	last := gen()
	p := project("github.com/org/gen", "gen", 1)
	var id int64
	var runID int64
	writes := []struct {
		name  string
		write func() error
	}{
		{"ReplaceProject", func() (err error) { id, err = s.ReplaceProject(ctx, p); return err }},
		{"ReplaceProject again", func() error { _, err := s.ReplaceProject(ctx, p); return err }},
		{"TouchProject", func() error { return s.TouchProject(ctx, p.Key, t0.Add(time.Hour)) }},
		{"TouchProjects", func() error { _, err := s.TouchProjects(ctx, []string{p.Key}, t0.Add(2*time.Hour)); return err }},
		{"ReplacePeople", func() error {
			return s.ReplacePeople(ctx, []catalog.Person{{ID: "ann", Name: "Ann", Email: "ann@example.com"}})
		}},
		{"StartScan", func() (err error) { runID, err = s.StartScan(ctx, catalog.ScanRun{StartedAt: t0}); return err }},
		{"FinishScan", func() error { return s.FinishScan(ctx, catalog.ScanRun{ID: runID, StartedAt: t0, FinishedAt: t0}) }},
		{"UpsertAdvisories", func() error {
			_, err := s.UpsertAdvisories(ctx, []catalog.Advisory{advisory("GHSA-gen", t0, "npm/lodash")})
			return err
		}},
		{"AddScore", func() error {
			return s.AddScore(ctx, catalog.Scorecard{ProjectID: id, ScoredAt: t0, Score: 5, Availability: 1})
		}},
		{"DeleteProject", func() error { return s.DeleteProject(ctx, p.Key) }},
	}
	for _, w := range writes {
		if err := w.write(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		now := gen()
		if now == last {
			t.Errorf("%s did not advance the generation (still %d)", w.name, now)
		}
		last = now
	}
	// Reads do not.
	if _, err := s.ListProjects(ctx, store.ProjectFilter{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ListPeople(ctx, store.PersonFilter{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LatestScores(ctx); err != nil {
		t.Fatal(err)
	}
	if now := gen(); now != last {
		t.Errorf("reads advanced the generation from %d to %d", last, now)
	}
	// Nor do sign-ins, sessions, tokens and the audit log: the hub must not
	// rebuild its estate snapshot because someone signed in.
	a, err := s.CreateAccount(ctx, catalog.Account{Email: "gen@example.com", Role: catalog.RoleViewer},
		&catalog.AuditEntry{At: t0, Actor: "root", Action: "account.create"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, catalog.Session{IDHash: "gen", AccountID: a.ID, CreatedAt: t0, LastSeen: t0, ExpiresAt: t0.Add(time.Hour)}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.TouchSession(ctx, "gen", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendAudit(ctx, catalog.AuditEntry{At: t0, Actor: "root", Action: "test.append"}); err != nil {
		t.Fatal(err)
	}
	if now := gen(); now != last {
		t.Errorf("account writes advanced the generation from %d to %d", last, now)
	}
}
