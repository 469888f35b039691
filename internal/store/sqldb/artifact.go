package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// UpsertArtifacts implements store.SourceStore, in one transaction.
func (s *Store) UpsertArtifacts(ctx context.Context, source string, arts []catalog.Artifact) error {
	for _, a := range arts {
		if a.Source != source || a.Source == "" || a.Repo == "" || a.Path == "" || a.PURL == "" || a.Package == "" {
			return fmt.Errorf("upsert artifact %s/%s of %q: source, repository, path, package and purl are required: %w",
				a.Repo, a.Path, a.Source, store.ErrInvalid)
		}
	}
	if len(arts) == 0 {
		return nil
	}
	return s.write(ctx, "upsert artifacts", func(t tx) error {
		for _, a := range arts {
			if _, err := t.exec(ctx, `INSERT INTO artifacts (source, repo, path, remote, ecosystem, package, version, purl,
					size, created, downloads, last_downloaded, last_downloaded_by)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (source, repo, path) DO UPDATE SET remote = excluded.remote, ecosystem = excluded.ecosystem,
					package = excluded.package, version = excluded.version, purl = excluded.purl, size = excluded.size,
					created = excluded.created, downloads = excluded.downloads, last_downloaded = excluded.last_downloaded,
					last_downloaded_by = excluded.last_downloaded_by`,
				clean(a.Source), clean(a.Repo), clean(a.Path), a.Remote, clean(a.Ecosystem), clean(a.Package),
				clean(a.Version), clean(a.PURL), a.Size, encTime(a.Created), a.Downloads, encTime(a.LastDownloaded),
				clean(a.LastDownloadedBy)); err != nil {
				return fmt.Errorf("artifact %s/%s: %w", a.Repo, a.Path, err)
			}
		}
		return nil
	})
}

// Artifacts implements store.SourceStore.
func (s *Store) Artifacts(ctx context.Context, q catalog.ArtifactQuery) ([]catalog.Artifact, error) {
	var where []string
	var args []any
	if q.Source != "" {
		where, args = append(where, "source = ?"), append(args, clean(q.Source))
	}
	if q.PURL != "" {
		where, args = append(where, "purl = ?"), append(args, clean(q.PURL))
	}
	query := `SELECT source, repo, path, remote, ecosystem, package, version, purl, size, created, downloads,
		last_downloaded, last_downloaded_by FROM artifacts`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY downloads DESC, purl, version, source, repo, path"
	if q.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	var out []catalog.Artifact
	err := s.read(ctx, "artifacts", func(t tx) error {
		return eachRow(ctx, t, "artifacts", query, args, func(rows *sql.Rows) error {
			var a catalog.Artifact
			var created, last sql.NullInt64
			if err := rows.Scan(&a.Source, &a.Repo, &a.Path, &a.Remote, &a.Ecosystem, &a.Package, &a.Version, &a.PURL,
				&a.Size, &created, &a.Downloads, &last, &a.LastDownloadedBy); err != nil {
				return err
			}
			a.Created, a.LastDownloaded = decTime(created), decTime(last)
			out = append(out, a)
			return nil
		})
	})
	return out, err
}

// ArtifactPackages implements store.SourceStore.
func (s *Store) ArtifactPackages(ctx context.Context, limit int) ([]catalog.ArtifactPackage, error) {
	query := `SELECT ecosystem, package, purl, COUNT(DISTINCT version), SUM(downloads),
			MAX(CASE WHEN remote THEN 1 ELSE 0 END), MIN(CASE WHEN remote THEN 1 ELSE 0 END), MAX(last_downloaded)
		FROM artifacts GROUP BY ecosystem, package, purl ORDER BY SUM(downloads) DESC, purl`
	if limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", limit)
	}
	var out []catalog.ArtifactPackage
	err := s.read(ctx, "artifact packages", func(t tx) error {
		return eachRow(ctx, t, "artifact packages", query, nil, func(rows *sql.Rows) error {
			var p catalog.ArtifactPackage
			var anyRemote, allRemote int
			var last sql.NullInt64
			if err := rows.Scan(&p.Ecosystem, &p.Package, &p.PURL, &p.Versions, &p.Downloads, &anyRemote, &allRemote, &last); err != nil {
				return err
			}
			p.Remote, p.Published, p.LastDownloaded = anyRemote == 1, allRemote == 0, decTime(last)
			out = append(out, p)
			return nil
		})
	})
	return out, err
}

// ReplaceBuildRun implements store.SourceStore, in one transaction.
func (s *Store) ReplaceBuildRun(ctx context.Context, source string, run catalog.BuildRun) error {
	if run.Source != source || run.Source == "" || run.Build == "" || run.Number == "" {
		return fmt.Errorf("replace build run %s #%s of %q: source, build and number are required: %w",
			run.Build, run.Number, run.Source, store.ErrInvalid)
	}
	for _, u := range run.Uses {
		if u.PURL == "" || u.Package == "" {
			return fmt.Errorf("build run %s #%s: a package use without package or purl: %w", run.Build, run.Number, store.ErrInvalid)
		}
	}
	return s.write(ctx, "replace build run", func(t tx) error {
		if _, err := t.exec(ctx, `DELETE FROM build_uses WHERE source = ? AND build = ? AND number = ?`,
			clean(run.Source), clean(run.Build), clean(run.Number)); err != nil {
			return err
		}
		for _, u := range run.Uses {
			if _, err := t.exec(ctx, `INSERT INTO build_uses (source, build, number, started, project_key, revision,
					ecosystem, package, version, purl, published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT DO NOTHING`,
				clean(run.Source), clean(run.Build), clean(run.Number), encTime(run.Started), clean(run.ProjectKey),
				clean(run.Revision), clean(u.Ecosystem), clean(u.Package), clean(u.Version), clean(u.PURL), u.Published); err != nil {
				return fmt.Errorf("build run %s #%s uses %s: %w", run.Build, run.Number, u.PURL, err)
			}
		}
		return nil
	})
}

// BuildUses implements store.SourceStore.
func (s *Store) BuildUses(ctx context.Context, q catalog.BuildUseQuery) ([]catalog.BuildUse, error) {
	var where []string
	var args []any
	for col, v := range map[string]string{"source": q.Source, "purl": q.PURL, "project_key": q.ProjectKey} {
		if v != "" {
			where, args = append(where, col+" = ?"), append(args, clean(v))
		}
	}
	query := `SELECT source, build, number, started, project_key, revision, ecosystem, package, version, purl, published
		FROM build_uses`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY started DESC, build, number DESC, purl, version, published"
	if q.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	var out []catalog.BuildUse
	err := s.read(ctx, "build uses", func(t tx) error {
		return eachRow(ctx, t, "build uses", query, args, func(rows *sql.Rows) error {
			var u catalog.BuildUse
			var started sql.NullInt64
			if err := rows.Scan(&u.Source, &u.Build, &u.Number, &started, &u.ProjectKey, &u.Revision, &u.Ecosystem,
				&u.Package, &u.Version, &u.PURL, &u.Published); err != nil {
				return err
			}
			u.Started = decTime(started)
			out = append(out, u)
			return nil
		})
	})
	return out, err
}
