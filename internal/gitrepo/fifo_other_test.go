//go:build !unix

package gitrepo

import "errors"

func mkfifo(string) error { return errors.New("no FIFOs on this system") }
