package query

import (
	"errors"
	"testing"
)

func TestParseConstraint(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"<2.17.1", "<2.17.1"},
		{"< 2.17.1", "<2.17.1"},
		{"2.17.1", "=2.17.1"},
		{"==2.17.1", "=2.17.1"},
		{">=2.0.0,<2.17.1", ">=2.0.0, <2.17.1"},
		{">=2.0.0 <2.17.1", ">=2.0.0, <2.17.1"},
		{" >= 2.0 , < 2.3.2 || >=2.4 <2.12.4||>=2.13,<2.17.1 ", ">=2.0, <2.3.2 || >=2.4, <2.12.4 || >=2.13, <2.17.1"},
		{"!=1.0", "!=1.0"},
		{"v1.2.3", "=v1.2.3"},
	}
	for _, tt := range tests {
		c, err := ParseConstraint(tt.in)
		if err != nil {
			t.Errorf("ParseConstraint(%q): %v", tt.in, err)
			continue
		}
		if got := c.String(); got != tt.want {
			t.Errorf("ParseConstraint(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"", "  ", "<", ">=1.0 ||", "|| 1.0", "^1.2.0", "~> 1.0", "[1.0,2.0)", "=>1.0", "<<1", "1.0 >=", "~=1.4", "===1.0", "*"} {
		if c, err := ParseConstraint(bad); err == nil {
			t.Errorf("ParseConstraint(%q) = %q, want an error", bad, c)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		ecosystem, constraint, version string
		want                           bool
	}{
		// log4j-core < 2.17.1 (CVE-2021-44832), with the backports that fixed it.
		{"Maven", "<2.17.1", "2.17.0", true},
		{"Maven", "<2.17.1", "2.17.1", false},
		{"Maven", "<2.17.1", "2.17.2", false},
		{"Maven", "<2.17.1", "2.3.2", true},
		{"Maven", "<2.17.1", "2.12.4", true},
		{"Maven", "<2.17.1", "2.9.1", true}, // numeric, not lexical: 9 < 17
		{"Maven", ">=2.13.0, <2.17.1 || >=2.4, <2.12.4 || <2.3.2", "2.12.4", false},
		{"Maven", ">=2.13.0, <2.17.1 || >=2.4, <2.12.4 || <2.3.2", "2.3.2", false},
		{"Maven", ">=2.13.0, <2.17.1 || >=2.4, <2.12.4 || <2.3.2", "2.12.3", true},
		{"Maven", ">=2.13.0, <2.17.1 || >=2.4, <2.12.4 || <2.3.2", "2.16.0", true},
		{"maven", "<1.0", "1.0-SNAPSHOT", true},
		{"Maven", "<1.0", "1.0-rc1", true},
		{"Maven", "=1.0", "1.0.0", true}, // trailing zeros are insignificant
		{"Maven", "<1.0", "1.0-sp1", false},
		{"Maven", ">1.0.RELEASE", "1.0.0", false}, // "release" is the empty qualifier
		// PEP 440.
		{"PyPI", "<1.0", "1.0rc1", true},
		{"PyPI", "<1.0", "1.0a1", true},
		{"PyPI", "<1.0", "1.0.dev1", true},
		{"PyPI", ">1.0", "1.0.post1", true},
		{"PyPI", "==1.0", "1.0.0", true},
		{"pypi", "<2.0", "1!1.0", false}, // epoch 1 sorts after every epoch-0 version
		{"PyPI", "<1!1.0", "2.0", true},
		{"PyPI", ">=2.31.0", "2.4.0", false},
		// npm SemVer.
		{"npm", "<1.0.0", "1.0.0-beta", true},
		{"npm", "<1.0.0-beta.2", "1.0.0-beta.11", false},
		{"npm", "<4.17.21", "4.17.20", true},
		{"npm", "<4.17.21", "4.17.21", false},
		{"npm", "=1.0.0", "1.0.0+build.5", true}, // build metadata does not count
		// Go, pseudo-versions and +incompatible.
		{"Go", "<v0.0.1", "v0.0.0-20200101000000-abcdefabcdef", true},
		{"Go", "<v1.2.0", "v1.2.0-0.20210101000000-abcdefabcdef", true},
		{"Go", ">v1.1.0", "v1.2.0-0.20210101000000-abcdefabcdef", true},
		{"Go", "<v0.0.0-20210101000000-abcdefabcdef", "v0.0.0-20200101000000-abcdefabcdef", true},
		{"Go", ">=v2.0.0", "v2.0.0+incompatible", true},
		{"Go", "<1.5.0", "v1.4.0", true}, // a leading v on either side or none
		{"Go", "<v0.37.0", "v0.36.0", true},
		{"Go", "<v0.37.0", "v0.100.0", false},
		// RubyGems.
		{"RubyGems", "<1.0.0", "1.0.0.pre", true},
		{"RubyGems", "<1.0.0", "1.0.0.rc1", true},
		{"RubyGems", ">1.0.0", "1.0.0.1", true},
		{"RubyGems", "<7.0.8.1", "7.0.8", true},
		// NuGet, Packagist, crates.io, Pub.
		{"NuGet", "<13.0.1", "13.0.1-beta1", true},
		{"NuGet", "=1.0", "1.0.0.0", true},
		{"Packagist", "<2.0", "2.0-RC1", true},
		{"Packagist", ">=5.4.0", "v5.4.1", true},
		{"crates.io", "<1.0.0", "0.99.99", true},
		{"crates.io", "<0.10.0", "0.9.7", true},
		{"Pub", "<2.0.0", "2.0.0-dev.1", true},
		// != and alternatives.
		{"npm", "!=1.2.3", "1.2.3", false},
		{"npm", "!=1.2.3", "1.2.4", true},
		{"npm", "1.2.3 || 1.2.5", "1.2.5", true},
		{"npm", "1.2.3 || 1.2.5", "1.2.4", false},
	}
	for _, tt := range tests {
		c, err := ParseConstraint(tt.constraint)
		if err != nil {
			t.Fatalf("ParseConstraint(%q): %v", tt.constraint, err)
		}
		got, err := c.Match(tt.ecosystem, tt.version)
		if err != nil {
			t.Errorf("%s %q Match(%q): %v", tt.ecosystem, tt.constraint, tt.version, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s %q Match(%q) = %v, want %v", tt.ecosystem, tt.constraint, tt.version, got, tt.want)
		}
	}
}

func TestMatchErrors(t *testing.T) {
	c, err := ParseConstraint("<2.0")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ecosystem, version string
		err                error // nil: any error
	}{
		{"npm", "^1.2.0", ErrRange},
		{"npm", "~1.2.0", ErrRange},
		{"npm", "1.x", ErrRange},
		{"npm", "*", ErrRange},
		{"npm", "latest", ErrRange},
		{"npm", "npm:other@1.0.0", ErrRange},
		{"npm", ">=1.0.0 <2.0.0", ErrRange},
		{"PyPI", ">=2.0,<3", ErrRange},
		{"PyPI", "~=1.4", ErrRange},
		{"RubyGems", "~> 1.0", ErrRange},
		{"Maven", "[1.0,2.0)", ErrRange},
		{"crates.io", "^0.9", ErrRange},
		{"Go", "", ErrRange},
		{"GitHub Actions", "v4", ErrUnsupportedEcosystem},
		{"", "1.0", ErrUnsupportedEcosystem},
		{"CRAN", "1.0-beta", nil},
	}
	for _, tt := range tests {
		got, err := c.Match(tt.ecosystem, tt.version)
		if err == nil {
			t.Errorf("Match(%q, %q) = %v, want an error", tt.ecosystem, tt.version, got)
			continue
		}
		if tt.err != nil && !errors.Is(err, tt.err) {
			t.Errorf("Match(%q, %q) error = %v, want %v", tt.ecosystem, tt.version, err, tt.err)
		}
	}
	// A constraint version the ecosystem rejects is an error too.
	bad, err := ParseConstraint("<not-a-version")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.Match("CRAN", "1.0-1"); err == nil {
		t.Error("Match with a constraint version CRAN rejects succeeded")
	}
	var zero Constraint
	if ok, err := zero.Match("npm", "1.0.0"); ok || err != nil {
		t.Errorf("zero Constraint Match = %v, %v, want false, nil", ok, err)
	}
}
