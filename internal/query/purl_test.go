package query

import "testing"

func TestSplitPURL(t *testing.T) {
	tests := []struct {
		in, pkg, version string
	}{
		{"pkg:golang/github.com/spf13/cobra@v1.8.0", "pkg:golang/github.com/spf13/cobra", "v1.8.0"},
		{"pkg:golang/github.com/spf13/cobra@1.8.0", "pkg:golang/github.com/spf13/cobra", "v1.8.0"},
		{"pkg:golang/stdlib@1.22.5", "pkg:golang/stdlib", "1.22.5"},
		{"pkg:golang/github.com/spf13/cobra", "pkg:golang/github.com/spf13/cobra", ""},
		{"pkg:npm/%40angular/core@17.0.0", "pkg:npm/%40angular/core", "17.0.0"},
		{"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar", "pkg:maven/org.apache.logging.log4j/log4j-core", "2.14.1"},
		{"pkg:npm/lodash@1.0.0", "pkg:npm/lodash", "1.0.0"},
		{"lodash", "lodash", ""},
		{"org.apache.logging.log4j:log4j-core", "org.apache.logging.log4j:log4j-core", ""},
		{"pkg:", "pkg:", ""}, // not a package URL: left for the store to reject
	}
	for _, tt := range tests {
		pkg, version := SplitPURL(tt.in)
		if pkg != tt.pkg || version != tt.version {
			t.Errorf("SplitPURL(%q) = %q, %q; want %q, %q", tt.in, pkg, version, tt.pkg, tt.version)
		}
	}
}
