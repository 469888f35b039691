package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// SetOptOut implements store.OptOutStore.
func (s *Store) SetOptOut(ctx context.Context, o catalog.OptOut, by *catalog.AuditEntry) error {
	o.PersonID = strings.TrimSpace(o.PersonID)
	if o.PersonID == "" {
		return fmt.Errorf("set opt-out: %w: no person", store.ErrInvalid)
	}
	if o.UpdatedAt.IsZero() {
		o.UpdatedAt = time.Now().UTC()
	}
	return s.writeAccounts(ctx, "set opt-out of "+o.PersonID, func(t tx) error {
		before, err := optOutOf(ctx, t, o.PersonID)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM person_opt_outs WHERE person_id = ?`, o.PersonID); err != nil {
			return err
		}
		if o.Experts || o.Recommendations {
			if _, err := t.exec(ctx, `INSERT INTO person_opt_outs (person_id, experts, recommendations, updated_at) VALUES (?, ?, ?, ?)`,
				o.PersonID, boolInt(o.Experts), boolInt(o.Recommendations), encTime(o.UpdatedAt)); err != nil {
				return err
			}
		}
		type choice struct {
			Experts         bool `json:"experts"`
			Recommendations bool `json:"recommendations"`
		}
		return s.record(ctx, t, by, "person:"+o.PersonID, choice{before.Experts, before.Recommendations},
			choice{o.Experts, o.Recommendations})
	})
}

// optOutOf reads one person's choice; the zero OptOut when there is none.
func optOutOf(ctx context.Context, t tx, personID string) (catalog.OptOut, error) {
	rows, err := t.query(ctx, `SELECT person_id, experts, recommendations, updated_at FROM person_opt_outs WHERE person_id = ?`, personID)
	if err != nil {
		return catalog.OptOut{}, err
	}
	defer rows.Close()
	var o catalog.OptOut
	if rows.Next() {
		if o, err = scanOptOut(rows); err != nil {
			return o, err
		}
	}
	return o, rows.Err()
}

func scanOptOut(rows interface{ Scan(...any) error }) (catalog.OptOut, error) {
	var o catalog.OptOut
	var experts, recs int64
	var at sql.NullInt64
	if err := rows.Scan(&o.PersonID, &experts, &recs, &at); err != nil {
		return o, err
	}
	o.Experts, o.Recommendations, o.UpdatedAt = experts != 0, recs != 0, decTime(at)
	return o, nil
}

// OptOuts implements store.OptOutStore.
func (s *Store) OptOuts(ctx context.Context) ([]catalog.OptOut, error) {
	var out []catalog.OptOut
	err := s.readStatement(ctx, "opt-outs", func(t tx) error {
		rows, err := t.query(ctx, `SELECT person_id, experts, recommendations, updated_at FROM person_opt_outs ORDER BY person_id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			o, err := scanOptOut(rows)
			if err != nil {
				return err
			}
			out = append(out, o)
		}
		return rows.Err()
	})
	return out, err
}
