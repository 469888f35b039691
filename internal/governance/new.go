package governance

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on a request's free text, in bytes.
const (
	MaxTitle   = 200
	MaxSubject = 2000
)

// Draft is what a requester asks for; New checks it and makes a Request.
type Draft struct {
	Kind      Kind
	Title     string
	Subject   string
	Requester string
	Details   Details
	Answers   map[string]string
	Expires   time.Time
}

// New returns the request d describes, in review, opened at at, with its
// questions as checklist items (the automatic items are the workflow's to
// add). It returns an ErrInvalid-kind error saying what is wrong.
func New(d Draft, p Policy, at time.Time) (*Request, error) {
	if !d.Kind.Valid() {
		return nil, invalid("unknown kind of request %q (one of open-source, contribute, exception, lifecycle)", d.Kind)
	}
	d.Title, d.Subject = strings.TrimSpace(d.Title), strings.TrimSpace(d.Subject)
	requester := NormalizeEmail(d.Requester)
	switch {
	case requester == "":
		return nil, invalid("a request needs a requester")
	case d.Subject == "":
		return nil, invalid("a %s request needs a subject", d.Kind)
	case len(d.Subject) > MaxSubject || len(d.Title) > MaxTitle:
		return nil, invalid("subject (at most %d bytes) or title (at most %d) too long", MaxSubject, MaxTitle)
	case !utf8.ValidString(d.Title + d.Subject + d.Details.Reason):
		return nil, invalid("text is not valid UTF-8")
	case len(d.Details.Reason) > MaxText:
		return nil, invalid("reason longer than %d bytes", MaxText)
	}
	for k, v := range d.Answers {
		if len(v) > MaxText || len(k) > MaxTitle {
			return nil, invalid("answer %q too long", k)
		}
	}
	switch d.Kind {
	case KindContribute:
		if _, err := NormalizeURL(d.Subject); err != nil {
			return nil, err
		}
		switch d.Details.Scope {
		case "":
			d.Details.Scope = ScopeOneOff
		case ScopeOneOff, ScopeStanding:
		default:
			return nil, invalid("contribution scope %q: one-off or standing", d.Details.Scope)
		}
		switch strings.ToUpper(d.Details.Agreement) {
		case "", "CLA", "CCLA", "DCO":
			d.Details.Agreement = strings.ToUpper(d.Details.Agreement)
		default:
			return nil, invalid("agreement %q: CLA, CCLA or DCO", d.Details.Agreement)
		}
	case KindException:
		switch d.Details.Exception {
		case ExceptionVulnerability:
			if d.Details.Advisory == "" {
				return nil, invalid("a vulnerability exception names the advisory")
			}
		case ExceptionLicense:
			if d.Details.License == "" && d.Details.Package == "" {
				return nil, invalid("a licence exception names the licence or the package")
			}
		case ExceptionDependency:
			if d.Details.Package == "" {
				return nil, invalid("a dependency exception names the package")
			}
		default:
			return nil, invalid("exception %q: vulnerability, license or dependency", d.Details.Exception)
		}
		if d.Expires.IsZero() {
			return nil, invalid("an exception needs an expiry")
		}
	case KindLifecycle:
		if !Lifecycle(d.Details.Lifecycle).Valid() {
			return nil, invalid("lifecycle %q: one of %s", d.Details.Lifecycle, lifecycleList())
		}
	}
	if !d.Expires.IsZero() && !d.Expires.After(at) {
		return nil, invalid("expiry %s is in the past", d.Expires.Format(time.DateOnly))
	}
	if d.Title == "" {
		d.Title = string(d.Kind) + " " + d.Subject
	}
	r := &Request{
		Kind: d.Kind, Title: d.Title, Subject: d.Subject, Requester: requester, State: StateReview,
		CreatedAt: at, UpdatedAt: at, Expires: d.Expires, Details: d.Details, Answers: d.Answers,
		Checklist: QuestionItems(p.Questions, d.Answers),
		Events:    []Event{{Action: ActOpen, By: requester, At: at, To: StateReview}},
	}
	return r, nil
}

// NormalizeURL returns the form upstream repositories are compared in:
// host and path, lower-case, without scheme, user, ".git" or trailing
// slash ("https://GitHub.com/Org/Repo.git" and "git@github.com:org/repo"
// are both "github.com/org/repo"). A host alone, or a host and an
// organisation, names everything under it.
func NormalizeURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", invalid("empty URL")
	}
	if !strings.Contains(s, "://") {
		// scp-like git@host:path, or host/path
		if at := strings.Index(s, "@"); at >= 0 && strings.Contains(s[at:], ":") {
			s = strings.Replace(s[at+1:], ":", "/", 1)
		}
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "", invalid("%q is not a repository URL", s)
	}
	p := strings.Trim(strings.TrimSuffix(strings.Trim(u.Path, "/"), ".git"), "/")
	out := strings.ToLower(u.Hostname())
	if p != "" {
		out += "/" + strings.ToLower(p)
	}
	return out, nil
}

// RequestFilter narrows a listing of requests. The zero value lists every
// request.
type RequestFilter struct {
	Kind      Kind
	State     State
	Requester string // exact e-mail, any case
	Subject   string // exact subject
	Limit     int
}

// Lister lists requests, newest first: the store does.
type Lister interface {
	ListRequests(ctx context.Context, f RequestFilter) ([]Request, error)
}

// ApprovedContribution returns the approved, unexpired contribute request
// covering upstreamURL at at (the push proxy's question: may this push go
// out?): its subject names the same repository, or, for a standing
// approval, a host or organisation above it. It returns nil when there is
// none; an error only when the URL is not one or the store fails.
func ApprovedContribution(ctx context.Context, l Lister, upstreamURL string, at time.Time) (*Request, error) {
	want, err := NormalizeURL(upstreamURL)
	if err != nil {
		return nil, err
	}
	rs, err := l.ListRequests(ctx, RequestFilter{Kind: KindContribute, State: StateApproved})
	if err != nil {
		return nil, fmt.Errorf("approved contributions: %w", err)
	}
	for i := range rs {
		r := &rs[i]
		if !r.Active(at) {
			continue
		}
		got, err := NormalizeURL(r.Subject)
		if err != nil {
			continue
		}
		if got == want || (r.Details.Scope == ScopeStanding && strings.HasPrefix(want, got+"/")) {
			return r, nil
		}
	}
	return nil, nil
}
