// Package teams reads team membership from the sources that state it, as
// opposed to inferring it from commits and ownership: a teams.yaml file,
// and Backstage Group and User entities (catalog-info.yaml files with
// spec.members, spec.memberOf and spec.profile.email). Values in, values
// out: the caller stores what it returns (store.ReplaceMemberships).
package teams

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/ospo-project/ospo/internal/catalog"
)

// MaxFileSize caps a file read as a team source.
const MaxFileSize = 8 << 20

// maxDocuments caps the YAML documents read from one Backstage file.
const maxDocuments = 100_000

// File is the format of teams.yaml:
//
//	teams:
//	  payments:
//	    members: [ann@example.com, bob@example.com]
type File struct {
	Teams map[string]struct {
		Members []string `yaml:"members"`
	} `yaml:"teams"`
}

// ParseFile reads a teams.yaml and returns its memberships (source file),
// ordered by team then e-mail. A member that is not an e-mail address is an
// error naming it.
func ParseFile(content []byte) ([]catalog.Membership, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(content))
	dec.KnownFields(true)
	if err := decode(dec, &f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("teams.yaml: %w", err)
	}
	var out []catalog.Membership
	var errs []error
	for team, t := range f.Teams {
		team = strings.TrimSpace(team)
		if team == "" {
			errs = append(errs, errors.New("a team without a name"))
			continue
		}
		for _, m := range t.Members {
			email := strings.ToLower(strings.TrimSpace(m))
			if !strings.Contains(email, "@") {
				errs = append(errs, fmt.Errorf("team %s: member %q is not an e-mail address", team, m))
				continue
			}
			out = append(out, catalog.Membership{Team: team, Email: email, Source: catalog.MemberFile})
		}
	}
	sortMemberships(out)
	return out, errors.Join(errs...)
}

// decode decodes one document, turning a panic of the YAML library on
// hostile input into an error.
func decode(dec *yaml.Decoder, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: internal error: %v", r)
		}
	}()
	return dec.Decode(v)
}

func sortMemberships(ms []catalog.Membership) {
	slices.SortFunc(ms, func(a, b catalog.Membership) int {
		if c := strings.Compare(a.Team, b.Team); c != 0 {
			return c
		}
		return strings.Compare(a.Email, b.Email)
	})
}

// entity is the part of a Backstage Group or User entity read here.
type entity struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name      string `yaml:"name"`
		Namespace string `yaml:"namespace"`
	} `yaml:"metadata"`
	Spec struct {
		Members  []string `yaml:"members"`
		MemberOf []string `yaml:"memberOf"`
		Profile  struct {
			Email string `yaml:"email"`
		} `yaml:"profile"`
	} `yaml:"spec"`
}

// Backstage collects Group and User entities from catalog files and
// resolves them into memberships. The zero value is ready to use; Add each
// file, then call Memberships.
type Backstage struct {
	groups map[string][]string // group ref → member user refs
	users  map[string]entity   // user ref → entity
}

// ref normalises an entity reference: "user:default/ann", "default/ann",
// "ann" all become "default/ann" for the kind given.
func ref(kind, s, defaultNS string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if k, rest, ok := strings.Cut(s, ":"); ok && !strings.Contains(k, "/") {
		if k != kind {
			return ""
		}
		s = rest
	}
	if !strings.Contains(s, "/") {
		ns := defaultNS
		if ns == "" {
			ns = "default"
		}
		s = ns + "/" + s
	}
	return s
}

// Add reads the entities of one catalog file (several YAML documents);
// other kinds are skipped. It returns an error for documents it cannot
// parse; the ones before are kept.
func (b *Backstage) Add(content []byte) error {
	if b.groups == nil {
		b.groups, b.users = map[string][]string{}, map[string]entity{}
	}
	dec := yaml.NewDecoder(bytes.NewReader(content))
	for i := 0; i < maxDocuments; i++ {
		var e entity
		err := decode(dec, &e)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		ns := strings.ToLower(e.Metadata.Namespace)
		switch strings.ToLower(e.Kind) {
		case "group":
			g := ref("group", e.Metadata.Name, ns)
			for _, m := range e.Spec.Members {
				if u := ref("user", m, ns); u != "" {
					b.groups[g] = append(b.groups[g], u)
				}
			}
			if _, ok := b.groups[g]; !ok {
				b.groups[g] = nil
			}
		case "user":
			u := ref("user", e.Metadata.Name, ns)
			b.users[u] = e
			for _, g := range e.Spec.MemberOf {
				if gr := ref("group", g, ns); gr != "" {
					b.groups[gr] = append(b.groups[gr], u)
				}
			}
		}
	}
	return fmt.Errorf("more than %d documents", maxDocuments)
}

// Memberships returns the memberships (source backstage) of every user with
// an e-mail (spec.profile.email), teams named by the group's name (without
// the default namespace), ordered by team then e-mail. It also returns the
// user references it could not resolve to an e-mail, sorted.
func (b *Backstage) Memberships() (ms []catalog.Membership, unresolved []string) {
	seen := map[catalog.Membership]bool{}
	missing := map[string]bool{}
	for g, members := range b.groups {
		team := strings.TrimPrefix(g, "default/")
		for _, u := range members {
			e, ok := b.users[u]
			email := strings.ToLower(strings.TrimSpace(e.Spec.Profile.Email))
			if !ok || email == "" {
				missing[u] = true
				continue
			}
			m := catalog.Membership{Team: team, Email: email, Source: catalog.MemberBackstage}
			if !seen[m] {
				seen[m] = true
				ms = append(ms, m)
			}
		}
	}
	sortMemberships(ms)
	for u := range missing {
		unresolved = append(unresolved, u)
	}
	slices.Sort(unresolved)
	return ms, unresolved
}
