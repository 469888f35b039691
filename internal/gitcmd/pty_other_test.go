//go:build !linux

package gitcmd_test

import (
	"os/exec"
	"testing"
)

func runOnTerminal(t *testing.T, _ *exec.Cmd) {
	t.Skip("pseudo-terminals are opened on Linux only")
}
