package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// TestStartupInitCost runs `ospo version` with the runtime's init trace and
// checks what package initialisation allocates: every command pays it, once
// per process (ospo check runs once per repository and commit in CI). Before
// go-enry's tables were made lazy (third_party/go-enry/OSPO-CHANGES.md), its
// data package alone allocated 16 MB here; the whole binary allocated about
// 5 MB, then 3.4 MB, 2.3 MB (goldmark's expressions lazy, gitleaks without
// its report templates and archive libraries), and now about 1.1 MB in 291
// packages (the GitLab source without GitLab's client library, osv-scalibr
// without protocol buffers and disk image readers, gitleaks without viper:
// 358 packages before).
// Under the 4 MB at which the runtime starts its first collection, no
// garbage is collected before main. Bytes and package counts, unlike times,
// do not depend on the machine's load.
func TestStartupInitCost(t *testing.T) {
	cmd := exec.Command(ospoBinary(t), "version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const (
		maxTotal    = 2 << 20   // all packages
		maxPackage  = 256 << 10 // any one package
		maxPackages = 330       // packages initialised (of ~700 linked)
	)
	total, packages := 0, 0
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		// init github.com/go-enry/go-enry/v2/data @23 ms, 75 ms clock, 16205912 bytes, 43400 allocs
		f := strings.Fields(sc.Text())
		if len(f) < 9 || f[0] != "init" || f[8] != "bytes," {
			continue
		}
		n, err := strconv.Atoi(f[7])
		if err != nil {
			t.Fatalf("init trace line %q: %v", sc.Text(), err)
		}
		total += n
		packages++
		if n > maxPackage {
			t.Errorf("initialising %s allocates %d bytes, over %d: make its tables lazy (sync.Once)", f[1], n, maxPackage)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("ospo version: %v", err)
	}
	if total == 0 {
		t.Fatal("no init trace read: did GODEBUG=inittrace=1 stop printing?")
	}
	if total > maxTotal {
		t.Errorf("package initialisation allocates %d bytes, over %d", total, maxTotal)
	}
	if packages > maxPackages {
		t.Errorf("%d packages initialised, over %d: is a large dependency tree linked again (go list -deps ./cmd/ospo)?", packages, maxPackages)
	}
	t.Logf("package initialisation allocates %d bytes in %d packages", total, packages)
}
