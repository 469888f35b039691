package secrets_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/viper"
	"github.com/zricethezav/gitleaks/v8/config"
)

// TestDecodeTOMLAsViper checks that gitleaks' config.DecodeTOML (the copy's
// replacement for viper, which is no longer linked into ospo) decodes
// gitleaks' default rules and rule files exactly as viper v1.19 did:
// viper.New, SetConfigType("toml"), ReadConfig, Unmarshal.
func TestDecodeTOMLAsViper(t *testing.T) {
	docs := map[string]string{
		"gitleaks' default rules": config.DefaultConfig,
		"firm rules with extend": `
[extend]
disabledRules = ["github-pat"]

[[rules]]
id = "acme-internal-token"
description = "ACME internal service token"
regex = '''acme_[a-z0-9]{24}'''
keywords = ["acme_"]
`,
		"mixed-case keys, int entropy, string keywords, tags": `
Title = "t"
MinVersion = "v8.0.0"
[[Rules]]
ID = "x"
Regex = '''x[0-9]+'''
Entropy = 3
SecretGroup = 1
Keywords = "a,b"
Tags = ["k", "L"]
[[Rules.Allowlists]]
Description = "skip tests"
Paths = ['''_test\.go$''']
Condition = "AND"
StopWords = ["example"]
RegexTarget = "line"
`,
		"empty tables and old allowlist": `
[allowlist]
[extend]
[[rules]]
id = "y"
path = '''\.pem$'''
[rules.allowlist]
regexes = ['''dummy''']
[[allowlists]]
targetRules = ["y"]
commits = ["abc"]
`,
		"dotted keys": `
"a.b" = 1
extend.useDefault = true
[[rules]]
id = "z"
regex = "z"
`,
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			v := viper.New()
			v.SetConfigType("toml")
			var want config.ViperConfig
			if err := v.ReadConfig(strings.NewReader(doc)); err != nil {
				t.Fatal(err)
			}
			if err := v.Unmarshal(&want); err != nil {
				t.Fatal(err)
			}
			var got config.ViperConfig
			if err := config.DecodeTOML(doc, &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmp.Exporter(func(reflect.Type) bool { return true })); diff != "" {
				t.Errorf("DecodeTOML differs from viper (-viper +DecodeTOML):\n%s", diff)
			}
			if len(want.Rules) == 0 {
				t.Errorf("no rules decoded: the document tests nothing")
			}
		})
	}
	var vc config.ViperConfig
	err := config.DecodeTOML("[[rules]\nid=", &vc)
	v := viper.New()
	v.SetConfigType("toml")
	verr := v.ReadConfig(strings.NewReader("[[rules]\nid="))
	if err == nil || verr == nil || err.Error() != verr.Error() {
		t.Errorf("syntax error %v, viper's %v", err, verr)
	}
}
