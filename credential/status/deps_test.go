package status

import (
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDependencies guards the import graph around status lists: package
// credential imports credential/status (Issuer.SignStatusList takes a
// Token and a List) and internal/statuslist, so neither may import
// credential back; and the issuer's builder needs no signing or wire code.
func TestDependencies(t *testing.T) {
	// Not testkit.SkipWithoutProcesses: testkit imports this package.
	if testing.Short() || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("runs go list, which -short and js/wasm skip")
	}
	const mod = "github.com/ikdgo/ikd/"
	for pkg, forbidden := range map[string][]string{
		mod + "credential/status": {
			mod + "credential", mod + "keys", mod + "qr", mod + "verify",
			mod + "internal/sign1", mod + "internal/statuslist", mod + "internal/testkit",
		},
		mod + "internal/statuslist": {mod + "credential", mod + "qr", mod + "verify", mod + "internal/testkit"},
	} {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		require.NoError(t, err, string(out))
		deps := strings.Fields(string(out))
		for _, bad := range forbidden {
			assert.NotContains(t, deps, bad, "%s must not depend on %s", pkg, bad)
		}
	}
}
