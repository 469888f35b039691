package sqldb

import "testing"

func TestNameKey(t *testing.T) {
	tests := []struct{ eco, name, want string }{
		{"pypi", "Requests", "requests"},
		{"pypi", "python_dateutil", "python-dateutil"},
		{"pypi", "zope.interface", "zope-interface"},
		{"pypi", "A--B__C..D-_.e", "a-b-c-d-e"},
		{"pypi", "trailing_", "trailing-"},
		{"crates.io", "Serde_JSON", "serde-json"},
		{"maven", "org.Apache.Logging.Log4j:Log4j-Core", "org.apache.logging.log4j:log4j-core"},
		{"npm", "@Angular/Core", "@angular/core"},
		{"go", "github.com/Sirupsen/logrus", "github.com/sirupsen/logrus"},
		{"", "OpenSSL", "openssl"},
		{"npm", "ünï_Code", "ünï_code"},
	}
	for _, tt := range tests {
		if got := nameKey(tt.eco, tt.name); got != tt.want {
			t.Errorf("nameKey(%q, %q) = %q, want %q", tt.eco, tt.name, got, tt.want)
		}
	}
}

func TestKeysOf(t *testing.T) {
	tests := []struct {
		purl, eco, name string
		want            depKeys
	}{
		{"pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1?type=jar", "Maven", "org.apache.logging.log4j:log4j-core",
			depKeys{"pkg:maven/org.apache.logging.log4j/log4j-core", "maven", "org.apache.logging.log4j:log4j-core", "log4j-core"}},
		{"pkg:npm/%40angular/core@17.0.0", "npm", "@angular/core",
			depKeys{"pkg:npm/%40angular/core", "npm", "@angular/core", nil}},
		{"pkg:pypi/Zope_Interface@6.0", "", "",
			depKeys{"pkg:pypi/zope-interface", "pypi", "zope-interface", nil}},
		{"pkg:golang/github.com/spf13/cobra@v1.8.0#sub/dir", "", "",
			depKeys{"pkg:golang/github.com/spf13/cobra", "go", "github.com/spf13/cobra", nil}},
		{"pkg:githubactions/actions/checkout@v4", "", "",
			depKeys{"pkg:githubactions/actions/checkout", "github actions", "actions/checkout", nil}},
		{"", "RubyGems", "rails", depKeys{"pkg:gem/rails", "rubygems", "rails", nil}},
		{"", "GitHub Actions", "actions/checkout", depKeys{"pkg:githubactions/actions/checkout", "github actions", "actions/checkout", nil}},
		{"", "Maven", "g:a", depKeys{"pkg:maven/g/a", "maven", "g:a", "a"}},
		{"not a purl", "npm", "lodash", depKeys{"pkg:npm/lodash", "npm", "lodash", nil}},
		{"", "Unknown", "x", depKeys{"", "unknown", "x", nil}},
		{"pkg:generic/openssl@3.0.0", "", "", depKeys{"pkg:generic/openssl", "", "openssl", nil}},
	}
	for _, tt := range tests {
		if got := keysOf(tt.purl, tt.eco, tt.name); got != tt.want {
			t.Errorf("keysOf(%q, %q, %q) = %+v, want %+v", tt.purl, tt.eco, tt.name, got, tt.want)
		}
	}
}
