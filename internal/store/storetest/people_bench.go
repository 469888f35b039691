package storetest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// BenchReplacePeople measures ReplacePeople at the size of a large estate
// (OSPO_BENCH_PEOPLE people, 100,000 by default, three identities each) as
// a Derive after a batch of scans calls it: with ten people changed, and,
// for reference, with every person changed (what each call wrote before
// ReplacePeople wrote only the differences: all of them).
func BenchReplacePeople(b *testing.B, s store.Store) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("OSPO_BENCH_PEOPLE")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	set := func(version int, changed int) []catalog.Person {
		ps := make([]catalog.Person, n)
		for i := range ps {
			name := fmt.Sprintf("Dev %d", i)
			if i < changed {
				name = fmt.Sprintf("Dev %d v%d", i, version)
			}
			ps[i] = catalog.Person{ID: fmt.Sprintf("dev%06d", i), Name: name, Email: fmt.Sprintf("dev%d@example.com", i),
				Identities: []catalog.Identity{
					{Name: name, Email: fmt.Sprintf("dev%d@example.com", i)},
					{Name: fmt.Sprintf("dev%d", i), Email: fmt.Sprintf("dev%d@corp.example", i)},
					{Name: fmt.Sprintf("D. %d", i), Email: fmt.Sprintf("%d+dev@users.noreply.github.com", i)},
				}}
		}
		return ps
	}
	if err := s.ReplacePeople(ctx, set(0, 0)); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		changed int
	}{{"ten changed", 10}, {"reference=all changed", n}} {
		sets := [2][]catalog.Person{set(1, c.changed), set(2, c.changed)}
		b.Run(c.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				if err := s.ReplacePeople(ctx, sets[i%2]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
