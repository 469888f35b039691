package cli_test

import (
	"path/filepath"
	"testing"

	"github.com/ospo-project/ospo/internal/recommend"
)

func TestRecommend(t *testing.T) {
	isolate(t)
	root := buildEstate(t)
	res := t.TempDir()
	write(t, filepath.Join(res, "python.md"), "---\ntitle: Python for Go developers\nurl: https://learn.example/python\ntechnologies: [Python]\nlevel: beginner\nkind: training\n---\n")
	write(t, filepath.Join(res, "broken.yaml"), "title: no url\n")
	runSteps(t, []step{
		{args: []string{"scan", "-q", root}, stdout: []string{"Scanned 2 repositories"}},
		// Jane uses alpha's stack and Python (beta); Bob only alpha's.
		{args: []string{"recommend", "bob@example.com", "--resources", res}, stdout: []string{
			"Recommendations for Bob Stone", "TECHNOLOGIES", "Python", "1 person who uses", "also uses Python",
			"PEOPLE TO MEET", "Jane Doe <jane@example.com>", "TRAINING AND ARTICLES", "Python for Go developers", "https://learn.example/python",
			"because Python is recommended to you"}, stderr: []string{"warning:", "broken.yaml"}},
		{args: []string{"recommend", "Bob Stone", "--format", "json"}, json: func(t *testing.T, out []byte) {
			r := decode[recommend.Recommendations](t, out)
			if r.Person.Email != "bob@example.com" || len(r.Technologies) == 0 || r.Technologies[0].Name != "Python" ||
				r.Recommenders["technologies"] != recommend.DefaultTechnologies || r.Resources == nil {
				t.Errorf("recommend Bob = %+v", r)
			}
		}},
		{args: []string{"recommend", "nobody@example.com"}, code: 2, stderr: []string{`no person "nobody@example.com"`}},
		{args: []string{"recommend", "bob@example.com", "--technologies", "magic"}, code: 2, stderr: []string{"unknown technology recommender"}},
		{args: []string{"recommend", "bob@example.com", "--limit", "-2"}, code: 2},
		{args: []string{"recommend", "bob@example.com", "--resources", filepath.Join(res, "python.md")}, code: 2, stderr: []string{"not a directory"}},
		{args: []string{"similar", "alpha"}, stdout: []string{"No project shares a dependency with alpha"}},
		{args: []string{"similar", "alpha", "--format", "json"}, json: func(t *testing.T, out []byte) {
			v := decode[struct {
				Project   string                     `json:"project"`
				ProjectID int64                      `json:"project_id"`
				Similar   []recommend.SimilarProject `json:"similar"`
			}](t, out)
			if v.Project != "alpha" || len(v.Similar) != 0 {
				t.Errorf("similar alpha = %+v", v)
			}
		}},
		{args: []string{"similar", "nope"}, code: 2, stderr: []string{"no project"}},
		// Opting out: Jane leaves the experts and the people to meet.
		{args: []string{"recommend", "opt-out", "jane@example.com", "--experts", "--as", "jane@example.com"},
			stdout: []string{"Jane Doe: experts opted out, recommendations in"}},
		{args: []string{"experts", "lodash"}, stdout: []string{"Bob Stone"}, notStdout: []string{"Jane Doe"}},
		{args: []string{"recommend", "bob@example.com"}, notStdout: []string{"Jane Doe <jane@example.com>"}},
		{args: []string{"recommend", "opt-out", "bob@example.com"}, stdout: []string{"Bob Stone: experts opted out, recommendations opted out"}},
		{args: []string{"recommend", "bob@example.com"}, stdout: []string{"opted out of recommendations"}, notStdout: []string{"TECHNOLOGIES"}},
		{args: []string{"recommend", "opt-in", "bob@example.com", "--recommendations"}, stdout: []string{"Bob Stone: experts opted out, recommendations in"}},
		{args: []string{"recommend", "opt-out", "nobody@example.com"}, code: 2, stderr: []string{"no person"}},
		{args: []string{"audit", "list"}, stdout: []string{"person.opt-out", "person:"}},
		// The evaluation: Jane joined beta (Python) after 2024-02-01, but
		// nobody knew beta or Python before, so nothing can be predicted
		// and no recommender beats popularity.
		{args: []string{"eval", "recommend", "--until", "2024-02-01"}, stdout: []string{"Split at 2024-02-01", "TECHNOLOGIES: 0 people judged",
			"RECALL@10", "popularity", "random", "cf", "PROJECTS", "best: nothing beats popularity"}},
		{args: []string{"eval", "recommend", "--until", "2024-02-01", "--format", "json"}, json: func(t *testing.T, out []byte) {
			ev := decode[recommend.Evaluation](t, out)
			if ev.TechnologyPeople != 0 || ev.BestTechnologies != recommend.TechPopular || len(ev.Technologies) != len(recommend.TechnologyRecommenders) {
				t.Errorf("eval = %+v", ev)
			}
		}},
		{args: []string{"eval", "recommend", "--until", "yesterday"}, code: 2, stderr: []string{"--until"}},
		{args: []string{"eval", "recommend", "--k", "0"}, code: 2},
	})
}
