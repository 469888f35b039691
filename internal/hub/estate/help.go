package estate

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/auth"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/recommend"
	"github.com/ospo-project/ospo/internal/store"
)

// ErrNotMaintainer is returned (wrapped) when someone who does not
// maintain a project writes or closes one of its help posts. It is a
// catalog.ErrForbidden.
var ErrNotMaintainer = catalog.Kind("only the project's maintainers (or the OSPO) may do this", catalog.ErrForbidden)

// HelpWanted is an open "looking for help" post with the people whose
// skills match it (recommend.Model.Helpers).
type HelpWanted struct {
	catalog.HelpPost
	Helpers []recommend.Item `json:"helpers"`
	// HelpersPending is true while the hub builds its first
	// recommendation model (Helpers is empty until then).
	HelpersPending bool `json:"helpers_pending,omitempty"`
}

// HelpWanted returns the posts open at the catalogue's clock (of the
// project with key projectKey, or every project's when empty), soonest end
// first, each with up to helpers matched people: not the post's author,
// nobody who opted out (read fresh). The people come from the
// recommendation model (Recommender); no request builds it when the TTL
// is not 0: before the first model is built (in the background, started
// here or by Warm) the posts come with HelpersPending set instead.
func (c *Catalog) HelpWanted(ctx context.Context, projectKey string, helpers int) ([]HelpWanted, error) {
	posts, err := c.st.HelpPosts(ctx, store.HelpFilter{ProjectKey: projectKey, OpenAt: c.now()})
	if err != nil {
		return nil, fmt.Errorf("read help posts: %w", err)
	}
	out := make([]HelpWanted, len(posts))
	if len(posts) == 0 {
		return out, nil
	}
	m, err := c.builtRecommender(ctx)
	if errors.Is(err, ErrModelNotReady) {
		m, err = nil, nil // still being built: helpers pending, as below
	}
	if err != nil {
		return nil, err
	}
	if m == nil {
		for i, p := range posts {
			out[i] = HelpWanted{HelpPost: p, Helpers: []recommend.Item{}, HelpersPending: true}
		}
		return out, nil
	}
	opts, err := c.OptOuts(ctx)
	if err != nil {
		return nil, err
	}
	// Matching is kept per model and set of opt-outs (read fresh above),
	// for each post as last updated: a request does not match again.
	ids := make([]string, 0, len(opts))
	for id, o := range opts {
		if o.Experts || o.Recommendations {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	h := fnv.New64a()
	for _, id := range ids {
		h.Write([]byte(id))
		h.Write([]byte{0})
	}
	c.helpMu.Lock()
	if c.helpModel != m || c.helpOptOuts != h.Sum64() {
		c.helpModel, c.helpOptOuts, c.helpMatched = m, h.Sum64(), map[string][]recommend.Item{}
	}
	c.helpMu.Unlock()
	// Matched once at matchedHelpers (or more when more are asked for):
	// the page's and the API's shorter lists are its first people.
	n := max(helpers, matchedHelpers)
	for i, p := range posts {
		key := fmt.Sprintf("%d/%d/%d", p.ID, p.UpdatedAt.UnixNano(), n)
		c.helpMu.Lock()
		matched, ok := c.helpMatched[key]
		c.helpMu.Unlock()
		if !ok {
			author := p.Author
			skip := func(pe recommend.Person) bool {
				o := opts[pe.ID]
				return o.Experts || o.Recommendations || strings.EqualFold(pe.Email, author)
			}
			matched = m.Helpers(p.Skills, skip, n)
			c.helpMu.Lock()
			if c.helpModel == m && c.helpOptOuts == h.Sum64() {
				c.helpMatched[key] = matched
			}
			c.helpMu.Unlock()
		}
		out[i] = HelpWanted{HelpPost: p, Helpers: slices.Clip(matched[:min(helpers, len(matched))])}
	}
	return out, nil
}

// matchedHelpers is how many people HelpWanted matches to a post at least
// (Helpers' order is total, so fewer are the first of them); WarmModel
// matches every open post after building a model.
const matchedHelpers = 10

// MayEditProject reports whether the principal maintains the project (its
// ownership claims name the account, one of the e-mails of its person, or
// one of its teams) or holds a role that may edit any project (the OSPO,
// admins): auth's EditProject with auth.EffectiveRole.
func (c *Catalog) MayEditProject(ctx context.Context, pr *auth.Principal, p *catalog.Project) (bool, error) {
	if pr == nil || pr.Account == nil {
		return false, nil
	}
	email := pr.Account.Email
	claimant := auth.Claimant{Emails: []string{email}}
	person, err := c.st.Person(ctx, email)
	switch {
	case err == nil:
		for _, id := range person.Identities {
			claimant.Emails = append(claimant.Emails, id.Email)
		}
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrAmbiguous):
	default:
		return false, err
	}
	ms, err := c.st.Memberships(ctx, email)
	if err != nil {
		return false, err
	}
	for _, m := range ms {
		claimant.Teams = append(claimant.Teams, m.Team)
	}
	eff := *pr
	eff.Role = auth.EffectiveRole(pr.Role, len(p.Owners) > 0 && auth.Owns(claimant, p.Owners))
	return eff.Can(auth.EditProject), nil
}

// PostHelp records a new help post for the project ref (ID, key or name)
// written by the principal, who must maintain it (MayEditProject); by is
// the audit entry. Returns ErrNotFound for an unknown project, a wrapped
// ErrNotMaintainer, and the store's ErrInvalid for a post that does not
// validate.
func (c *Catalog) PostHelp(ctx context.Context, pr *auth.Principal, ref string, h catalog.HelpPost, by *catalog.AuditEntry) (catalog.HelpPost, error) {
	p, err := c.st.Project(ctx, ref)
	if err != nil {
		return h, err
	}
	ok, err := c.MayEditProject(ctx, pr, p)
	if err != nil {
		return h, err
	}
	if !ok {
		return h, fmt.Errorf("post help for %s: %w", p.Name, ErrNotMaintainer)
	}
	h.ID, h.ProjectKey, h.Author, h.Closed = 0, p.Key, pr.Account.Email, false
	h.CreatedAt, h.UpdatedAt = c.now(), c.now()
	return c.st.SaveHelpPost(ctx, h, by)
}

// CloseHelp closes the help post id for the principal, who must maintain
// its project. Returns ErrNotFound and a wrapped ErrNotMaintainer.
func (c *Catalog) CloseHelp(ctx context.Context, pr *auth.Principal, id int64, by *catalog.AuditEntry) (catalog.HelpPost, error) {
	h, err := c.st.HelpPost(ctx, id)
	if err != nil {
		return catalog.HelpPost{}, err
	}
	p, err := c.st.Project(ctx, h.ProjectKey)
	if err != nil {
		return *h, err
	}
	ok, err := c.MayEditProject(ctx, pr, p)
	if err != nil {
		return *h, err
	}
	if !ok {
		return *h, fmt.Errorf("close help post %d: %w", id, ErrNotMaintainer)
	}
	h.Closed, h.UpdatedAt = true, c.now()
	return c.st.SaveHelpPost(ctx, *h, by)
}

// HelpForm is the form (and JSON body) of a new help post.
type HelpForm struct {
	// Project is the project's ID, key or name.
	Project     string `json:"project"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	// Skills are comma-separated in a form, a list in JSON.
	Skills []string `json:"skills"`
	Size   string   `json:"size"`
	// Ends is the last day, YYYY-MM-DD.
	Ends string `json:"ends"`
}

// Post returns the help post the form describes. Returns a catalog
// ErrInvalid for an end date that is not a day.
func (f HelpForm) Post() (catalog.HelpPost, error) {
	h := catalog.HelpPost{Title: f.Title, Description: f.Description, Skills: f.Skills, Size: f.Size}
	if strings.TrimSpace(f.Ends) != "" {
		t, err := time.Parse(time.DateOnly, strings.TrimSpace(f.Ends))
		if err != nil {
			return h, catalog.Mark(errors.New("the end date must be a day, YYYY-MM-DD"), catalog.ErrInvalid)
		}
		h.EndsAt = t
	}
	return h, nil
}
