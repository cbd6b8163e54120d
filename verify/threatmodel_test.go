package verify_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testRef matches a test reference in docs/threat-model.md:
// `package: TestName/subtest/...`.
var testRef = regexp.MustCompile("`([a-z0-9_/-]+): ((?:Test|Fuzz|Benchmark)[A-Za-z0-9_]*)((?:/[^`/]+)*)`")

var catalogueID = regexp.MustCompile(`^[A-Z][0-9]+$`)

// TestThreatModelTestsExist parses the attack catalogue in
// docs/threat-model.md and checks every row: a unique id, at least one
// test reference, status "passes", and every referenced test function and
// subtest name present in that package's test files. Whether the tests
// pass is the job of go test itself; this keeps the catalogue from naming
// tests that were renamed or deleted.
func TestThreatModelTestsExist(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "threat-model.md"))
	require.NoError(t, err)
	assert.False(t, strings.Contains(string(doc), "LONGRUNS"), "fuzzing results not filled in")

	sources := map[string]string{} // package dir → its test files, concatenated
	source := func(pkg string) string {
		if s, ok := sources[pkg]; ok {
			return s
		}
		files, err := filepath.Glob(filepath.Join("..", filepath.FromSlash(pkg), "*_test.go"))
		require.NoError(t, err)
		require.NotEmpty(t, files, "package %s has no tests", pkg)
		var b strings.Builder
		for _, f := range files {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			b.Write(data)
		}
		sources[pkg] = b.String()
		return sources[pkg]
	}

	ids := map[string]bool{}
	refs := 0
	for i, line := range strings.Split(string(doc), "\n") {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if len(cells) != 5 || !catalogueID.MatchString(strings.TrimSpace(cells[0])) {
			continue
		}
		id := strings.TrimSpace(cells[0])
		assert.False(t, ids[id], "line %d: duplicate id %s", i+1, id)
		ids[id] = true
		assert.Equal(t, "passes", strings.TrimSpace(cells[4]), "line %d: %s status", i+1, id)
		found := testRef.FindAllStringSubmatch(cells[3], -1)
		assert.NotEmpty(t, found, "line %d: %s names no test", i+1, id)
		for _, m := range found {
			refs++
			pkg, fn, sub := m[1], m[2], m[3]
			src := source(pkg)
			assert.True(t, regexp.MustCompile(`(?m)^func `+fn+`\(`).MatchString(src), "%s: %s: no func %s in %s", id, m[0], fn, pkg)
			for _, s := range strings.Split(strings.TrimPrefix(sub, "/"), "/") {
				if s == "" {
					continue
				}
				assert.True(t, strings.Contains(src, `"`+s+`"`) || strings.Contains(src, `"`+strings.ReplaceAll(s, "_", " ")+`"`),
					"%s: %s: no subtest %q in %s", id, m[0], s, pkg)
			}
		}
	}
	assert.GreaterOrEqual(t, len(ids), 40, "catalogue entries")
	t.Logf("%d catalogue entries, %d test references", len(ids), refs)
}
