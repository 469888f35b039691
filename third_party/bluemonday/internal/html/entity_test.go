// Copyright 2010 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// OSPO: the language version of golang.org/x/net v0.61.0 (go 1.26.0), which
// this module (go 1.19) would otherwise lower.

//go:build go1.26

// OSPO CHANGE (see ../../OSPO-CHANGES.md): ranges over entity(), built on
// first use.

package html

import (
	"testing"
)

func TestEntityLength(t *testing.T) {
	for k := range entity() {
		if len(k) > longestEntityWithoutSemicolon && k[len(k)-1] != ';' {
			t.Errorf("entity name %s is %d characters, but longestEntityWithoutSemicolon=%d", k, len(k), longestEntityWithoutSemicolon)
		}
	}
}
