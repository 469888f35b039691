package catalog

import (
	"fmt"
	"strings"
	"time"
)

// HelpPost is a Bazaar-style "looking for help" post a maintainer writes
// for their project: what they need done, the skills it takes, its size
// and until when. It is listed on the InnerSource marketplace while it is
// open (see Open) and matched to people by their skills.
type HelpPost struct {
	ID int64 `json:"id"`
	// ProjectKey is the project the help is for; ProjectID and Project
	// are its ID and name, filled in by the store when reading.
	ProjectKey string `json:"project_key"`
	ProjectID  int64  `json:"project_id,omitempty"`
	Project    string `json:"project,omitempty"`
	Title      string `json:"title"`
	// Description says what the work is, in plain text.
	Description string `json:"description,omitempty"`
	// Skills are the technologies the work needs ("Go", "React",
	// "pkg:golang/github.com/spf13/cobra"), as languages and packages are
	// named in the catalogue.
	Skills []string `json:"skills"`
	// Size is one of the HelpSizes.
	Size string `json:"size"`
	// EndsAt is the last day the help is wanted; the post is hidden after.
	EndsAt time.Time `json:"ends_at"`
	// Author is the e-mail of the account that wrote the post.
	Author    string    `json:"author"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Closed reports that the maintainers found their help (or gave up).
	Closed bool `json:"closed,omitempty"`
}

// HelpSizes are the sizes of help wanted, smallest first: a few hours, a
// few days, a few weeks (Backstage Bazaar's small, medium, large).
var HelpSizes = []string{"small", "medium", "large"}

// Help post limits.
const (
	MaxHelpTitle       = 200
	MaxHelpDescription = 4000
	MaxHelpSkills      = 20
)

// invalidHelp is the ErrInvalid of a help post that does not validate,
// its text (after "help post: ") written to be shown.
func invalidHelp(format string, args ...any) error {
	return Mark(fmt.Errorf("help post: "+format, args...), ErrInvalid)
}

// Open reports whether the post is still shown at t: not closed and its
// end day not over (a post ending on a day is open all of that day, UTC).
func (p HelpPost) Open(at time.Time) bool {
	return !p.Closed && at.Before(p.EndsAt.UTC().Truncate(24*time.Hour).Add(24*time.Hour))
}

// Validate returns a wrapped ErrInvalid when the post lacks a project, a
// title, an author or an end date, has an unknown size, or is too long.
// It trims the text fields, folds the author and drops empty and repeated
// skills.
func (p *HelpPost) Validate() error {
	p.Title, p.Description, p.ProjectKey = strings.TrimSpace(p.Title), strings.TrimSpace(p.Description), strings.TrimSpace(p.ProjectKey)
	p.Author = strings.ToLower(strings.TrimSpace(p.Author))
	var skills []string
	seen := map[string]bool{}
	for _, s := range p.Skills {
		s = strings.TrimSpace(s)
		if s != "" && !seen[strings.ToLower(s)] {
			seen[strings.ToLower(s)] = true
			skills = append(skills, s)
		}
	}
	p.Skills = skills
	switch {
	case p.ProjectKey == "":
		return invalidHelp("no project")
	case p.Title == "":
		return invalidHelp("a title is required")
	case len(p.Title) > MaxHelpTitle:
		return invalidHelp("the title is longer than %d bytes", MaxHelpTitle)
	case len(p.Description) > MaxHelpDescription:
		return invalidHelp("the description is longer than %d bytes", MaxHelpDescription)
	case len(p.Skills) > MaxHelpSkills:
		return invalidHelp("more than %d skills", MaxHelpSkills)
	case p.Author == "":
		return invalidHelp("no author")
	case p.EndsAt.IsZero():
		return invalidHelp("an end date is required")
	}
	for _, s := range HelpSizes {
		if p.Size == s {
			return nil
		}
	}
	return invalidHelp("size %q is not one of %s", p.Size, strings.Join(HelpSizes, ", "))
}
