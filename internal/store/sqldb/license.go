package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// insertLicenses writes p.License, p.DependencyLicenses and
// p.LicenseFindings for project id; ReplaceProject has emptied the tables.
func insertLicenses(ctx context.Context, t tx, id int64, p *catalog.Project) error {
	if l := p.License; l != nil {
		ev := make([]catalog.LicenseEvidence, len(l.Evidence))
		for i, e := range l.Evidence {
			ev[i] = catalog.LicenseEvidence{File: clean(e.File), License: clean(e.License), Coverage: e.Coverage,
				Confidence: e.Confidence, Source: clean(e.Source)}
		}
		b, err := json.Marshal(ev)
		if err != nil {
			return fmt.Errorf("licence evidence: %w", err)
		}
		if _, err := t.exec(ctx, `INSERT INTO project_licenses (project_id, expression, confidence, evidence)
			VALUES (?, ?, ?, ?)`, id, clean(l.Expression), l.Confidence, string(b)); err != nil {
			return fmt.Errorf("insert project licence: %w", err)
		}
	}
	err := t.insertRows(ctx, "dependency_licenses", []string{"project_id", "pos", "purl", "manifest", "expression", "source", "category"},
		len(p.DependencyLicenses), func(i int, a []any) []any {
			d := p.DependencyLicenses[i]
			return append(a, id, i, clean(d.PURL), clean(d.Manifest), clean(d.Expression), clean(d.Source), clean(d.Category))
		})
	if err != nil {
		return err
	}
	return t.insertRows(ctx, "license_findings", []string{"project_id", "pos", "severity", "rule", "purl", "manifest",
		"scope", "license", "category", "message", "remediation", "suppressed_by"},
		len(p.LicenseFindings), func(i int, a []any) []any {
			f := p.LicenseFindings[i]
			return append(a, id, i, clean(f.Severity), clean(f.Rule), clean(f.PURL), clean(f.Manifest), clean(f.Scope),
				clean(f.License), clean(f.Category), clean(f.Message), clean(f.Remediation), clean(f.SuppressedBy))
		})
}

// loadLicenses reads the licence facts of the projects whose IDs in
// selects (with args); dependency licences and findings only if full.
func loadLicenses(ctx context.Context, t tx, in string, args []any, full bool, project func(int64) *catalog.Project) error {
	err := eachRow(ctx, t, "project licences", `SELECT project_id, expression, confidence, evidence FROM project_licenses
		WHERE project_id`+in, args, func(rows *sql.Rows) error {
		var id int64
		var l catalog.ProjectLicense
		var ev string
		if err := rows.Scan(&id, &l.Expression, &l.Confidence, &ev); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(ev), &l.Evidence); err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
		if len(l.Evidence) == 0 {
			l.Evidence = nil
		}
		project(id).License = &l
		return nil
	})
	if err != nil || !full {
		return err
	}
	err = eachRow(ctx, t, "dependency licences", `SELECT project_id, purl, manifest, expression, source, category
		FROM dependency_licenses WHERE project_id`+in+` ORDER BY project_id, pos`, args, func(rows *sql.Rows) error {
		var id int64
		var d catalog.DependencyLicense
		if err := rows.Scan(&id, &d.PURL, &d.Manifest, &d.Expression, &d.Source, &d.Category); err != nil {
			return err
		}
		p := project(id)
		p.DependencyLicenses = append(p.DependencyLicenses, d)
		return nil
	})
	if err != nil {
		return err
	}
	return eachRow(ctx, t, "licence findings", `SELECT project_id, severity, rule, purl, manifest, scope, license,
			category, message, remediation, suppressed_by
		FROM license_findings WHERE project_id`+in+` ORDER BY project_id, pos`, args, func(rows *sql.Rows) error {
		var id int64
		var f catalog.LicenseFinding
		if err := rows.Scan(&id, &f.Severity, &f.Rule, &f.PURL, &f.Manifest, &f.Scope, &f.License, &f.Category,
			&f.Message, &f.Remediation, &f.SuppressedBy); err != nil {
			return err
		}
		p := project(id)
		p.LicenseFindings = append(p.LicenseFindings, f)
		return nil
	})
}

// LicenseSummary implements store.LicenseStore.
func (s *Store) LicenseSummary(ctx context.Context) (*catalog.LicenseSummary, error) {
	sum := &catalog.LicenseSummary{}
	counts := func(t tx, what, q string) ([]catalog.LicenseCount, error) {
		out := []catalog.LicenseCount{}
		err := eachRow(ctx, t, what, q, nil, func(rows *sql.Rows) error {
			var c catalog.LicenseCount
			if err := rows.Scan(&c.Name, &c.Projects, &c.Dependencies); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
		sort.SliceStable(out, func(i, j int) bool {
			a, b := out[i], out[j]
			if a.Projects != b.Projects {
				return a.Projects > b.Projects
			}
			if a.Dependencies != b.Dependencies {
				return a.Dependencies > b.Dependencies
			}
			return a.Name < b.Name
		})
		return out, err
	}
	err := s.read(ctx, "licence summary", func(t tx) error {
		var err error
		if sum.ProjectLicenses, err = counts(t, "project licences", `SELECT expression, COUNT(*), 0
			FROM project_licenses GROUP BY expression`); err != nil {
			return err
		}
		if sum.DependencyLicenses, err = counts(t, "dependency licences", `SELECT expression,
			COUNT(DISTINCT project_id), COUNT(*) FROM dependency_licenses GROUP BY expression`); err != nil {
			return err
		}
		if sum.Categories, err = counts(t, "licence categories", `SELECT category,
			COUNT(DISTINCT project_id), COUNT(*) FROM dependency_licenses GROUP BY category`); err != nil {
			return err
		}
		sum.InViolation = []catalog.ProjectViolations{}
		return eachRow(ctx, t, "projects in violation", `SELECT p.id, p.name, p.key,
				SUM(CASE WHEN f.severity = 'violation' THEN 1 ELSE 0 END),
				SUM(CASE WHEN f.severity = 'warning' THEN 1 ELSE 0 END)
			FROM license_findings f JOIN projects p ON p.id = f.project_id
			WHERE f.suppressed_by = ''
			GROUP BY p.id, p.name, p.key
			HAVING SUM(CASE WHEN f.severity = 'violation' THEN 1 ELSE 0 END) > 0
			ORDER BY 4 DESC, p.name, p.key`, nil, func(rows *sql.Rows) error {
			var v catalog.ProjectViolations
			if err := rows.Scan(&v.ProjectID, &v.Project, &v.ProjectKey, &v.Violations, &v.Warnings); err != nil {
				return err
			}
			sum.InViolation = append(sum.InViolation, v)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}

// LicenseCounts implements store.LicenseStore.
func (s *Store) LicenseCounts(ctx context.Context, projectIDs []int64) (map[int64]store.LicenseCounts, error) {
	out := map[int64]store.LicenseCounts{}
	// Names repeat across projects: one string each.
	names := map[string]string{}
	intern := func(n string) string {
		if v, ok := names[n]; ok {
			return v
		}
		names[n] = n
		return n
	}
	read := func(t tx, where string, args []any) error {
		err := eachRow(ctx, t, "project licences", `SELECT project_id, expression FROM project_licenses`+where, args,
			func(rows *sql.Rows) error {
				var id int64
				var e string
				if err := rows.Scan(&id, &e); err != nil {
					return err
				}
				c := out[id]
				c.Project = intern(e)
				out[id] = c
				return nil
			})
		if err != nil {
			return err
		}
		for _, col := range []string{"expression", "category"} {
			err := eachRow(ctx, t, "dependency licences", `SELECT project_id, `+col+`, COUNT(*) FROM dependency_licenses`+where+
				` GROUP BY project_id, `+col+` ORDER BY project_id, `+col, args, func(rows *sql.Rows) error {
				var id int64
				var nc store.NameCount
				if err := rows.Scan(&id, &nc.Name, &nc.N); err != nil {
					return err
				}
				nc.Name = intern(nc.Name)
				c := out[id]
				if col == "expression" {
					c.Dependencies = append(c.Dependencies, nc)
				} else {
					c.Categories = append(c.Categories, nc)
				}
				out[id] = c
				return nil
			})
			if err != nil {
				return err
			}
		}
		cond := " WHERE suppressed_by = ''"
		if where != "" {
			cond = where + " AND suppressed_by = ''"
		}
		return eachRow(ctx, t, "licence findings", `SELECT project_id,
				SUM(CASE WHEN severity = 'violation' THEN 1 ELSE 0 END), SUM(CASE WHEN severity = 'warning' THEN 1 ELSE 0 END)
			FROM license_findings`+cond+` GROUP BY project_id`, args, func(rows *sql.Rows) error {
			var id int64
			var v, w int
			if err := rows.Scan(&id, &v, &w); err != nil {
				return err
			}
			if v == 0 && w == 0 {
				return nil
			}
			c := out[id]
			c.Violations, c.Warnings = v, w
			out[id] = c
			return nil
		})
	}
	what := "licence counts"
	if projectIDs != nil {
		what = fmt.Sprintf("licence counts of %d projects", len(projectIDs))
	}
	err := s.read(ctx, what, func(t tx) error {
		clear(out)
		if projectIDs == nil {
			return read(t, "", nil)
		}
		ids := uniqueIDs(projectIDs)
		for start := 0; start < len(ids); start += maxRowsPerInsert {
			end := min(start+maxRowsPerInsert, len(ids))
			args := make([]any, 0, end-start)
			for _, id := range ids[start:end] {
				args = append(args, id)
			}
			if err := read(t, " WHERE project_id IN "+inClause(end-start), args); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LicenseFindings implements store.LicenseStore.
func (s *Store) LicenseFindings(ctx context.Context, projectIDs []int64) (map[int64][]catalog.LicenseFinding, error) {
	ids := uniqueIDs(projectIDs)
	out := map[int64][]catalog.LicenseFinding{}
	if len(ids) == 0 {
		return out, nil
	}
	err := s.read(ctx, fmt.Sprintf("licence findings of %d projects", len(ids)), func(t tx) error {
		chunk := min(maxRowsPerInsert, t.d.MaxParams)
		for start := 0; start < len(ids); start += chunk {
			end := min(start+chunk, len(ids))
			args := make([]any, 0, end-start)
			for _, id := range ids[start:end] {
				args = append(args, id)
			}
			err := eachRow(ctx, t, "licence findings", `SELECT project_id, severity, rule, purl, manifest, scope, license,
					category, message, remediation, suppressed_by
				FROM license_findings WHERE project_id IN `+inClause(end-start)+` ORDER BY project_id, pos`, args,
				func(rows *sql.Rows) error {
					var id int64
					var f catalog.LicenseFinding
					if err := rows.Scan(&id, &f.Severity, &f.Rule, &f.PURL, &f.Manifest, &f.Scope, &f.License, &f.Category,
						&f.Message, &f.Remediation, &f.SuppressedBy); err != nil {
						return err
					}
					out[id] = append(out[id], f)
					return nil
				})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
