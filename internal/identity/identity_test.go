package identity

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ospo-project/ospo/internal/catalog"
)

func ic(name, email string, commits int) catalog.IdentityCount {
	return catalog.IdentityCount{Identity: catalog.Identity{Name: name, Email: email}, Commits: commits}
}

func id(name, email string) catalog.Identity { return catalog.Identity{Name: name, Email: email} }

func human(name, email string, ids ...catalog.Identity) catalog.Person {
	return catalog.Person{Name: name, Email: email, Identities: ids}
}

func bot(name, email string, ids ...catalog.Identity) catalog.Person {
	return catalog.Person{Name: name, Email: email, Bot: true, Identities: ids}
}

// comparePeople compares people regardless of order and ID; IDs are tested
// on their own.
var comparePeople = cmp.Options{
	cmpopts.IgnoreFields(catalog.Person{}, "ID"),
	cmpopts.SortSlices(func(a, b catalog.Person) bool {
		if a.Email != b.Email {
			return a.Email < b.Email
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Bot && !b.Bot
	}),
	cmpopts.EquateEmpty(),
}

func TestMerge(t *testing.T) {
	tests := []struct {
		name string
		in   []catalog.IdentityCount
		want []catalog.Person
	}{
		{
			name: "empty",
		},
		{
			name: "same email, whatever the case and spaces, is one person",
			in: []catalog.IdentityCount{
				ic("Jane Doe", "Jane.Doe@Acme.io", 10),
				ic("jdoe", " jane.doe@acme.io ", 2),
			},
			want: []catalog.Person{
				human("Jane Doe", "jane.doe@acme.io", id("jdoe", " jane.doe@acme.io "), id("Jane Doe", "Jane.Doe@Acme.io")),
			},
		},
		{
			name: "same full name, different emails, is one person; primary email has most commits",
			in: []catalog.IdentityCount{
				ic("Jane Doe", "jane@home.net", 3),
				ic("Jane Doe", "jane.doe@acme.io", 10),
			},
			want: []catalog.Person{
				human("Jane Doe", "jane.doe@acme.io", id("Jane Doe", "jane.doe@acme.io"), id("Jane Doe", "jane@home.net")),
			},
		},
		{
			name: "names compare without case, dots, extra spaces or hyphens",
			in: []catalog.IdentityCount{
				ic("Jane Q. Doe", "a@x.io", 1),
				ic("jane q doe", "b@y.io", 5),
				ic("  JANE   Q  DOE ", "c@z.io", 1),
				ic("Jean-Luc Picard", "jl@starfleet.org", 1),
				ic("jean_luc picard", "picard@home.net", 1),
				ic("Seán O'Brien", "sean@acme.io", 1),
				ic("Sean OBrien", "sob@home.net", 1),
			},
			want: []catalog.Person{
				human("jane q doe", "b@y.io", id("Jane Q. Doe", "a@x.io"), id("jane q doe", "b@y.io"), id("  JANE   Q  DOE ", "c@z.io")),
				human("Jean-Luc Picard", "jl@starfleet.org", id("Jean-Luc Picard", "jl@starfleet.org"), id("jean_luc picard", "picard@home.net")),
				human("Sean OBrien", "sean@acme.io", id("Seán O'Brien", "sean@acme.io"), id("Sean OBrien", "sob@home.net")),
			},
		},
		{
			name: "diacritics and letters without decomposition fold",
			in: []catalog.IdentityCount{
				ic("José Núñez", "jose@acme.io", 4),
				ic("Jose Nunez", "jnunez@home.net", 1),
				ic("Łukasz Żółw", "lz@acme.io", 1),
				ic("Lukasz Zolw", "lukasz@home.net", 1),
				ic("Johann Strauß", "js@acme.io", 1),
				ic("Johann Strauss", "strauss@home.net", 2),
				ic("Søren Kierkegaard", "sk@acme.io", 1),
				ic("Soren Kierkegaard", "soren@home.net", 1),
				ic("Ｆｕｌｌｗｉｄｔｈ Ｎａｍｅ", "fw@acme.io", 1), // NFKD maps fullwidth letters to ASCII
				ic("Fullwidth Name", "fw@home.net", 1),
			},
			want: []catalog.Person{
				human("José Núñez", "jose@acme.io", id("Jose Nunez", "jnunez@home.net"), id("José Núñez", "jose@acme.io")),
				human("Lukasz Zolw", "lukasz@home.net", id("Lukasz Zolw", "lukasz@home.net"), id("Łukasz Żółw", "lz@acme.io")),
				human("Johann Strauss", "strauss@home.net", id("Johann Strauß", "js@acme.io"), id("Johann Strauss", "strauss@home.net")),
				human("Soren Kierkegaard", "sk@acme.io", id("Søren Kierkegaard", "sk@acme.io"), id("Soren Kierkegaard", "soren@home.net")),
				human("Fullwidth Name", "fw@acme.io", id("Ｆｕｌｌｗｉｄｔｈ Ｎａｍｅ", "fw@acme.io"), id("Fullwidth Name", "fw@home.net")),
			},
		},
		{
			// The documented trade-off: full names are trusted.
			name: "two people with the same full name merge",
			in: []catalog.IdentityCount{
				ic("John Smith", "john.smith@acme.io", 5),
				ic("John Smith", "jsmith@other.org", 5),
			},
			want: []catalog.Person{
				human("John Smith", "john.smith@acme.io", id("John Smith", "john.smith@acme.io"), id("John Smith", "jsmith@other.org")),
			},
		},
		{
			name: "single-word and generic names do not merge",
			in: []catalog.IdentityCount{
				ic("alex", "alex@acme.io", 1),
				ic("Alex", "alex@other.org", 1),
				ic("Your Name", "dev1@acme.io", 1),
				ic("Your Name", "dev2@acme.io", 1),
				ic("Unknown User", "u1@acme.io", 1),
				ic("unknown user", "u2@acme.io", 1),
				ic("", "e1@acme.io", 1),
				ic("", "e2@acme.io", 1),
			},
			want: []catalog.Person{
				human("alex", "alex@acme.io", id("alex", "alex@acme.io")),
				human("Alex", "alex@other.org", id("Alex", "alex@other.org")),
				human("Your Name", "dev1@acme.io", id("Your Name", "dev1@acme.io")),
				human("Your Name", "dev2@acme.io", id("Your Name", "dev2@acme.io")),
				human("Unknown User", "u1@acme.io", id("Unknown User", "u1@acme.io")),
				human("unknown user", "u2@acme.io", id("unknown user", "u2@acme.io")),
				human("", "e1@acme.io", id("", "e1@acme.io")),
				human("", "e2@acme.io", id("", "e2@acme.io")),
			},
		},
		{
			name: "placeholder and empty emails do not merge",
			in: []catalog.IdentityCount{
				ic("Alice Smith", "none@none", 1),
				ic("Bob Jones", "none@none", 1),
				ic("Carol White", "", 1),
				ic("Dan Brown", "", 1),
				ic("Erin Black", "root@localhost", 1),
				ic("Finn Grey", "ROOT@localhost", 1),
				ic("Gail Green", "gail@laptop.(none)", 1),
				ic("Hugo Blue", "gail@laptop.(none)", 1),
				ic("Ida Red", "admin@acme.io", 1),
				ic("Jon Gold", "admin@acme.io", 1),
				ic("Kim Rose", "no-email", 1),
				ic("Lee Pink", "no-email", 1),
			},
			want: []catalog.Person{
				human("Alice Smith", "none@none", id("Alice Smith", "none@none")),
				human("Bob Jones", "none@none", id("Bob Jones", "none@none")),
				human("Carol White", "", id("Carol White", "")),
				human("Dan Brown", "", id("Dan Brown", "")),
				human("Erin Black", "root@localhost", id("Erin Black", "root@localhost")),
				human("Finn Grey", "root@localhost", id("Finn Grey", "ROOT@localhost")),
				human("Gail Green", "gail@laptop.(none)", id("Gail Green", "gail@laptop.(none)")),
				human("Hugo Blue", "gail@laptop.(none)", id("Hugo Blue", "gail@laptop.(none)")),
				human("Ida Red", "admin@acme.io", id("Ida Red", "admin@acme.io")),
				human("Jon Gold", "admin@acme.io", id("Jon Gold", "admin@acme.io")),
				human("Kim Rose", "no-email", id("Kim Rose", "no-email")),
				human("Lee Pink", "no-email", id("Lee Pink", "no-email")),
			},
		},
		{
			name: "a placeholder identity still merges by its full name",
			in: []catalog.IdentityCount{
				ic("Alice Smith", "none@none", 1),
				ic("Alice Smith", "alice@acme.io", 1),
			},
			want: []catalog.Person{
				human("Alice Smith", "alice@acme.io", id("Alice Smith", "alice@acme.io"), id("Alice Smith", "none@none")),
			},
		},
		{
			name: "GitHub noreply addresses merge by login, and with a name equal to the login",
			in: []catalog.IdentityCount{
				ic("The Octocat", "583231+octocat@users.noreply.github.com", 20),
				ic("Octo", "octocat@users.noreply.github.com", 5),
				ic("OctoCat", "octo@acme.io", 1),
				ic("octocat", "mona@home.net", 1),
				ic("octocat-fan", "fan@acme.io", 1),                            // another login
				ic("Other Person", "583232+other@users.noreply.github.com", 1), // another login
			},
			want: []catalog.Person{
				human("The Octocat", "mona@home.net",
					id("The Octocat", "583231+octocat@users.noreply.github.com"),
					id("octocat", "mona@home.net"),
					id("OctoCat", "octo@acme.io"),
					id("Octo", "octocat@users.noreply.github.com")),
				human("octocat-fan", "fan@acme.io", id("octocat-fan", "fan@acme.io")),
				human("Other Person", "583232+other@users.noreply.github.com", id("Other Person", "583232+other@users.noreply.github.com")),
			},
		},
		{
			name: "single-word names merge only through a login",
			in: []catalog.IdentityCount{
				ic("jdoe", "jdoe@acme.io", 1),
				ic("jdoe", "jdoe@home.net", 1),
				ic("admin", "admin@users.noreply.github.com", 1),
				ic("admin", "a1@acme.io", 1),
			},
			want: []catalog.Person{
				human("jdoe", "jdoe@acme.io", id("jdoe", "jdoe@acme.io")),
				human("jdoe", "jdoe@home.net", id("jdoe", "jdoe@home.net")),
				human("admin", "admin@users.noreply.github.com", id("admin", "admin@users.noreply.github.com")),
				human("admin", "a1@acme.io", id("admin", "a1@acme.io")),
			},
		},
		{
			name: "bots are recognised and merge among themselves",
			in: []catalog.IdentityCount{
				ic("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", 40),
				ic("dependabot[bot]", "support@github.com", 2),
				ic("dependabot-preview[bot]", "27856297+dependabot-preview[bot]@users.noreply.github.com", 1),
				ic("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com", 3),
				ic("Renovate Bot", "bot@renovateapp.com", 7),
				ic("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com", 9),
				ic("GitHub Actions", "action@github.com", 1),
				ic("GitHub", "noreply@github.com", 12), // web-flow
				ic("snyk-bot", "snyk-bot@snyk.io", 2),
				ic("Greenkeeper", "support@greenkeeper.io", 1),
				ic("Jenkins", "jenkins@ci.acme.io", 6),
				ic("gitlab-ci", "ci@gitlab.acme.io", 1),
				ic("Release Bot", "releases@acme.io", 1),
			},
			want: []catalog.Person{
				// A real address is preferred to a noreply one.
				bot("dependabot[bot]", "support@github.com",
					id("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
					id("dependabot[bot]", "support@github.com")),
				bot("dependabot-preview[bot]", "27856297+dependabot-preview[bot]@users.noreply.github.com",
					id("dependabot-preview[bot]", "27856297+dependabot-preview[bot]@users.noreply.github.com")),
				bot("Renovate Bot", "bot@renovateapp.com",
					id("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com"),
					id("Renovate Bot", "bot@renovateapp.com")),
				bot("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com",
					id("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")),
				bot("GitHub Actions", "action@github.com", id("GitHub Actions", "action@github.com")),
				bot("GitHub", "noreply@github.com", id("GitHub", "noreply@github.com")),
				bot("snyk-bot", "snyk-bot@snyk.io", id("snyk-bot", "snyk-bot@snyk.io")),
				bot("Greenkeeper", "support@greenkeeper.io", id("Greenkeeper", "support@greenkeeper.io")),
				bot("Jenkins", "jenkins@ci.acme.io", id("Jenkins", "jenkins@ci.acme.io")),
				bot("gitlab-ci", "ci@gitlab.acme.io", id("gitlab-ci", "ci@gitlab.acme.io")),
				bot("Release Bot", "releases@acme.io", id("Release Bot", "releases@acme.io")),
			},
		},
		{
			name: "a bot never merges with a human, even on the same email or name",
			in: []catalog.IdentityCount{
				ic("Jane Doe", "jane@acme.io", 5),
				ic("dependabot", "jane@acme.io", 1),
				ic("Jane Doe", "jenkins@acme.io", 1),
				ic("jane", "jane@users.noreply.github.com", 1),
				ic("jane[bot]", "1+jane[bot]@users.noreply.github.com", 1),
			},
			want: []catalog.Person{
				human("Jane Doe", "jane@acme.io", id("Jane Doe", "jane@acme.io")),
				human("jane", "jane@users.noreply.github.com", id("jane", "jane@users.noreply.github.com")),
				bot("dependabot", "jane@acme.io", id("dependabot", "jane@acme.io")),
				bot("Jane Doe", "jenkins@acme.io", id("Jane Doe", "jenkins@acme.io")),
				bot("jane[bot]", "1+jane[bot]@users.noreply.github.com", id("jane[bot]", "1+jane[bot]@users.noreply.github.com")),
			},
		},
		{
			name: "people who only look like bots are people",
			in: []catalog.IdentityCount{
				ic("Travis Scott", "travis@acme.io", 1),
				ic("Ann Abbot", "ann@abbot.io", 1),
				ic("Robert Talbot", "bob@acme.io", 1),
			},
			want: []catalog.Person{
				human("Travis Scott", "travis@acme.io", id("Travis Scott", "travis@acme.io")),
				human("Ann Abbot", "ann@abbot.io", id("Ann Abbot", "ann@abbot.io")),
				human("Robert Talbot", "bob@acme.io", id("Robert Talbot", "bob@acme.io")),
			},
		},
		{
			name: "merging is transitive",
			in: []catalog.IdentityCount{
				ic("Jane Doe", "jane@acme.io", 1),
				ic("J. Doe", "jane@acme.io", 1),
				ic("J Doe", "jd@home.net", 1),
				ic("jd", "jd@home.net", 1),
			},
			want: []catalog.Person{
				human("J Doe", "jane@acme.io", id("J. Doe", "jane@acme.io"), id("Jane Doe", "jane@acme.io"), id("J Doe", "jd@home.net"), id("jd", "jd@home.net")),
			},
		},
		{
			name: "repeated identities are one, their commits summed",
			in: []catalog.IdentityCount{
				ic("ann lee", "ann@acme.io", 3),
				ic("Ann Lee", "ann@acme.io", 5),
				ic("ann lee", "ann@acme.io", 3),
			},
			want: []catalog.Person{
				human("ann lee", "ann@acme.io", id("Ann Lee", "ann@acme.io"), id("ann lee", "ann@acme.io")),
			},
		},
		{
			name: "ties go to the first in byte order",
			in: []catalog.IdentityCount{
				ic("bo ek", "bo@a.io", 2),
				ic("Bo Ek", "bo@b.io", 2),
			},
			want: []catalog.Person{
				human("Bo Ek", "bo@a.io", id("bo ek", "bo@a.io"), id("Bo Ek", "bo@b.io")),
			},
		},
		{
			name: "an empty name is primary only when there is no other",
			in: []catalog.IdentityCount{
				ic("", "kai@acme.io", 50),
				ic("Kai Moe", "kai@acme.io", 1),
			},
			want: []catalog.Person{
				human("Kai Moe", "kai@acme.io", id("", "kai@acme.io"), id("Kai Moe", "kai@acme.io")),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Merge(tt.in)
			if diff := cmp.Diff(tt.want, got, comparePeople); diff != "" {
				t.Errorf("Merge (-want +got):\n%s", diff)
			}
			checkIDs(t, got)
		})
	}
}

var idPattern = regexp.MustCompile(`^[0-9a-f]{16}(-[0-9]+)?$`)

// checkIDs checks the ID contract: URL-safe, unique, sorted, derived from the
// primary identity.
func checkIDs(t *testing.T, people []catalog.Person) {
	t.Helper()
	for i, p := range people {
		if !idPattern.MatchString(p.ID) {
			t.Errorf("ID %q of %s is not 16 hex digits", p.ID, p.Name)
		}
		if i > 0 && people[i-1].ID >= p.ID {
			t.Errorf("IDs out of order or repeated: %q then %q", people[i-1].ID, p.ID)
		}
		if want := PersonID(id(p.Name, p.Email), p.Bot); !strings.HasPrefix(p.ID, want) {
			t.Errorf("ID of %s <%s> = %q, want PersonID %q", p.Name, p.Email, p.ID, want)
		}
	}
}

func TestPersonID(t *testing.T) {
	a := PersonID(id("Jane Doe", "Jane@Acme.io"), false)
	if b := PersonID(id("J. Doe", " jane@acme.io"), false); a != b {
		t.Errorf("the same primary email gave IDs %q and %q", a, b)
	}
	if b := PersonID(id("Jane Doe", "jane@acme.io"), true); a == b {
		t.Errorf("a bot and a human with the same email share the ID %q", a)
	}
	if x, y := PersonID(id("Alice Smith", "none@none"), false), PersonID(id("Bob Jones", "none@none"), false); x == y {
		t.Errorf("two people with a placeholder email share the ID %q", x)
	}
	// Stable across releases: IDs are stored and appear in URLs. This is
	// the first 16 hex digits of sha256("email:jane@acme.io").
	if want := "06681224de83ab7a"; a != want {
		t.Errorf("PersonID = %q, want %q", a, want)
	}
}

func TestMergeIsDeterministic(t *testing.T) {
	in := synthetic(5000)
	want := Merge(in)
	rng := rand.New(rand.NewPCG(3, 4))
	for range 3 {
		shuffled := append([]catalog.IdentityCount(nil), in...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if diff := cmp.Diff(want, Merge(shuffled)); diff != "" {
			t.Fatalf("Merge depends on input order (-first +shuffled):\n%s", diff)
		}
	}
	checkIDs(t, want)
}

func TestMergeAddingAMinorIdentityKeepsTheID(t *testing.T) {
	base := []catalog.IdentityCount{ic("Jane Doe", "jane@acme.io", 10)}
	more := append(base, ic("Jane Doe", "jane@home.net", 2), ic("jdoe", "jane@acme.io", 1))
	a, b := Merge(base), Merge(more)
	if len(a) != 1 || len(b) != 1 || a[0].ID != b[0].ID {
		t.Errorf("IDs changed: %v then %v", a, b)
	}
}

func TestNormalizeName(t *testing.T) {
	tests := map[string]string{
		"Jane Q. Doe":        "jane q doe",
		"  JANE\tQ\n DOE  ":  "jane q doe",
		"José Núñez":         "jose nunez",
		"Łukasz Żółw":        "lukasz zolw",
		"Strauß":             "strauss",
		"Ærøskøbing":         "aeroskobing",
		"O'Brien, Seán":      "obrien sean",
		"jean-luc_picard":    "jean luc picard",
		"dependabot[bot]":    "dependabot bot",
		"İlker":              "ilker",
		"王小明":                "王小明",
		"Ｆｕｌｌｗｉｄｔｈ":          "fullwidth",
		"...":                "",
		"J.R.R. Tolkien":     "jrr tolkien",
		"Renée (work)":       "renee work",
		"Zoë\u00a0Saldaña":   "zoe saldana",
		"\xffbroken\xfename": "broken name",
	}
	for in, want := range tests {
		if got := normalizeName(in); got != want {
			t.Errorf("normalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

// synthetic returns about n identities of n/3 people, as an estate would
// hold them: several emails per person (work, home, GitHub noreply), the
// name spelled a few ways, some placeholders and some bots.
func synthetic(n int) []catalog.IdentityCount {
	rng := rand.New(rand.NewPCG(1, 2))
	first := []string{"Jane", "John", "José", "Łukasz", "Aoife", "Wei", "Priya", "Ólafur", "Anna", "Mohammed", "Sofia", "Kenji"}
	last := []string{"Doe", "Smith", "Núñez", "Kowalski", "O'Brien", "Zhang", "Patel", "Sigurðsson", "Müller", "Haddad", "Rossi", "Tanaka"}
	out := make([]catalog.IdentityCount, 0, n)
	for p := 0; len(out) < n; p++ {
		name := fmt.Sprintf("%s %s %d", first[rng.IntN(len(first))], last[rng.IntN(len(last))], p)
		login := fmt.Sprintf("user%d", p)
		switch rng.IntN(20) {
		case 0:
			out = append(out, ic(fmt.Sprintf("build-bot-%d[bot]", p), fmt.Sprintf("%d+build-bot-%d[bot]@users.noreply.github.com", p, p), 1+rng.IntN(100)))
			continue
		case 1:
			out = append(out, ic(name, "none@none", 1+rng.IntN(5)))
			continue
		}
		out = append(out, ic(name, fmt.Sprintf("%s@acme.io", login), 1+rng.IntN(500)))
		if rng.IntN(2) == 0 {
			out = append(out, ic(strings.ToLower(name), fmt.Sprintf("%s@home.net", login), 1+rng.IntN(50)))
		}
		if rng.IntN(3) == 0 {
			out = append(out, ic(login, fmt.Sprintf("%d+%s@users.noreply.github.com", p, login), 1+rng.IntN(50)))
		}
		if rng.IntN(4) == 0 {
			out = append(out, ic(strings.ReplaceAll(name, " ", ". "), fmt.Sprintf("%s@old.acme.io", login), 1+rng.IntN(50)))
		}
	}
	return out
}

// BenchmarkMerge merges 100,000 identities.
func BenchmarkMerge(b *testing.B) {
	in := synthetic(100_000)
	b.ReportAllocs()
	var people int
	for b.Loop() {
		people = len(Merge(in))
	}
	b.ReportMetric(float64(people), "people")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(in)), "ns/identity")
}

// FuzzMerge checks Merge's invariants on arbitrary names and emails: every
// identity lands in exactly one person, bots and humans stay apart, IDs are
// unique.
func FuzzMerge(f *testing.F) {
	f.Add("Jane Doe", "jane@acme.io", "J. Doe", "1+jane@users.noreply.github.com", "jane", "JANE@acme.io")
	f.Add("dependabot[bot]", "1+dependabot[bot]@users.noreply.github.com", "", "", "root", "none@none")
	f.Add("José", "x@y", "Jose", "x@y", "\xff", "\x00@\x00")
	f.Fuzz(func(t *testing.T, n1, e1, n2, e2, n3, e3 string) {
		in := []catalog.IdentityCount{ic(n1, e1, 1), ic(n2, e2, 2), ic(n3, e3, 3), ic(n1, e2, 1)}
		people := Merge(in)
		seen := map[catalog.Identity]int{}
		for _, p := range people {
			for _, i := range p.Identities {
				seen[i]++
				if e := normalizeEmail(i.Email); isBot(normalizeName(i.Name), e) != p.Bot {
					t.Errorf("%+v in a person with Bot=%v", i, p.Bot)
				}
			}
		}
		for _, c := range in {
			if seen[c.Identity] != 1 {
				t.Errorf("%+v appears %d times", c.Identity, seen[c.Identity])
			}
		}
		for i := 1; i < len(people); i++ {
			if people[i-1].ID >= people[i].ID {
				t.Errorf("IDs %q, %q not unique and sorted", people[i-1].ID, people[i].ID)
			}
		}
	})
}
