package gitrepo

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseConfigOriginURL(t *testing.T) {
	tests := []struct {
		name, config, want string
	}{
		{"plain", "[remote \"origin\"]\n\turl = https://h/o/r.git\n", "https://h/o/r.git"},
		{"key case-insensitive", "[Remote \"origin\"]\n\tURL = https://h/o/r\n", "https://h/o/r"},
		{"subsection case-sensitive", "[remote \"Origin\"]\n\turl = wrong\n[remote \"origin\"]\nurl=right\n", "right"},
		{"last wins", "[remote \"origin\"]\nurl = a\nurl = b\n", "b"},
		{"other remotes ignored", "[remote \"upstream\"]\nurl = up\n[remote \"origin\"]\nfetch = +refs/heads/*:refs/remotes/origin/*\n", ""},
		{"quoted with comment chars", "[remote \"origin\"]\nurl = \"https://h/a#b;c\" ; comment\n", "https://h/a#b;c"},
		{"inline comment", "[remote \"origin\"]\nurl = https://h/r # the origin\n", "https://h/r"},
		{"escapes", "[remote \"origin\"]\nurl = a\\\\b\\\"c\n", "a\\b\"c"},
		{"continuation", "[remote \"origin\"]\nurl = https://h/\\\nrepo\n", "https://h/repo"},
		{"inner spaces kept", "[remote \"origin\"]\nurl =   /srv/my  repo   \n", "/srv/my  repo"},
		{"CRLF", "[remote \"origin\"]\r\n\turl = https://h/r\r\n", "https://h/r"},
		{"BOM", "\xef\xbb\xbf[remote \"origin\"]\nurl = x\n", "x"},
		{"legacy dotted section", "[remote.origin]\nurl = legacy\n", "legacy"},
		{"escaped quote in subsection", "[remote \"or\\\"ig\"]\nurl = no\n[remote \"origin\"]\nurl = yes\n", "yes"},
		{"key on header line", "[remote \"origin\"] url = same-line\n", "same-line"},
		{"comments and blank lines", "# top\n; also\n\n[core]\n\tbare = false\n[remote \"origin\"]\n\t# url = no\n\turl = yes\n", "yes"},
		{"boolean key without value", "[remote \"origin\"]\n\tmirror\n\turl = m\n", "m"},
		{"no trailing newline", "[remote \"origin\"]\nurl = end", "end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, includes, err := parseConfig([]byte(tt.config))
			if err != nil {
				t.Fatal(err)
			}
			if includes {
				t.Error("includes reported")
			}
			var got string
			for _, e := range entries {
				if e.section == "remote" && e.subsection == "origin" && e.key == "url" {
					got = e.value
				}
			}
			if got != tt.want {
				t.Errorf("origin url = %q, want %q (entries %+v)", got, tt.want, entries)
			}
		})
	}
}

func TestParseConfigAgreesWithGit(t *testing.T) {
	// Each config is checked against git config --get on a real repository.
	configs := []string{
		"[remote \"origin\"]\n\turl = \"  spaced  \"\n",
		"[remote \"origin\"]\n\turl = a\\tb\n",
		"[remote \"origin\"]\n\turl = x ; y\n",
		"[remote \"origin\"]\n\turl = \"x ; y\"\n",
		"[remote \"origin\"]\n\turl = a\\\n  b\n",
		"[remote.origin]\n\turl = dotted\n",
		"[REMOTE \"origin\"]\n\tUrl = upper\n",
	}
	dir := newRepo(t, map[string]string{"a": "a"})
	r := mustOpen(t, dir)
	cfg := filepath.Join(r.CommonDir, "config")
	for _, c := range configs {
		if err := os.WriteFile(cfg, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
		want, err := r.configValueGit(context.Background(), "remote", "origin", "url")
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.configValue(context.Background(), "remote", "origin", "url")
		// gitcmd.Output trims git's output; the Go parser keeps quoted spaces.
		if err != nil || strings.TrimSpace(got) != want {
			t.Errorf("config %q: Go = %q %v, git = %q", c, got, err, want)
		}
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, c := range []string{
		"[remote \"origin\"\nurl = x\n",
		"[remote origin]\nurl = x\n",
		"url = outside\n",
		"[remote \"origin\"]\nurl = \"unterminated\n",
		"[remote \"origin\"]\nurl = bad\\q\n",
		"[remote \"origin\"]\n0url = x\n",
		"[]\n",
		"[remote \"origin\"]\nurl = x\\",
	} {
		if entries, _, err := parseConfig([]byte(c)); err == nil {
			t.Errorf("parseConfig(%q) = %+v, want an error", c, entries)
		}
	}
	if _, inc, err := parseConfig([]byte("[includeIf \"gitdir:/x/\"]\n\tpath = y\n")); err != nil || !inc {
		t.Errorf("includeIf: includes = %v, err = %v", inc, err)
	}
}

func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{
		"[remote \"origin\"]\n\turl = https://h/o/r.git\n",
		"[a.b]\nk=\"v;#\" ; c\n",
		"[x \"y\\\"z\"] k = a\\\nb\r\n",
		"\xef\xbb\xbf[include]\npath=p",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, _, err := parseConfig(data)
		if err != nil {
			return
		}
		for _, e := range entries {
			if e.section == "" || e.key == "" {
				t.Errorf("entry without section or key: %+v", e)
			}
		}
	})
}
