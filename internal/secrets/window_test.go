package secrets_test

import (
	"context"
	"encoding/base64"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ospo-project/ospo/internal/secrets"
)

// windowText is a long file whose every line holds keywords of many rules
// (so the keyword prefilter lets them all run), with secrets planted at
// every position relative to the scanner's windows: single-line ones of
// several rules, generic assignments whose value is on a later line,
// private keys of 30 lines (a rule that runs on the whole text), and
// base64-encoded tokens and keys (found only by decoding).
func windowText(r *rand.Rand, lines int) string {
	filler := []string{
		"\tkey := cfg.APIKey // token, secret, password, auth, access, credential",
		"\tif err := client.Auth(ctx, token); err != nil { return err }",
		"\tapi_version = \"v2\" # see the password policy",
		"",
		"func accessKey() string { return os.Getenv(\"SECRET_KEY\") }",
	}
	privateKey := func() string {
		var b strings.Builder
		b.WriteString("-----BEGIN " + "RSA PRIVATE KEY-----\n")
		for range 28 {
			b.WriteString(pick(r, alnum+"+/", 64) + "\n")
		}
		b.WriteString(pick(r, alnum+"+/", 20) + "==\n-----END " + "RSA PRIVATE KEY-----")
		return b.String()
	}
	var plants []func() string
	for _, k := range kinds {
		plants = append(plants, func() string { return k.gen(r) })
	}
	plants = append(plants,
		func() string { return "client_secret =\n\n  \"" + pick(r, alnum, 32) + "\"" },
		func() string { return "api_token:\n\"" + pick(r, alnum, 40) + "\"" },
		privateKey,
		func() string {
			return "blob = \"" + base64.StdEncoding.EncodeToString([]byte("ghp_"+pick(r, alnum, 36))) + "\""
		},
		func() string {
			return "PEM_B64=" + base64.StdEncoding.EncodeToString([]byte(privateKey()))
		},
	)
	var b strings.Builder
	for n, i := 0, 0; n < lines; i++ {
		// Plants of varying length every seventh line or so start at every
		// offset of a window over the text.
		if i%7 == 5 {
			p := plants[r.IntN(len(plants))]()
			b.WriteString(p + "\n")
			n += strings.Count(p, "\n") + 1
			continue
		}
		b.WriteString(filler[r.IntN(len(filler))] + "\n")
		n++
	}
	return b.String()
}

// The windowed scanner finds exactly what running every rule on the whole
// text finds (the gitleaks CLI's way), wherever the secrets fall.
func TestWindowsAgreeWithWholeText(t *testing.T) {
	windowed := newScanner(t, secrets.Config{InternalHosts: []string{"corp.example.com"}})
	whole, err := secrets.NewUnwindowed(secrets.Config{InternalHosts: []string{"corp.example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		seed  uint64
		lines int
	}{
		{"short", 1, 20},
		{"one window and its overlap", 2, 48},
		{"one line more", 3, 49},
		{"long", 4, 1500},
		{"long, other secrets", 5, 1500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := windowText(rand.New(rand.NewPCG(tc.seed, 14)), tc.lines)
			want := whole.ScanText(context.Background(), "app/main.go", text)
			got := windowed.ScanText(context.Background(), "app/main.go", text)
			sortFindings(want)
			sortFindings(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("windowed findings (-whole text +windowed):\n%s", diff)
			}
			if tc.lines >= 1500 {
				rules := map[string]bool{}
				for _, f := range got {
					rules[f.RuleID] = true
				}
				t.Logf("%d findings: %v", len(got), rules)
				for _, r := range []string{"private-key", "github-pat", "generic-api-key", "aws-access-token"} {
					if !rules[r] {
						t.Errorf("no %s finding: the text does not exercise it (rules found: %v)", r, rules)
					}
				}
			}
		})
	}
}

func sortFindings(fs []secrets.Finding) {
	sort.Slice(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		return a.Hash < b.Hash
	})
}

func TestNewlineSpan(t *testing.T) {
	const unbounded = 1<<31 - 1
	for _, tc := range []struct {
		expr string
		want int
	}{
		{`AKIA[A-Z2-7]{16}`, 0},
		{`(?i)key\s*=\s*"x"`, unbounded},
		{`key[\s'"]{0,3}=[\s]{0,5}x`, 8},
		{`a\nb`, 1},
		{`(?s:.){0,200}`, 200},
		{`.{0,200}`, 0},
		{`(?:a|\n\n)c`, 2},
		{`x(?:[\r\n]{1,2}.*){1,5}`, 10},
		{`[\s\S-]{64,}?`, unbounded},
		{`(unclosed`, unbounded},
	} {
		if got := secrets.NewlineSpan(tc.expr); got != tc.want {
			t.Errorf("NewlineSpan(%q) = %d, want %d", tc.expr, got, tc.want)
		}
	}
}
