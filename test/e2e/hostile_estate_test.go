package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The hostile estate: every string a repository controls carries markup,
// quotes, javascript: URLs, invalid UTF-8, bidirectional overrides or sheer
// length. An escaping failure anywhere shows in a page's DOM as an element
// named pwnTag or as an attribute calling pwnFunc; a page never has either.
const (
	pwnTag  = "ospo-pwn"
	pwnFunc = "ospoPwnMark"
)

// pwn returns n hostile payloads numbered from base, each of which would
// leave a pwnTag element or a pwnFunc call in the page were it not escaped.
func pwn(n int) string {
	variants := []string{
		`<ospo-pwn>%d</ospo-pwn>`,
		`"><ospo-pwn id=p%d>`,
		`'><img src=x onerror=ospoPwnMark(%d)>`,
		`</textarea></title></style></script><ospo-pwn>%d`,
		`<svg onload=ospoPwnMark(%d)>`,
	}
	return strings.ReplaceAll(variants[n%len(variants)], "%d", strings.Repeat("9", n%3+1))
}

// hostileText is one string with every payload, an RTL override, quotes,
// a template action and a javascript: URL.
var hostileText = pwn(0) + " \u202eevil\u202c " + pwn(1) + ` {{.}} & "q" 'q' ` + pwn(2) + " javascript:ospoPwnMark(0) " + pwn(3) + pwn(4)

const jsURL = "javascript:ospoPwnMark(1)"

// rawCommit writes a commit object by hand (git itself strips < and > from
// names), with the author line as given, and moves branch main to it.
func rawCommit(t *testing.T, dir, author, msg string) {
	t.Helper()
	git(t, dir, nil, "add", "-A")
	tree := git(t, dir, nil, "write-tree")
	body := "tree " + tree + "\n"
	if parent, err := exec.Command("git", "-C", dir, "rev-parse", "-q", "--verify", "HEAD").Output(); err == nil {
		body += "parent " + strings.TrimSpace(string(parent)) + "\n"
	}
	body += "author " + author + " 1709550000 +0000\ncommitter CI <ci@example.com> 1709550000 +0000\n\n" + msg + "\n"
	f := filepath.Join(t.TempDir(), "commit")
	if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	sha := git(t, dir, nil, "hash-object", "-t", "commit", "-w", "--literally", f)
	git(t, dir, nil, "update-ref", "refs/heads/main", sha)
}

// buildHostileEstate makes the repositories of the hostile crawl and
// returns the estate's root and a resources repository (served under
// /resources).
func buildHostileEstate(t *testing.T) (root, resources string) {
	t.Helper()
	root = t.TempDir()
	long := strings.Repeat("L", 4000)

	// web: a Node project whose every manifest field is hostile, in a
	// directory whose name is markup.
	web := filepath.Join(root, `web"><ospo-pwn>`)
	initRepo(t, web)
	git(t, web, nil, "remote", "add", "origin", "https://github.com/acme/web%22%3E%3Cospo-pwn%3E.git")
	write(t, filepath.Join(web, "README.md"), "# "+pwn(0)+" Web\n\n"+hostileText+" <a href=\""+jsURL+"\">click</a> [md link]("+jsURL+") ![img]("+jsURL+")\n\n"+
		"<script>ospoPwnMark(2)</script>\n\n<iframe src=\""+jsURL+"\"></iframe>\n\n<details open ontoggle=ospoPwnMark(3)>x</details>\n\n"+
		"<a href=\"docs/guide.md\" onclick=\"ospoPwnMark(4)\">guide</a> <ospo-pwn>raw</ospo-pwn>\n\n```html\n<ospo-pwn>in code</ospo-pwn>\n```\n")
	write(t, filepath.Join(web, "package.json"), `{
  "name": "@acme/web-<ospo-pwn>",
  "version": "1.0.0\"><ospo-pwn>",
  "description": `+jsonString(hostileText)+`,
  "homepage": "`+jsURL+`",
  "repository": {"type": "git", "url": "`+jsURL+`"},
  "bugs": {"url": "`+jsURL+`"},
  "license": "<ospo-pwn>MIT</ospo-pwn>",
  "keywords": ["<ospo-pwn>", "\"><img src=x onerror=ospoPwnMark(5)>"],
  "author": "<ospo-pwn> <evil@example.com> (`+jsURL+`)",
  "dependencies": {
    "<ospo-pwn>": "1.0.0",
    "left-pad": "\"><ospo-pwn>",
    "evil-url": "`+jsURL+`",
    "@scope/x\"><img src=x onerror=ospoPwnMark(6)>": "^2.0.0",
    "`+strings.Repeat("a", 300)+`": "1.0.0"
  }
}
`)
	write(t, filepath.Join(web, "package-lock.json"), `{
  "name": "@acme/web-<ospo-pwn>",
  "lockfileVersion": 3,
  "packages": {
    "": {"name": "@acme/web-<ospo-pwn>", "dependencies": {"<ospo-pwn>": "1.0.0", "left-pad": "1.3.0", "agpl-\"><ospo-pwn>": "1.0.0"}},
    "node_modules/<ospo-pwn>": {"version": "1.0.0\"><ospo-pwn>", "resolved": "`+jsURL+`", "license": "<ospo-pwn>"},
    "node_modules/left-pad": {"version": "1.3.0", "license": "WTFPL\"><img src=x onerror=ospoPwnMark(7)>"},
    "node_modules/\u202eevil": {"version": "`+long[:300]+`", "license": "MIT"},
    "node_modules/agpl-\"><ospo-pwn>": {"version": "1.0.0", "license": "AGPL-3.0-only"},
    "node_modules/nul\u0000dep": {"version": "1.0.0\u0000", "license": "MIT\u0000"}
  }
}
`)
	write(t, filepath.Join(web, "catalog-info.yaml"), `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: "web-<ospo-pwn>"
  title: '"><ospo-pwn>'
  description: `+jsonString(hostileText)+`
  tags: ["nul\0tag", "<ospo-pwn>", "\"><img src=x onerror=ospoPwnMark(8)>", "javascript:ospoPwnMark(9)"]
  links:
    - url: "`+jsURL+`"
      title: "<ospo-pwn>"
  annotations:
    jira/project-key: "<ospo-pwn>"
    github.com/project-slug: "acme/<ospo-pwn>"
spec:
  type: "<ospo-pwn>"
  lifecycle: "\"><ospo-pwn>"
  owner: "group:<ospo-pwn>"
  system: "<img src=x onerror=ospoPwnMark(10)>"
`)
	write(t, filepath.Join(web, "innersource.json"), `{"title": "<ospo-pwn>", "description": `+jsonString(hostileText)+`,
 "motivation": "<ospo-pwn>motivation\u0000", "title": "nul\u0000title", "contributions": ["<ospo-pwn>"], "skills": ["\"><ospo-pwn>"],
 "topics": ["<ospo-pwn>", "`+jsURL+`"], "docs": "`+jsURL+`", "logo": "`+jsURL+`", "language": "<ospo-pwn>",
 "owners": [{"github": "\"><ospo-pwn>"}, "evil\"><img src=x onerror=ospoPwnMark(11)>@example.com"]}`)
	write(t, filepath.Join(web, ".github", "CODEOWNERS"), "* @acme/<ospo-pwn> @\"><img/src=x/onerror=ospoPwnMark(12)> evil\"><ospo-pwn>@example.com\n/docs/ @javascript:ospoPwnMark(13)\n/src/ ann@example.com\n/nul/ @acme/nul\x00owner\n")
	write(t, filepath.Join(web, "LICENSE"), "<ospo-pwn>Custom Licence</ospo-pwn>\n\n"+hostileText+"\n\nPermission is hereby granted <script>ospoPwnMark(14)</script>\n")
	write(t, filepath.Join(web, "docs", "index.md"), "---\ntitle: \"<ospo-pwn>Docs\"\ndescription: '\"><ospo-pwn>'\nowner: \"<ospo-pwn>\"\n---\n# "+pwn(1)+"\n\n"+hostileText+
		"\n\n[a link]("+jsURL+") [rel](guide.md) [up](../../../etc/passwd) <a href=\""+jsURL+"\">raw</a>\n\n<ospo-pwn>raw html</ospo-pwn><img src=x onerror=ospoPwnMark(15)>\n\n<form action=\""+jsURL+"\"><button>go</button></form>\n")
	write(t, filepath.Join(web, "docs", "guide.md"), "# Guide <ospo-pwn>\n\n"+pwn(2)+"\n\n![pic](\""+jsURL+"\")\n")
	write(t, filepath.Join(web, "docs", `"><ospo-pwn>.md`), "# "+pwn(3)+"\n")
	write(t, filepath.Join(web, "docs", "tab\tname.md"), "# tab\n")
	write(t, filepath.Join(web, "docs", "new\nline.md"), "# newline "+pwn(4)+"\n")
	write(t, filepath.Join(web, "docs", "ünï \u202ecode.md"), "# unicode\n")
	write(t, filepath.Join(web, "src", "<ospo-pwn>.js"), "module.exports = '<ospo-pwn>'\n")
	write(t, filepath.Join(web, "src", "new\nline.js"), "1\n")
	write(t, filepath.Join(web, "src", "bad-\xff\xfe.js"), "2 // \xff\xfe\n")
	write(t, filepath.Join(web, ".mailmap"), "<ospo-pwn> Mapped <mallory@example.com>\n")
	commit(t, web, "Eve \"Quotes\" 'O'Brien & Co", "eve\"quote'@example.com", "2024-03-01T10:00:00Z", hostileText)
	write(t, filepath.Join(web, "a.js"), "1\n")
	rawCommit(t, web, pwn(0)+` <ospo-pwn> "><img src=x onerror=ospoPwnMark(16)> <mallory"'@example.com>`, pwn(1))
	write(t, filepath.Join(web, "b.js"), "2\n")
	rawCommit(t, web, "Mallory \xff\xfe\u202eRTL <mallory2@example.com>", "invalid utf-8 \xff")
	write(t, filepath.Join(web, "c.js"), "3\n")
	rawCommit(t, web, long+` <`+long[:200]+`@example.com>`, "long")
	write(t, filepath.Join(web, "d.js"), "4\n")
	rawCommit(t, web, `javascript:ospoPwnMark(17) <javascript:ospoPwnMark(18)>`, "js")
	// The admin of the crawl works here too: her inbox and "me" page show
	// this project.
	write(t, filepath.Join(web, "e.js"), "5\n")
	commit(t, web, "Ann Api", "ann@example.com", "2024-03-05T10:00:00Z", "ann")

	// api: a Go module and Python requirements with hostile names and
	// versions, and an origin that is a javascript: URL.
	api := filepath.Join(root, "api")
	initRepo(t, api)
	git(t, api, nil, "remote", "add", "origin", jsURL+"//github.com/acme/api")
	write(t, filepath.Join(api, "README.md"), "<ospo-pwn>first paragraph</ospo-pwn> "+hostileText+"\n")
	write(t, filepath.Join(api, "go.mod"), "module example.com/api\n\ngo 1.22\n\nrequire (\n\texample.com/ok v1.0.0\n\t\"example.com/<ospo-pwn>\" v1.0.0\n\texample.com/evil v1.0.0-\"><ospo-pwn>\n)\n")
	write(t, filepath.Join(api, "go.sum"), "example.com/ok v1.0.0 h1:<ospo-pwn>=\n")
	write(t, filepath.Join(api, "main.go"), "package main\n\nfunc main() {}\n")
	write(t, filepath.Join(api, "requirements.txt"), "<ospo-pwn>==1.0\nevil==\"><img src=x onerror=ospoPwnMark(19)>\nrequests>=2.0 ; python_version < \"<ospo-pwn>\"\n"+
		"flask @ "+jsURL+"\n-e "+jsURL+"\n"+strings.Repeat("b", 500)+"==1.0\nok-pkg==1.2.3\n")
	write(t, filepath.Join(api, "LICENSE"), "MIT License\n\nCopyright (c) <ospo-pwn> \"><img src=x onerror=ospoPwnMark(20)>\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n")
	write(t, filepath.Join(api, "CODEOWNERS"), "* @acme/api\n")
	commit(t, api, "Ann Api", "ann@example.com", "2024-03-02T10:00:00Z", "api")

	// RTL override and long names in the directory itself.
	odd := filepath.Join(root, "\u202eodd"+strings.Repeat("x", 200))
	initRepo(t, odd)
	git(t, odd, nil, "remote", "add", "origin", `git@github.com:acme/"><ospo-pwn>'.git`)
	write(t, filepath.Join(odd, "README.md"), "Plain text.\n")
	commit(t, odd, "Ann Api", "ann@example.com", "2024-03-03T10:00:00Z", "odd")

	// The OSPO's resources: Markdown pages as hostile as the docs.
	resources = filepath.Join(t.TempDir(), "resources")
	initRepo(t, resources)
	write(t, filepath.Join(resources, "index.md"), "---\ntitle: \"<ospo-pwn>\"\n---\n# Resources "+pwn(0)+"\n\n"+hostileText+"\n\n[js]("+jsURL+")\n")
	write(t, filepath.Join(resources, "faq.md"), "# FAQ "+pwn(1)+"\n\n<ospo-pwn>raw</ospo-pwn>\n")
	write(t, filepath.Join(resources, `"><ospo-pwn>.md`), "# "+pwn(2)+"\n")
	commit(t, resources, "Eve \"Quotes\"", "eve@example.com", "2024-03-01T10:00:00Z", "resources")
	return root, resources
}

// jsonString quotes s as a JSON (and YAML) string.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
