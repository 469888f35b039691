package gitcmd_test

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// runOnTerminal runs cmd with its standard output on a new pseudo-terminal,
// so that git behaves as it does for a person at a terminal (it starts a
// pager), and fails the test if cmd fails.
func runOnTerminal(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlock pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("pseudo-terminal number: %v", err)
	}
	slave, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pseudo-terminal: %v", err)
	}
	done := make(chan struct{})
	go func() { io.Copy(io.Discard, master); close(done) }()
	cmd.Stdout = slave
	cmd.Stderr = slave
	err = cmd.Run()
	slave.Close()
	master.Close()
	<-done
	if err != nil {
		t.Fatalf("%v on a terminal: %v", cmd.Args, err)
	}
}
