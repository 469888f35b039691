package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ospo-project/ospo/internal/audit"
	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/store"
)

// AuditAcrossStores appends to one audit log through several stores opened
// on the same database at once (as several processes would: separate
// connection pools), then checks that the chain came out whole.
func AuditAcrossStores(t *testing.T, stores []store.Store) {
	t.Helper()
	ctx := context.Background()
	const each = 15
	var wg sync.WaitGroup
	errs := make(chan error, len(stores)*each*2)
	for i, s := range stores {
		for w := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range each {
					if _, err := s.AppendAudit(ctx, catalog.AuditEntry{At: time.Now(), Actor: fmt.Sprintf("process-%d", i),
						Source: "cli", Action: "test.append", Object: fmt.Sprintf("worker:%d/%d", w, j)}); err != nil {
						errs <- err
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("AppendAudit: %v", err)
	}
	want := int64(len(stores) * 2 * each)
	for i, s := range stores {
		if n, err := audit.Verify(s.AuditEntries(ctx)); err != nil || n != want {
			t.Errorf("store %d: Verify = %d, %v; want %d entries, intact", i, n, err, want)
		}
	}
}
