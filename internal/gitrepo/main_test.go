package gitrepo

import (
	"fmt"
	"os"
	"testing"
)

// TestMain runs every test twice: with trees listed through cat-file
// --batch-command, then as with git older than 2.36 (git ls-tree, and
// cat-file --batch for contents).
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		fmt.Println("again, listing trees with git ls-tree (as with git before 2.36)")
		useLsTree.Store(true)
		code = m.Run()
	}
	os.Exit(code)
}
