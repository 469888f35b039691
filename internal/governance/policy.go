package governance

import (
	"slices"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Policy is how one kind of request is decided (governance.kinds.KIND of
// ospo.yaml). The zero value is completed by Policies.For.
type Policy struct {
	// Approvals is how many distinct reviewers must approve; at least 1.
	Approvals int `yaml:"approvals" json:"approvals"`
	// Roles may approve (default: ospo and admin).
	Roles []catalog.Role `yaml:"roles" json:"roles"`
	// Teams: members of these teams may approve too, whatever their role.
	Teams []string `yaml:"teams" json:"teams,omitempty"`
	// Attestations the approver must tick ("I checked the business case").
	Attestations []string `yaml:"attestations" json:"attestations,omitempty"`
	// Questions for the requester (default DefaultQuestions).
	Questions []Question `yaml:"questions" json:"questions"`
	// AdminBypass lets an admin approve their own request; such an approval
	// is marked Bypass and audited as request.approve-bypass.
	AdminBypass bool `yaml:"admin_bypass" json:"admin_bypass,omitempty"`
	// FastPath, when set, approves a request at creation when every
	// automatic item passed and its conditions hold.
	FastPath *FastPath `yaml:"fast_path" json:"fast_path,omitempty"`
}

// FastPath are the conditions under which a request skips reviewers.
type FastPath struct {
	// Licenses: the project's licence must be one of these SPDX ids.
	Licenses []string `yaml:"licenses" json:"licenses,omitempty"`
	// NoCryptography: the project must use no cryptography library.
	NoCryptography bool `yaml:"no_cryptography" json:"no_cryptography,omitempty"`
	// Answers: each question (by ID) must have this answer (any case).
	Answers map[string]string `yaml:"answers" json:"answers,omitempty"`
}

// Policies are the policies of each kind.
type Policies map[Kind]Policy

// For returns k's policy with defaults filled in: one approval (two to
// open-source a project) by the ospo or admin roles, the default questions.
func (ps Policies) For(k Kind) Policy {
	p := ps[k]
	if p.Approvals <= 0 {
		p.Approvals = 1
		if k == KindOpenSource {
			p.Approvals = 2
		}
	}
	if len(p.Roles) == 0 {
		p.Roles = []catalog.Role{catalog.RoleOSPO, catalog.RoleAdmin}
	}
	if p.Questions == nil {
		p.Questions = DefaultQuestions[k]
	}
	return p
}

// Actor is who acts on a request: an account with its role and teams.
type Actor struct {
	Email string
	Role  catalog.Role
	Teams []string
}

// mayReview reports whether a may approve or reject under p, setting aside
// the four-eyes rule.
func (p Policy) mayReview(a Actor) bool {
	if a.Email == "" {
		return false
	}
	if slices.Contains(p.Roles, a.Role) {
		return true
	}
	for _, t := range a.Teams {
		if slices.ContainsFunc(p.Teams, func(x string) bool { return strings.EqualFold(x, t) }) {
			return true
		}
	}
	return false
}

// FastPathHolds reports whether r may skip reviewers under p: p has a fast
// path, every automatic item passed and the fast path's conditions hold.
func FastPathHolds(p Policy, r *Request) bool {
	f := p.FastPath
	if f == nil || len(r.Checklist) == 0 || !AutoPassed(r.Checklist) {
		return false
	}
	item := func(id string) (Item, bool) {
		i := slices.IndexFunc(r.Checklist, func(it Item) bool { return it.ID == id })
		if i < 0 {
			return Item{}, false
		}
		return r.Checklist[i], true
	}
	if len(f.Licenses) > 0 {
		it, ok := item(ItemLicense)
		if !ok || !slices.ContainsFunc(f.Licenses, func(l string) bool { return strings.EqualFold(l, it.Value) }) {
			return false
		}
	}
	if f.NoCryptography {
		if it, ok := item(ItemCryptography); !ok || it.Status != Pass {
			return false
		}
	}
	for q, want := range f.Answers {
		if !strings.EqualFold(strings.TrimSpace(r.Answers[q]), want) {
			return false
		}
	}
	return true
}
