package governance

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

var (
	ann   = Actor{Email: "ann@example.com", Role: catalog.RoleDeveloper}
	olga  = Actor{Email: "olga@example.com", Role: catalog.RoleOSPO}
	oscar = Actor{Email: "oscar@example.com", Role: catalog.RoleOSPO}
	adam  = Actor{Email: "adam@example.com", Role: catalog.RoleAdmin}
	tess  = Actor{Email: "tess@example.com", Role: catalog.RoleDeveloper, Teams: []string{"Legal"}}
)

func newReq(t *testing.T, by Actor, p Policy) *Request {
	t.Helper()
	r, err := New(Draft{Kind: KindContribute, Subject: "https://github.com/acme/lib", Requester: by.Email}, p, t0)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestApply(t *testing.T) {
	two := Policies{}.For(KindOpenSource)
	bypass := Policies{KindContribute: {AdminBypass: true}}.For(KindContribute)
	attest := Policies{KindContribute: {Attestations: []string{"cla-read"}, Teams: []string{"legal"}}}.For(KindContribute)
	one := Policies{}.For(KindContribute)
	tests := []struct {
		name      string
		requester Actor
		p         Policy
		steps     []Step
		wantErr   error // of the last step
		wantState State
		bypass    bool
	}{
		{"one approval approves", ann, one, []Step{{Action: ActApprove, By: olga}}, nil, StateApproved, false},
		{"two needed", ann, two, []Step{{Action: ActApprove, By: olga}}, nil, StateReview, false},
		{"two distinct approve", ann, two, []Step{{Action: ActApprove, By: olga}, {Action: ActApprove, By: oscar}}, nil, StateApproved, false},
		{"same reviewer twice", ann, two, []Step{{Action: ActApprove, By: olga}, {Action: ActApprove, By: Actor{Email: "OLGA@example.com", Role: catalog.RoleOSPO}}}, ErrAlreadyApproved, StateReview, false},
		{"requester cannot approve", olga, one, []Step{{Action: ActApprove, By: olga}}, ErrFourEyes, StateReview, false},
		{"requester cannot reject", olga, one, []Step{{Action: ActReject, By: olga, Text: "no"}}, ErrFourEyes, StateReview, false},
		{"admin without bypass", adam, one, []Step{{Action: ActApprove, By: adam}}, ErrFourEyes, StateReview, false},
		{"admin with bypass", adam, bypass, []Step{{Action: ActApprove, By: adam}}, nil, StateApproved, true},
		{"ospo never bypasses", olga, bypass, []Step{{Action: ActApprove, By: olga}}, ErrFourEyes, StateReview, false},
		{"developer is no reviewer", olga, one, []Step{{Action: ActApprove, By: ann}}, ErrNotReviewer, StateReview, false},
		{"team member reviews", ann, attest, []Step{{Action: ActApprove, By: tess, Attestations: []string{"cla-read"}}}, nil, StateApproved, false},
		{"attestation missing", ann, attest, []Step{{Action: ActApprove, By: olga}}, catalog.ErrInvalid, StateReview, false},
		{"reject needs reason", ann, one, []Step{{Action: ActReject, By: olga}}, catalog.ErrInvalid, StateReview, false},
		{"reject", ann, one, []Step{{Action: ActReject, By: olga, Text: "licence unclear"}}, nil, StateRejected, false},
		{"approve after reject", ann, one, []Step{{Action: ActReject, By: olga, Text: "x"}, {Action: ActApprove, By: oscar}}, ErrState, StateRejected, false},
		{"reopen then approve", ann, one, []Step{{Action: ActReject, By: olga, Text: "x"}, {Action: ActReopen, By: ann}, {Action: ActApprove, By: olga}}, nil, StateApproved, false},
		{"stranger cannot reopen", ann, one, []Step{{Action: ActReject, By: olga, Text: "x"}, {Action: ActReopen, By: tess}}, ErrNotReviewer, StateRejected, false},
		{"withdraw by requester", ann, one, []Step{{Action: ActWithdraw, By: ann, Text: "not needed"}}, nil, StateWithdrawn, false},
		{"withdraw by other", ann, one, []Step{{Action: ActWithdraw, By: olga}}, ErrNotRequester, StateReview, false},
		{"comment keeps state", ann, one, []Step{{Action: ActComment, By: tess, Text: "<script>alert(1)</script>"}}, nil, StateReview, false},
		{"empty comment", ann, one, []Step{{Action: ActComment, By: tess, Text: "  "}}, catalog.ErrInvalid, StateReview, false},
		{"invalidate approved", ann, one, []Step{{Action: ActApprove, By: olga}, {Action: ActInvalidate, By: Actor{Email: "ospo"}, Text: "licence changed"}}, nil, StateReview, false},
		{"invalidated round needs new approvals", ann, two, []Step{{Action: ActApprove, By: olga}, {Action: ActInvalidate, By: Actor{Email: "ospo"}}, {Action: ActApprove, By: oscar}}, nil, StateReview, false},
		{"unknown action", ann, one, []Step{{Action: "merge", By: olga}}, catalog.ErrInvalid, StateReview, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReq(t, tt.requester, tt.p)
			var err error
			var by bool
			for i, s := range tt.steps {
				s.At = t0.Add(time.Duration(i+1) * time.Minute)
				before := len(r.Events)
				by, err = Apply(r, tt.p, s)
				if err != nil && len(r.Events) != before {
					t.Fatalf("a refused step recorded an event")
				}
				if err != nil && i < len(tt.steps)-1 {
					t.Fatalf("step %d: %v", i, err)
				}
			}
			if (tt.wantErr == nil) != (err == nil) || (err != nil && !errors.Is(err, tt.wantErr)) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if r.State != tt.wantState || by != tt.bypass {
				t.Errorf("state %s bypass %v, want %s %v", r.State, by, tt.wantState, tt.bypass)
			}
		})
	}
}

// TestApplyRandomSequences applies random actions by random actors and
// checks the invariants after every step: an approved request has, in its
// current round, as many distinct approvals as the policy needs, none by its
// requester; a refused step changes nothing; events only grow; a rejected
// request's last decision event is a rejection with a reason.
func TestApplyRandomSequences(t *testing.T) {
	actors := []Actor{ann, olga, oscar, adam, tess, {Email: "ospo", Role: ""}}
	actions := []Action{ActApprove, ActReject, ActComment, ActReopen, ActWithdraw, ActInvalidate}
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 7))
		p := Policies{}.For(Kinds[rng.IntN(len(Kinds))])
		p.Approvals = 1 + rng.IntN(3)
		requester := actors[rng.IntN(4)]
		r := newReq(t, requester, p)
		for i := range 40 {
			s := Step{Action: actions[rng.IntN(len(actions))], By: actors[rng.IntN(len(actors))],
				At: t0.Add(time.Duration(i+1) * time.Minute)}
			if rng.IntN(3) > 0 {
				s.Text = "because"
			}
			before := *r
			nEvents := len(r.Events)
			_, err := Apply(r, p, s)
			if err != nil {
				if r.State != before.State || len(r.Events) != nEvents || len(r.Approvals) != len(before.Approvals) {
					t.Fatalf("seed %d step %d: refused %s changed the request", seed, i, s.Action)
				}
				continue
			}
			if len(r.Events) != nEvents+1 {
				t.Fatalf("seed %d step %d: %s recorded %d events", seed, i, s.Action, len(r.Events)-nEvents)
			}
			seen := map[string]bool{}
			for _, a := range r.Approvals {
				if seen[a.By] {
					t.Fatalf("seed %d: %s approved twice in one round", seed, a.By)
				}
				seen[a.By] = true
				if a.By == r.Requester {
					t.Fatalf("seed %d: the requester approved their own request", seed)
				}
			}
			if r.State == StateApproved && len(r.Approvals) < p.Approvals {
				t.Fatalf("seed %d step %d: approved with %d of %d approvals", seed, i, len(r.Approvals), p.Approvals)
			}
			if r.State == StateReview && len(r.Approvals) >= p.Approvals {
				t.Fatalf("seed %d step %d: enough approvals but still in review", seed, i)
			}
			if r.State == StateRejected && s.Action == ActReject && s.Text == "" {
				t.Fatalf("seed %d: rejected without a reason", seed)
			}
		}
	}
}

func TestNormalizeURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://GitHub.com/Acme/Lib.git": "github.com/acme/lib",
		"git@github.com:acme/lib.git":     "github.com/acme/lib",
		"github.com/acme/lib/":            "github.com/acme/lib",
		"ssh://git@gitlab.com/a/b":        "gitlab.com/a/b",
		"https://github.com/apache":       "github.com/apache",
	} {
		got, err := NormalizeURL(in)
		if err != nil || got != want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "   ", "https://"} {
		if _, err := NormalizeURL(bad); !errors.Is(err, catalog.ErrInvalid) {
			t.Errorf("NormalizeURL(%q) err = %v, want invalid", bad, err)
		}
	}
}

type listed []Request

func (l listed) ListRequests(_ context.Context, f RequestFilter) ([]Request, error) {
	var out []Request
	for _, r := range l {
		if (f.Kind == "" || r.Kind == f.Kind) && (f.State == "" || r.State == f.State) {
			out = append(out, r)
		}
	}
	return out, nil
}

func TestApprovedContribution(t *testing.T) {
	mk := func(id int64, subject, scope string, st State, expires time.Time) Request {
		return Request{ID: id, Kind: KindContribute, Subject: subject, State: st, Expires: expires, Details: Details{Scope: scope}}
	}
	l := listed{
		mk(1, "https://github.com/acme/lib", ScopeOneOff, StateApproved, time.Time{}),
		mk(2, "github.com/apache", ScopeStanding, StateApproved, t0.Add(24*time.Hour)),
		mk(3, "github.com/other/x", ScopeOneOff, StateReview, time.Time{}),
		mk(4, "github.com/cncf", ScopeOneOff, StateApproved, time.Time{}),
	}
	tests := []struct {
		url  string
		at   time.Time
		want int64
	}{
		{"git@github.com:acme/lib.git", t0, 1},
		{"https://github.com/acme/lib2", t0, 0},
		{"https://github.com/apache/kafka", t0, 2},
		{"https://github.com/apache/kafka", t0.Add(48 * time.Hour), 0}, // expired
		{"https://github.com/other/x", t0, 0},                          // not approved
		{"https://github.com/cncf/x", t0, 0},                           // one-off covers no children
	}
	for _, tt := range tests {
		r, err := ApprovedContribution(context.Background(), l, tt.url, tt.at)
		if err != nil {
			t.Fatal(err)
		}
		var got int64
		if r != nil {
			got = r.ID
		}
		if got != tt.want {
			t.Errorf("ApprovedContribution(%s, %s) = %d, want %d", tt.url, tt.at, got, tt.want)
		}
	}
}

func TestFastPath(t *testing.T) {
	p := Policies{KindOpenSource: {FastPath: &FastPath{Licenses: []string{"MIT", "Apache-2.0"}, NoCryptography: true, Answers: map[string]string{"telemetry": "no"}}}}.For(KindOpenSource)
	r, err := New(Draft{Kind: KindOpenSource, Subject: "acme/tool", Requester: "ann@example.com", Answers: map[string]string{"telemetry": "No"}}, p, t0)
	if err != nil {
		t.Fatal(err)
	}
	r.Checklist = append(r.Checklist, Item{ID: ItemLicense, Auto: true, Status: Pass, Value: "MIT"}, Item{ID: ItemCryptography, Auto: true, Status: Pass})
	if !FastPathHolds(p, r) {
		t.Fatal("fast path should hold")
	}
	r.Checklist[len(r.Checklist)-1].Status = Fail
	if FastPathHolds(p, r) {
		t.Fatal("fast path holds with cryptography")
	}
	if _, err := Apply(r, p, Step{Action: ActFastPath, By: Actor{Email: "ospo"}, At: t0}); !errors.Is(err, catalog.ErrInvalid) {
		t.Fatalf("fast path applied: %v", err)
	}
}

func TestNewInvalid(t *testing.T) {
	p := Policy{}
	for name, d := range map[string]Draft{
		"kind":         {Kind: "merge", Subject: "x", Requester: "a@b"},
		"requester":    {Kind: KindOpenSource, Subject: "x"},
		"subject":      {Kind: KindOpenSource, Requester: "a@b"},
		"url":          {Kind: KindContribute, Subject: "https://", Requester: "a@b"},
		"scope":        {Kind: KindContribute, Subject: "github.com/a/b", Requester: "a@b", Details: Details{Scope: "forever"}},
		"no expiry":    {Kind: KindException, Subject: "p", Requester: "a@b", Details: Details{Exception: ExceptionVulnerability, Advisory: "GHSA-1"}},
		"no advisory":  {Kind: KindException, Subject: "p", Requester: "a@b", Details: Details{Exception: ExceptionVulnerability}, Expires: t0.Add(time.Hour)},
		"past expiry":  {Kind: KindException, Subject: "p", Requester: "a@b", Details: Details{Exception: ExceptionVulnerability, Advisory: "x"}, Expires: t0.Add(-time.Hour)},
		"lifecycle":    {Kind: KindLifecycle, Subject: "p", Requester: "a@b", Details: Details{Lifecycle: "dead"}},
		"invalid utf8": {Kind: KindOpenSource, Subject: "p\xff", Requester: "a@b"},
	} {
		if _, err := New(d, p, t0); !errors.Is(err, catalog.ErrInvalid) {
			t.Errorf("%s: err = %v, want invalid", name, err)
		}
	}
}

func TestAlerts(t *testing.T) {
	p := ExternalProject{Name: "x", Lifecycle: LifecycleActive, Owners: []string{"a@b"}, License: "MIT", SecurityPolicy: "h1", ReviewDue: t0.Add(-time.Hour)}
	got := Alerts(p, Health{LastCommit: t0.AddDate(-2, 0, 0), License: "GPL-3.0-only", SecurityPolicy: "h2", OwnersPresent: 0}, t0)
	want := []string{AlertOwnersLeft, AlertInactive, AlertLicenseChanged, AlertSecurityPolicy, AlertReviewDue}
	if len(got) != len(want) {
		t.Fatalf("alerts %v, want %v", got, want)
	}
	for i := range want {
		if got[i].Kind != want[i] {
			t.Errorf("alert %d = %s, want %s", i, got[i].Kind, want[i])
		}
	}
	p.Lifecycle, p.ReviewDue = LifecycleArchived, time.Time{}
	if a := Alerts(p, Health{LastCommit: t0, License: "MIT", SecurityPolicy: "h1", OwnersPresent: 0}, t0); len(a) != 0 {
		t.Errorf("archived project alerts: %v", a)
	}
}

// While an automatic item is evaluating, no approval is given (a
// conflict), nobody is offered to approve, the fast path does not hold.
// Evaluate changes no state.
func TestEvaluating(t *testing.T) {
	p := Policies{KindContribute: {FastPath: &FastPath{}}}.For(KindContribute)
	r := newReq(t, ann, p)
	r.Checklist = append(r.Checklist, Item{ID: ItemLicense, Auto: true, Status: Evaluating})
	if !r.Evaluating() || CanReview(r, p, olga) || FastPathHolds(p, r) || AutoPassed(r.Checklist) {
		t.Fatalf("evaluating %v, can review %v, fast path %v", r.Evaluating(), CanReview(r, p, olga), FastPathHolds(p, r))
	}
	if _, err := Apply(r, p, Step{Action: ActApprove, By: olga, At: t0}); !errors.Is(err, ErrEvaluating) || !errors.Is(err, catalog.ErrConflict) {
		t.Fatalf("approve while evaluating: %v", err)
	}
	if _, err := Apply(r, p, Step{Action: ActFastPath, By: Actor{Email: "ospo"}, At: t0}); !errors.Is(err, catalog.ErrInvalid) {
		t.Fatalf("fast path while evaluating: %v", err)
	}
	if _, err := Apply(r, p, Step{Action: ActEvaluate, By: Actor{Email: "ospo"}, At: t0, Text: "evaluated"}); err != nil || r.State != StateReview {
		t.Fatalf("evaluate: %v, %s", err, r.State)
	}
	r.Checklist[len(r.Checklist)-1].Status = Pass
	if r.Evaluating() || !CanReview(r, p, olga) || !FastPathHolds(p, r) {
		t.Fatalf("once evaluated: can review %v, fast path %v", CanReview(r, p, olga), FastPathHolds(p, r))
	}
	if _, err := Apply(r, p, Step{Action: ActApprove, By: olga, At: t0}); err != nil || r.State != StateApproved {
		t.Fatalf("approve once evaluated: %v, %s", err, r.State)
	}
}
