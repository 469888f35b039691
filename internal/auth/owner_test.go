package auth

import (
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
)

func TestOwns(t *testing.T) {
	jane := Claimant{
		Emails: []string{"Jane.Doe@Acme.example", "1234+janed@users.noreply.github.com"},
		Teams:  []string{"Payments"},
	}
	owners := func(claims ...string) []catalog.Owner {
		var out []catalog.Owner
		for _, c := range claims {
			out = append(out, catalog.Owner{Owner: c, Source: catalog.OwnerCodeowners})
		}
		return out
	}
	tests := []struct {
		name   string
		c      Claimant
		owners []catalog.Owner
		want   bool
	}{
		{"e-mail, any case", jane, owners("jane.doe@acme.example"), true},
		{"GitHub user from a no-reply address", jane, owners("@JaneD"), true},
		{"user by local part", jane, owners("user:default/jane.doe"), true},
		{"CODEOWNERS team", jane, owners("@acme/payments"), true},
		{"Backstage group", jane, owners("group:default/payments"), true},
		{"Backstage bare owner is a group", jane, owners("payments"), true},
		{"another team", jane, owners("@acme/search", "group:search"), false},
		{"another person", jane, owners("bob@acme.example", "@bob", "user:bob"), false},
		{"a team named like the user is not the user", jane, owners("group:janed"), false},
		{"unknown kind", jane, owners("component:payments", ""), false},
		{"no claims", jane, nil, false},
		{"nobody", Claimant{}, owners("payments", "@x"), false},
	}
	for _, tt := range tests {
		if got := Owns(tt.c, tt.owners); got != tt.want {
			t.Errorf("%s: Owns = %v, want %v", tt.name, got, tt.want)
		}
		// The keys answer the same: some claim key is among the claimant's.
		keys := map[string]bool{}
		for _, k := range ClaimantKeys(tt.c) {
			keys[k] = true
		}
		byKeys := false
		for _, o := range tt.owners {
			if k := ClaimKey(o.Owner); k != "" && keys[k] {
				byKeys = true
			}
		}
		if byKeys != tt.want {
			t.Errorf("%s: by claim keys %v, want %v", tt.name, byKeys, tt.want)
		}
	}
	// EffectiveRole then makes an owning developer the project's maintainer.
	if r := EffectiveRole(catalog.RoleDeveloper, Owns(jane, owners("@acme/payments"))); r != catalog.RoleMaintainer {
		t.Errorf("owning developer's role = %s, want maintainer", r)
	}
	if r := EffectiveRole(catalog.RoleViewer, Owns(jane, owners("@acme/payments"))); r != catalog.RoleViewer {
		t.Errorf("owning viewer's role = %s, want viewer", r)
	}
}
