package mobile

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDependencyDirection guards the binding's place in the package graph:
// it sits on top of verify (nothing of the library imports it), and it does
// not link golang.org/x/mobile, which only the app's own build (gomobile
// bind) and mobile/jvmtest bring in.
func TestDependencyDirection(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	deps := func(pkg string) []string {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		require.NoError(t, err, string(out))
		return strings.Fields(string(out))
	}
	mine := deps("github.com/ikdgo/ikd/mobile")
	assert.Contains(t, mine, "github.com/ikdgo/ikd/verify")
	for _, d := range mine {
		assert.False(t, strings.HasPrefix(d, "golang.org/x/mobile"), "mobile links %s", d)
	}
	for _, pkg := range []string{"credential", "credential/status", "keys", "qr", "verify"} {
		assert.NotContains(t, deps("github.com/ikdgo/ikd/"+pkg), "github.com/ikdgo/ikd/mobile", pkg)
	}
}
