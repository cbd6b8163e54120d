package exampleutil_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProgramsUsePublicAPI guards the rule that the example programs, and
// the exampleutil package they share, use the public API only: they import
// no internal package of the module other than examples/internal/ (whose
// exampletest, for tests only, may use internal/testkit). Test files are not
// checked: tests may use the test fixtures.
func TestProgramsUsePublicAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	const module = "github.com/ikdgo/ikd/"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"examples/...").CombinedOutput()
	require.NoError(t, err, string(out))
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := fields[0]
		if pkg == module+"examples/internal/exampletest" {
			continue
		}
		checked++
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, module) && strings.Contains(imp, "/internal/") &&
				!strings.HasPrefix(imp, module+"examples/internal/") {
				t.Errorf("%s imports %s: the examples use the public API only", pkg, imp)
			}
		}
	}
	assert.GreaterOrEqual(t, checked, 6, "the five programs and exampleutil")
}
