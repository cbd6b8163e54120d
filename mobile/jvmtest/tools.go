//go:build tools

// This file only keeps in go.mod the packages that the Go half of the
// gobind output imports (it is generated at CI time, see .ci/mobile).
package jvmtest

import (
	_ "github.com/ikdgo/ikd/mobile"
	_ "golang.org/x/mobile/bind/seq"
)
