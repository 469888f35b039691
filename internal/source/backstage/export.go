package backstage

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ospo-project/ospo/internal/catalog"
)

// Catalogue is what Export reads: values from the store.
type Catalogue struct {
	// Projects are the scanned projects (as ListProjects returns them).
	Projects []catalog.Project
	// Dependencies are the direct dependencies by project ID.
	Dependencies map[int64][]catalog.Dependency
	// People are the people of the catalogue (bots are left out).
	People []catalog.Person
	// Repos are what forges say about the projects (archived ones are
	// exported as deprecated), matched by ProjectKey.
	Repos []catalog.ForgeRepo
	// Imported are entities sources brought. A Component linked to a
	// project lends it its name, type, lifecycle, owner and system; a User
	// with a person's e-mail lends them its groups; APIs are exported as
	// they came, and Systems lend their owner and domain.
	Imported []catalog.Entity
}

// Export turns the catalogue into Backstage entities: one Component per
// project, a System per system named, a Group per owning team, a User per
// person with an e-mail, and the APIs imported from Backstage, each with
// its relations. The result is sorted by kind then name, so the same
// catalogue always gives the same document.
//
// Owners are read as ospo records them (catalog-info spec.owner first, then
// innersource.json, then the CODEOWNERS owners of the whole tree):
// "@org/team" becomes group team, "user:x" and e-mails become users, any
// other name a group. A project without an owner is owned by group
// "unowned". A Component depends on another when one of its direct
// dependencies is the other: a Go module under the other's repository
// path, or a package of another ecosystem named like exactly one project.
func Export(c Catalogue) []Entity {
	x := exporter{
		groups:  map[string]*Entity{},
		users:   map[string]*Entity{},
		systems: map[string]*Entity{},
		names:   map[string]bool{},
	}
	imported := map[string]catalog.Entity{} // by project key, Components only
	importedUsers := map[string]catalog.Entity{}
	importedSystems := map[string]catalog.Entity{}
	type apiEntity struct {
		ent Entity
		imp catalog.Entity
	}
	var apiAPIs []apiEntity
	for _, e := range c.Imported {
		switch {
		case strings.EqualFold(e.Kind, KindComponent) && e.ProjectKey != "":
			imported[e.ProjectKey] = e
		case strings.EqualFold(e.Kind, KindUser) && e.Email != "":
			importedUsers[strings.ToLower(e.Email)] = e
		case strings.EqualFold(e.Kind, KindSystem):
			importedSystems[strings.ToLower(e.Name)] = e
		case strings.EqualFold(e.Kind, KindAPI):
			if api, ok := passThrough(e); ok {
				apiAPIs = append(apiAPIs, apiEntity{api, e})
			}
		}
	}
	archived := map[string]bool{}
	for _, r := range c.Repos {
		if r.Archived {
			archived[r.ProjectKey] = true
		}
	}

	projects := slices.Clone(c.Projects)
	slices.SortFunc(projects, func(a, b catalog.Project) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Key, b.Key)) })
	comps := make([]*Entity, len(projects))
	compName := map[int64]string{}
	for i, p := range projects {
		name := x.uniqueName(p)
		compName[p.ID] = name
		imp, hasImp := imported[p.Key]
		spec := &ComponentSpec{Type: "service", Lifecycle: cmp.Or(p.Lifecycle, "production"), System: p.System}
		if hasImp {
			spec.Type = cmp.Or(imp.Type, spec.Type)
			spec.Lifecycle = cmp.Or(imp.Lifecycle, spec.Lifecycle)
			spec.System = cmp.Or(imp.System, spec.System)
		}
		if archived[p.Key] {
			spec.Lifecycle = "deprecated"
		}
		owner := ownerRef(p.Owners)
		if hasImp && imp.Owner != "" {
			owner = ParseRef(imp.Owner, KindGroup)
		}
		spec.Owner = owner.String()
		ent := &Entity{APIVersion: APIVersion, Kind: KindComponent, Spec: spec,
			Metadata: Metadata{Name: name, Namespace: "default", Description: p.Description, Tags: tags(p.Topics),
				Annotations: map[string]string{AnnotationProjectKey: p.Key}}}
		if loc := sourceLocation(p); loc != "" {
			ent.Metadata.Annotations[AnnotationSourceLocation] = "url:" + loc
			ent.Metadata.Links = []Link{{URL: loc, Title: "Repository"}}
		}
		if slug, ok := strings.CutPrefix(p.Key, "github.com/"); ok && strings.Count(slug, "/") == 1 {
			ent.Metadata.Annotations[AnnotationProjectSlug] = slug
		}
		ent.Relations = append(ent.Relations, Relation{Type: RelOwnedBy, Target: owner})
		x.noteOwner(owner)
		if spec.System != "" {
			sys := ParseRef(spec.System, KindSystem)
			sys.Name = Name(sys.Name)
			spec.System = sys.Name
			ent.Relations = append(ent.Relations, Relation{Type: RelPartOf, Target: sys})
			x.noteSystem(sys, owner, importedSystems[strings.ToLower(sys.Name)])
		}
		comps[i] = ent
	}

	// dependsOn between components.
	byName := map[string][]int64{}
	for _, p := range projects {
		byName[strings.ToLower(p.Name)] = append(byName[strings.ToLower(p.Name)], p.ID)
	}
	for i, p := range projects {
		seen := map[string]bool{}
		for _, d := range c.Dependencies[p.ID] {
			target := dependencyProject(d, projects, byName)
			if target == 0 || target == p.ID || seen[compName[target]] {
				continue
			}
			seen[compName[target]] = true
			ref := Ref{Kind: "component", Namespace: "default", Name: compName[target]}
			spec := comps[i].Spec.(*ComponentSpec)
			spec.DependsOn = append(spec.DependsOn, ref.String())
			comps[i].Relations = append(comps[i].Relations, Relation{Type: RelDependsOn, Target: ref})
		}
		slices.Sort(comps[i].Spec.(*ComponentSpec).DependsOn)
	}

	var apis []Entity
	for _, a := range apiAPIs {
		if a.imp.Owner != "" {
			owner := ParseRef(a.imp.Owner, KindGroup)
			a.ent.Relations = append(a.ent.Relations, Relation{Type: RelOwnedBy, Target: owner})
			x.noteOwner(owner)
		}
		if a.imp.System != "" {
			a.ent.Relations = append(a.ent.Relations, Relation{Type: RelPartOf, Target: ParseRef(a.imp.System, KindSystem)})
		}
		apis = append(apis, a.ent)
	}

	for _, person := range c.People {
		if person.Bot || person.Email == "" {
			continue
		}
		x.addUser(person, importedUsers[strings.ToLower(person.Email)])
	}

	var out []Entity
	for _, e := range comps {
		out = append(out, *e)
	}
	for _, m := range []map[string]*Entity{x.systems, x.groups, x.users} {
		for _, e := range m {
			out = append(out, *e)
		}
	}
	out = append(out, apis...)
	order := map[string]int{KindComponent: 0, KindSystem: 1, KindAPI: 2, KindGroup: 3, KindUser: 4}
	slices.SortStableFunc(out, func(a, b Entity) int {
		return cmp.Or(cmp.Compare(order[a.Kind], order[b.Kind]), cmp.Compare(a.Metadata.Namespace, b.Metadata.Namespace),
			cmp.Compare(a.Metadata.Name, b.Metadata.Name))
	})
	for i := range out {
		slices.SortStableFunc(out[i].Relations, func(a, b Relation) int {
			return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Target.String(), b.Target.String()))
		})
	}
	return out
}

type exporter struct {
	groups, users, systems map[string]*Entity
	names                  map[string]bool // component names taken
}

// uniqueName returns a component name for p not taken yet: its name, then
// owner-name from its key, then name-ID.
func (x *exporter) uniqueName(p catalog.Project) string {
	candidates := []string{Name(p.Name)}
	if parts := strings.Split(strings.Trim(p.Key, "/"), "/"); len(parts) >= 2 {
		candidates = append(candidates, Name(parts[len(parts)-2]+"-"+parts[len(parts)-1]))
	}
	candidates = append(candidates, Name(p.Name+"-"+strconv.FormatInt(p.ID, 10)))
	for _, c := range candidates {
		if !x.names[strings.ToLower(c)] {
			x.names[strings.ToLower(c)] = true
			return c
		}
	}
	for i := 2; ; i++ {
		c := Name(fmt.Sprintf("%s-%d", candidates[0], i))
		if !x.names[strings.ToLower(c)] {
			x.names[strings.ToLower(c)] = true
			return c
		}
	}
}

func (x *exporter) noteOwner(r Ref) {
	switch strings.ToLower(r.Kind) {
	case "group":
		x.group(r.Name)
	case "user":
		if _, ok := x.users[strings.ToLower(r.Name)]; !ok {
			x.users[strings.ToLower(r.Name)] = &Entity{APIVersion: APIVersion, Kind: KindUser,
				Metadata: Metadata{Name: r.Name, Namespace: "default"}, Spec: &UserSpec{MemberOf: []string{}}}
		}
	}
}

func (x *exporter) group(name string) *Entity {
	if g, ok := x.groups[strings.ToLower(name)]; ok {
		return g
	}
	g := &Entity{APIVersion: APIVersion, Kind: KindGroup, Metadata: Metadata{Name: name, Namespace: "default"},
		Spec: &GroupSpec{Type: "team", Children: []string{}}}
	x.groups[strings.ToLower(name)] = g
	return g
}

func (x *exporter) noteSystem(r Ref, owner Ref, imp catalog.Entity) {
	if _, ok := x.systems[strings.ToLower(r.Name)]; ok {
		return
	}
	spec := &SystemSpec{Owner: owner.String()}
	if imp.Owner != "" {
		o := ParseRef(imp.Owner, KindGroup)
		spec.Owner = o.String()
		owner = o
		x.noteOwner(o)
	}
	if imp.Document != "" {
		var doc struct {
			Spec struct {
				Domain string `json:"domain"`
			} `json:"spec"`
		}
		if json.Unmarshal([]byte(imp.Document), &doc) == nil {
			spec.Domain = doc.Spec.Domain
		}
	}
	x.systems[strings.ToLower(r.Name)] = &Entity{APIVersion: APIVersion, Kind: KindSystem,
		Metadata:  Metadata{Name: r.Name, Namespace: "default", Title: imp.Title, Description: imp.Description},
		Spec:      spec,
		Relations: []Relation{{Type: RelOwnedBy, Target: owner}}}
}

func (x *exporter) addUser(p catalog.Person, imp catalog.Entity) {
	local, _, _ := strings.Cut(p.Email, "@")
	name := Name(local)
	if imp.Name != "" {
		name = imp.Name
	}
	key := strings.ToLower(name)
	if u, ok := x.users[key]; ok {
		if spec := u.Spec.(*UserSpec); spec.Profile != nil {
			return // another person already has this name: keep the first
		}
	}
	spec := &UserSpec{Profile: &Profile{DisplayName: p.Name, Email: p.Email}, MemberOf: []string{}}
	u := &Entity{APIVersion: APIVersion, Kind: KindUser, Metadata: Metadata{Name: name, Namespace: "default"}, Spec: spec}
	for _, g := range imp.MemberOf {
		r := ParseRef(g, KindGroup)
		x.group(r.Name)
		spec.MemberOf = append(spec.MemberOf, r.String())
		u.Relations = append(u.Relations, Relation{Type: RelMemberOf, Target: r})
	}
	x.users[key] = u
}

// ownerRef picks a project's owner from the claims ospo recorded.
func ownerRef(owners []catalog.Owner) Ref {
	pick := func(ok func(catalog.Owner) bool) string {
		for _, o := range owners {
			if ok(o) {
				return o.Owner
			}
		}
		return ""
	}
	o := cmp.Or(
		pick(func(o catalog.Owner) bool { return o.Source == catalog.OwnerCatalogInfo }),
		pick(func(o catalog.Owner) bool { return o.Source == catalog.OwnerInnerSource }),
		pick(func(o catalog.Owner) bool { return o.Pattern == "*" || o.Pattern == "/" || o.Pattern == "" }),
		pick(func(catalog.Owner) bool { return true }),
	)
	switch {
	case o == "":
		return Ref{Kind: "group", Namespace: "default", Name: "unowned"}
	case strings.HasPrefix(o, "@"):
		o = o[1:]
		if i := strings.LastIndexByte(o, '/'); i >= 0 {
			return Ref{Kind: "group", Namespace: "default", Name: Name(o[i+1:])}
		}
		return Ref{Kind: "user", Namespace: "default", Name: Name(o)}
	case strings.Contains(o, "@") && !strings.Contains(o, ":"):
		local, _, _ := strings.Cut(o, "@")
		return Ref{Kind: "user", Namespace: "default", Name: Name(local)}
	}
	r := ParseRef(o, KindGroup)
	r.Kind = strings.ToLower(r.Kind)
	if r.Kind != "user" {
		r.Kind = "group"
	}
	r.Namespace, r.Name = Name(r.Namespace), Name(r.Name)
	return r
}

// dependencyProject returns the ID of the project a dependency is, or 0.
func dependencyProject(d catalog.Dependency, projects []catalog.Project, byName map[string][]int64) int64 {
	if d.Ecosystem == "Go" {
		for _, p := range projects {
			if p.Key != "" && !strings.HasPrefix(p.Key, "path:") && (d.Name == p.Key || strings.HasPrefix(d.Name, p.Key+"/")) {
				return p.ID
			}
		}
		return 0
	}
	name := d.Name
	if i := strings.LastIndexAny(name, ":/"); i >= 0 && d.Ecosystem == "Maven" {
		name = name[i+1:]
	}
	if ids := byName[strings.ToLower(name)]; len(ids) == 1 {
		return ids[0]
	}
	return 0
}

// sourceLocation returns the web URL of a project's repository, or "".
func sourceLocation(p catalog.Project) string {
	if p.Key == "" || strings.HasPrefix(p.Key, "path:") {
		return ""
	}
	return "https://" + p.Key
}

// tags returns topics as Backstage tags: lower-case [a-z0-9:+#] words
// joined by '-', at most 63 characters; others are dropped.
func tags(topics []string) []string {
	var out []string
	for _, t := range topics {
		t = strings.ToLower(t)
		ok := t != "" && len(t) <= 63 && !strings.HasPrefix(t, "-") && !strings.HasSuffix(t, "-") && !strings.Contains(t, "--")
		for _, c := range t {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune(":+#-", c)) {
				ok = false
			}
		}
		if ok && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// passThrough returns an imported entity's document as an Entity.
func passThrough(e catalog.Entity) (Entity, bool) {
	var ent Entity
	if err := json.Unmarshal([]byte(e.Document), &ent); err != nil || ent.Kind == "" || ent.Metadata.Name == "" {
		return Entity{}, false
	}
	ent.Relations = nil // Backstage computes them; ours would be stale
	if ent.Metadata.Namespace == "" {
		ent.Metadata.Namespace = "default"
	}
	return ent, true
}

// WriteYAML writes entities as one YAML document each, separated by "---",
// the form a catalog-info.yaml or a Backstage location file takes.
func WriteYAML(w io.Writer, ents []Entity) error {
	var buf bytes.Buffer
	for i, e := range ents {
		if i > 0 {
			buf.WriteString("---\n")
		}
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("encode %s %s: %w", e.Kind, e.Metadata.Name, err)
		}
		enc.Close()
	}
	_, err := w.Write(buf.Bytes())
	return err
}
