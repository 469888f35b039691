package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/config"
	"github.com/ospo-project/ospo/internal/gitcmd"
	"github.com/ospo-project/ospo/internal/mirror"
	"github.com/ospo-project/ospo/internal/sourcesync"
)

// forgeSources returns the names of the configured sources that can create
// repositories (github), in configuration order.
func forgeSources(cfg config.Config) []string {
	var out []string
	for _, s := range cfg.Sources {
		if s.Kind == config.KindGitHub {
			out = append(out, s.Name)
		}
	}
	return out
}

// errRemote is a failure after the forge created the repository: what
// exists is said, and the local repository is kept.
type errRemote struct {
	url string
	err error
}

func (e *errRemote) Error() string {
	return fmt.Sprintf("%v; the repository %s was created on the forge and the local repository kept: push it with `git push -u origin main`", e.err, e.url)
}

func (e *errRemote) Unwrap() error { return e.err }

// createRemote creates the repository name on the forge of the source
// named sourceName (a github source of ospo.yaml, with a token),
// pushes the first commit of dir to it over HTTPS, sets it as dir's
// origin, and records it as one of the source's repositories so its next
// sync mirrors and scans it. The token goes to git in the environment
// (http.<host>.extraHeader), never on its command line or in dir's
// configuration, and no error shows it. A refusal of the forge (name
// taken: catalog.ErrConflict; token refused or short of rights) leaves
// nothing on the forge; a failed push after the creation is an *errRemote.
func (a *app) createRemote(ctx context.Context, sourceName, dir, name, description string, private bool) (catalog.ForgeRepo, error) {
	cfg, err := a.config()
	if err != nil {
		return catalog.ForgeRepo{}, err
	}
	var src *config.Source
	for i := range cfg.Sources {
		if cfg.Sources[i].Name == sourceName {
			src = &cfg.Sources[i]
		}
	}
	if src == nil {
		return catalog.ForgeRepo{}, catalog.Kind(fmt.Sprintf("--source %s: no such source in %s (forges: %s)", sourceName, a.configPath(),
			strings.Join(forgeSources(cfg), ", ")), catalog.ErrInvalid)
	}
	if src.Kind != config.KindGitHub {
		return catalog.ForgeRepo{}, catalog.Kind(fmt.Sprintf("--source %s: a %s source cannot create repositories (github can)",
			sourceName, src.Kind), catalog.ErrInvalid)
	}
	job, token := a.sourceJob(ctx, *src)
	redact := func(err error) error { return sourcesync.Redact(err, job.Secrets) }
	if job.Err != nil {
		return catalog.ForgeRepo{}, redact(fmt.Errorf("source %s: %w", sourceName, job.Err))
	}
	if token == "" {
		return catalog.ForgeRepo{}, catalog.Kind(fmt.Sprintf("source %s has no token: creating a repository needs one (token_env or token_file)",
			sourceName), catalog.ErrInvalid)
	}
	creator, ok := job.Source.(sourcesync.Creator)
	if !ok {
		return catalog.ForgeRepo{}, fmt.Errorf("source %s cannot create repositories", sourceName)
	}
	fr, err := creator.CreateRepository(ctx, sourcesync.NewRepository{Name: name, Description: description, Private: private})
	if err != nil {
		return catalog.ForgeRepo{}, redact(err)
	}
	fr.Source = src.Name
	where := fr.URL
	if where == "" {
		where = fr.CloneURL
	}
	if _, err := gitcmd.Output(ctx, dir, "remote", "add", "origin", fr.CloneURL); err != nil {
		return fr, &errRemote{url: where, err: redact(fmt.Errorf("set origin of %s: %w", dir, err))}
	}
	if _, err := mirror.Git(ctx, dir, fr.CloneURL, token, "push", "--quiet", fr.CloneURL, "HEAD:refs/heads/main"); err != nil {
		return fr, &errRemote{url: where, err: redact(fmt.Errorf("push to %s: %w", fr.CloneURL, err))}
	}
	st, err := a.store(ctx)
	if err == nil {
		err = st.ReplaceForgeRepo(ctx, fr, nil, nil)
	}
	if err != nil {
		return fr, &errRemote{url: where, err: fmt.Errorf("record %s as a repository of source %s: %w", fr.FullName, sourceName, err)}
	}
	return fr, nil
}
