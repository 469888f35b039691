package gitrepo

import "testing"

func TestNormaliseRemote(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		// GitHub, every spelling of one repository.
		{"https://github.com/ospo-project/ospo.git", "github.com/ospo-project/ospo"},
		{"https://github.com/ospo-project/ospo", "github.com/ospo-project/ospo"},
		{"https://github.com/ospo-project/ospo/", "github.com/ospo-project/ospo"},
		{"https://github.com/ospo-project/ospo.git/", "github.com/ospo-project/ospo"},
		{"HTTPS://GitHub.COM/ospo-project/ospo.git", "github.com/ospo-project/ospo"},
		{"http://github.com/ospo-project/ospo", "github.com/ospo-project/ospo"},
		{"https://user:ghp_token123@github.com/ospo-project/ospo.git", "github.com/ospo-project/ospo"},
		{"https://x-access-token:ghs_abc@github.com/ospo-project/ospo", "github.com/ospo-project/ospo"},
		{"https://github.com:443/ospo-project/ospo.git", "github.com/ospo-project/ospo"},
		{"git@github.com:ospo-project/ospo.git", "github.com/ospo-project/ospo"},
		{"git@github.com:ospo-project/ospo", "github.com/ospo-project/ospo"},
		{"github.com:ospo-project/ospo.git", "github.com/ospo-project/ospo"},
		{"ssh://git@github.com/ospo-project/ospo.git", "github.com/ospo-project/ospo"},
		{"ssh://git@github.com:22/ospo-project/ospo.git", "github.com/ospo-project/ospo"},
		{"ssh://git@github.com:ospo-project/ospo.git", "github.com/ospo-project/ospo"},
		{"git+ssh://git@github.com/ospo-project/ospo.git", "github.com/ospo-project/ospo"},
		{"git://github.com/ospo-project/ospo.git", "github.com/ospo-project/ospo"},
		{"https://github.com//ospo-project/./ospo.git", "github.com/ospo-project/ospo"},
		{"https://github.com/ospo-project/ospo.git?ref=main#readme", "github.com/ospo-project/ospo"},
		{"https://github.com/ospo-project/ospo.git;token", "github.com/ospo-project/ospo"},
		{"ssh://git;fingerprint=x@github.com/ospo-project/ospo.git", "github.com/ospo-project/ospo"},
		{"git@github.com:ospo-project/ospo.git?private_token=x", "github.com/ospo-project/ospo"},
		{"  https://github.com/ospo-project/ospo.git\n", "github.com/ospo-project/ospo"},
		{"https://github.com/Ospo-Project/OSPO", "github.com/ospo-project/ospo"}, // forges ignore case
		{"https://github.com./org/repo", "github.com/org/repo"},
		{"https://github.com", ""},
		{"git@github.com:", ""},

		// GitLab, with subgroups.
		{"https://gitlab.com/group/subgroup/deeper/repo.git", "gitlab.com/group/subgroup/deeper/repo"},
		{"git@gitlab.com:group/subgroup/deeper/repo.git", "gitlab.com/group/subgroup/deeper/repo"},
		{"https://oauth2:glpat-xyz@gitlab.example.com/group/sub/repo.git", "gitlab.example.com/group/sub/repo"},
		{"ssh://git@gitlab.example.com:2222/group/sub/repo.git", "gitlab.example.com/group/sub/repo"},
		{"https://gitlab.example.com:8443/group/repo", "gitlab.example.com/group/repo"},

		// Bitbucket Cloud and Server.
		{"https://jdoe@bitbucket.org/team/repo.git", "bitbucket.org/team/repo"},
		{"git@bitbucket.org:team/repo.git", "bitbucket.org/team/repo"},
		{"ssh://git@bitbucket.corp.example:7999/proj/repo.git", "bitbucket.corp.example/proj/repo"},
		{"https://bitbucket.corp.example/scm/proj/repo.git", "bitbucket.corp.example/scm/proj/repo"},

		// Azure DevOps: all spellings give dev.azure.com/org/project/repo.
		{"https://dev.azure.com/Contoso/Project/_git/Repo", "dev.azure.com/contoso/project/repo"},
		{"https://Contoso@dev.azure.com/Contoso/Project/_git/Repo", "dev.azure.com/contoso/project/repo"},
		{"https://contoso:pat123@dev.azure.com/contoso/Project/_git/Repo", "dev.azure.com/contoso/project/repo"},
		{"git@ssh.dev.azure.com:v3/Contoso/Project/Repo", "dev.azure.com/contoso/project/repo"},
		{"ssh://git@ssh.dev.azure.com/v3/contoso/Project/Repo", "dev.azure.com/contoso/project/repo"},
		{"contoso@vs-ssh.visualstudio.com:v3/contoso/Project/Repo", "dev.azure.com/contoso/project/repo"},
		{"https://contoso.visualstudio.com/Project/_git/Repo", "dev.azure.com/contoso/project/repo"},
		{"https://contoso.visualstudio.com/DefaultCollection/Project/_git/Repo", "dev.azure.com/contoso/project/repo"},
		{"https://dev.azure.com/contoso/_git/Project", "dev.azure.com/contoso/project/project"},
		{"https://dev.azure.com/contoso/My%20Project/_git/My%20Repo", "dev.azure.com/contoso/my%20project/my%20repo"},

		// Other hosts and forms.
		{"https://git.example.com/~user/repo.git", "git.example.com/~user/repo"},
		{"ssh://user@[2001:db8::1]:22/srv/repo.git", "[2001:db8::1]/srv/repo"},
		{"git@[2001:db8::1]:srv/repo.git", "[2001:db8::1]/srv/repo"},
		{"[git.example.com:2222]:org/repo.git", "git.example.com/org/repo"},
		{"user@host.example:/srv/git/repo.git", "host.example/srv/git/repo"},
		{"https://codeberg.org/forgejo/forgejo.git", "codeberg.org/forgejo/forgejo"},

		// Local paths and file URLs.
		{"/srv/git/repo.git", "/srv/git/repo"},
		{"/srv/git/repo.git/", "/srv/git/repo"},
		{"/srv/git/repo/.git", "/srv/git/repo"},
		{"/srv//git/./repo", "/srv/git/repo"},
		{"file:///srv/git/repo.git", "/srv/git/repo"},
		{"file://localhost/srv/git/repo.git", "/srv/git/repo"},
		{"../sibling.git", "../sibling"},
		{"./repo:with:colons", "./repo:with:colons"},
		{`C:\src\repo.git`, `C:\src\repo`},
		{"C:/src/repo.git", "C:/src/repo"},

		// Degenerate input.
		{"", ""},
		{"   ", ""},
		{"/", "/"},
		{"https://", ""},
	}
	for _, tt := range tests {
		if got := NormaliseRemote(tt.in); got != tt.want {
			t.Errorf("NormaliseRemote(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := NormaliseRemote(tt.want); got != tt.want {
			t.Errorf("NormaliseRemote(%q) = %q: a key must normalise to itself", tt.want, got)
		}
	}
}

func TestStripCredentials(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://user:token@github.com/org/repo.git", "https://github.com/org/repo.git"},
		{"https://ghp_token@github.com/org/repo.git", "https://github.com/org/repo.git"},
		{"https://user:p%40ss@host/r", "https://host/r"},
		{"https://a@b:c@host/r", "https://host/r"},
		{"http://user:pw@host:8080/r?x=1", "http://host:8080/r"},
		// Tokens in the query, the fragment and ";" parameters (issue 20).
		{"https://host/a/b.git?private_token=glpat-secret", "https://host/a/b.git"},
		{"https://host/a/b.git#ghp_secret", "https://host/a/b.git"},
		{"https://host/a/b.git;ghp_secret", "https://host/a/b.git"},
		{"https://host;ghp_secret/a/b.git", "https://host"},
		{"https://host?t=secret@evil/a", "https://evil/a"},
		{"https://user:p#ss@host/r", "https://host/r"},
		{"ssh://git;fingerprint=ssh-rsa-secret@host/r.git", "ssh://git@host/r.git"},
		{"ssh://git@host/r.git?x=secret#y", "ssh://git@host/r.git"},
		{"git@host:org/repo.git?private_token=secret", "git@host:org/repo.git"},
		{"git@host:org/repo.git#secret", "git@host:org/repo.git"},
		{"git@host:org/repo.git;secret", "git@host:org/repo.git"},
		{"me:secret@host:org/repo.git?tok=secret", "me@host:org/repo.git"},
		{"/srv/git/repo#1", "/srv/git/repo#1"},
		{"https://host/path/with@sign", "https://host/path/with@sign"},
		{"https://host", "https://host"},
		{"https://user:token@host", "https://host"},
		{"ssh://git@github.com/org/repo.git", "ssh://git@github.com/org/repo.git"},
		{"ssh://git:secret@github.com/org/repo.git", "ssh://git@github.com/org/repo.git"},
		{"ssh://:secret@github.com/org/repo.git", "ssh://github.com/org/repo.git"},
		{"git+ssh://me:pw@host/r", "git+ssh://me@host/r"},
		{"git@github.com:org/repo.git", "git@github.com:org/repo.git"},
		{"me:secret@host:org/repo.git", "me@host:org/repo.git"},
		{"/srv/git/repo", "/srv/git/repo"},
		{"/srv/a:b@c/repo", "/srv/a:b@c/repo"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := StripCredentials(tt.in); got != tt.want {
			t.Errorf("StripCredentials(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzNormaliseRemote(f *testing.F) {
	for _, s := range []string{
		"https://user:tok@github.com/org/repo.git", "git@github.com:org/repo.git",
		"ssh://git@host:22/org/repo", "org@vs-ssh.visualstudio.com:v3/org/proj/repo",
		"https://org.visualstudio.com/DefaultCollection/p/_git/r", "file:///srv/r.git",
		"[h:1]:p", "user@[::1]:x", "C:\\x", "/a/.git", "a:b", "https://", "@[:",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := NormaliseRemote(s)
		if k2 := NormaliseRemote(k); k2 != k {
			t.Errorf("NormaliseRemote(%q) = %q, which normalises to %q", s, k, k2)
		}
	})
}

func FuzzStripCredentials(f *testing.F) {
	for _, s := range []string{"https://u:p@h/r", "ssh://u:p@h/r", "u:p@h:r", "https://h/a@b", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := StripCredentials(s)
		if twice := StripCredentials(once); twice != once {
			t.Errorf("StripCredentials(%q) = %q, then %q", s, once, twice)
		}
	})
}

// TestStripCredentialsKeepsKeys checks that stripping never changes the
// catalogue key of an ordinary remote URL, so existing catalogues keep their
// projects.
func TestStripCredentialsKeepsKeys(t *testing.T) {
	for _, u := range []string{
		"https://github.com/ospo-project/ospo.git", "git@github.com:ospo-project/ospo.git",
		"ssh://git@gitlab.example.com:2222/group/sub/repo.git", "https://dev.azure.com/Contoso/Project/_git/Repo",
		"contoso@vs-ssh.visualstudio.com:v3/contoso/Project/Repo", "file:///srv/git/repo.git", "/srv/git/repo",
		"https://user:tok@host.example/a/b", "[git.example.com:2222]:org/repo.git", "ssh://user@[2001:db8::1]:22/srv/repo.git",
	} {
		if a, b := NormaliseRemote(u), NormaliseRemote(StripCredentials(u)); a != b {
			t.Errorf("key of %q = %q, of its stripped form %q", u, a, b)
		}
	}
}
