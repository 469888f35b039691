package innersource

import (
	"strings"
	"time"
)

// Repo is one entry of the repos.json that SAP's project portal for
// InnerSource reads (SAP/project-portal-for-innersource: repos.json and
// docs/CRAWLING.md): GitHub's repository fields plus _InnerSourceMetadata.
// Every field of the portal's sample is written, with the sample's JSON
// type; fields ospo cannot know without a forge are zero (counts) or null
// (license).
type Repo struct {
	ID              int64     `json:"id"`
	Name            string    `json:"name"`
	FullName        string    `json:"full_name"`
	HTMLURL         string    `json:"html_url"`
	Description     string    `json:"description"`
	CreatedAt       string    `json:"created_at"`
	UpdatedAt       string    `json:"updated_at"`
	PushedAt        string    `json:"pushed_at"`
	StargazersCount int       `json:"stargazers_count"`
	WatchersCount   int       `json:"watchers_count"`
	Language        *string   `json:"language"`
	ForksCount      int       `json:"forks_count"`
	OpenIssuesCount int       `json:"open_issues_count"`
	License         *struct{} `json:"license"`
	DefaultBranch   string    `json:"default_branch"`
	Owner           RepoOwner `json:"owner"`
	Metadata        Metadata  `json:"_InnerSourceMetadata"`
}

// RepoOwner is the GitHub owner of a Repo: the organisation or user of its
// URL.
type RepoOwner struct {
	Login     string `json:"login"`
	AvatarURL string `json:"avatar_url"`
}

// Metadata is a Repo's _InnerSourceMetadata: the crawler's participation,
// topics and score, and the innersource.json keys the portal shows.
//
// Title is the project name; Motivation is empty; Skills are the project's
// languages (innersource.json skills are merged into the catalogue's topics
// at scan time and are listed in Topics); Contributions, Logo and Docs are
// empty; Language is the main language because the catalogue does not keep those innersource.json keys.
type Metadata struct {
	Participation []int    `json:"participation"`
	Topics        []string `json:"topics"`
	Score         int      `json:"score"`
	Title         string   `json:"title"`
	Motivation    string   `json:"motivation"`
	Contributions []string `json:"contributions"`
	Skills        []string `json:"skills"`
	Logo          string   `json:"logo"`
	Docs          string   `json:"docs"`
	Guidelines    string   `json:"guidelines"`
	Language      string   `json:"language"`
}

// Export turns cards into repos.json entries, in the cards' order.
func Export(cs []Card) []Repo {
	out := make([]Repo, 0, len(cs))
	for _, c := range cs {
		owner, full := ownerAndFullName(c)
		r := Repo{
			ID: c.ID, Name: c.Name, FullName: full, HTMLURL: c.URL, Description: c.Description,
			CreatedAt: stamp(c.CreatedAt), UpdatedAt: stamp(c.UpdatedAt), PushedAt: stamp(c.UpdatedAt),
			DefaultBranch: c.DefaultBranch,
			Owner:         RepoOwner{Login: owner},
			Metadata: Metadata{
				Participation: c.Participation, Topics: c.Topics, Score: c.Score, Title: c.Name,
				Contributions: []string{}, Skills: c.Languages, Guidelines: c.Guidelines,
			},
		}
		if len(c.Languages) > 0 {
			l := c.Languages[0]
			r.Language = &l
			r.Metadata.Language = l
		}
		out = append(out, r)
	}
	return out
}

// ownerAndFullName is the owner and owner/name of c's URL; for a project
// without a URL, the owner is empty and the full name is the name.
func ownerAndFullName(c Card) (owner, full string) {
	rest, ok := strings.CutPrefix(c.URL, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(c.URL, "http://")
	}
	if ok {
		parts := strings.Split(rest, "/")
		if len(parts) >= 3 {
			owner = parts[len(parts)-2]
			return owner, owner + "/" + parts[len(parts)-1]
		}
	}
	return "", c.Name
}

// stamp is t in GitHub's format, "" for the zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
