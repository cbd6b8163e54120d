package testkit

import (
	"runtime"
	"testing"
)

// SkipWithoutProcesses skips t under -short and on platforms whose test
// binaries cannot start processes, open pipes or run the go command
// (GOOS=js under Node, wasip1), where such a test could only fail. needs
// says what the test needs, for the skip message.
func SkipWithoutProcesses(t testing.TB, needs string) {
	t.Helper()
	if runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skipf("%s, which %s/%s cannot", needs, runtime.GOOS, runtime.GOARCH)
	}
	if testing.Short() {
		t.Skipf("%s (-short)", needs)
	}
}
