package verify_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/testkit"
)

// TestDependencyDirection guards the package graph: verify → qr →
// credential → keys, credential/status; nothing below imports verify, the
// lower packages import no image code, and verify does not link the Redis
// client of verify/redisreplay. credential imports keys for the
// one Algorithm type and key ids (and so links go-jose through keys);
// credential/status, the issuer's list builder, imports none of them.
func TestDependencyDirection(t *testing.T) {
	testkit.SkipWithoutProcesses(t, "runs go list")
	forbidden := map[string][]string{
		"github.com/ikdgo/ikd/credential":        {"github.com/ikdgo/ikd/qr", "github.com/ikdgo/ikd/verify", "gozxing"},
		"github.com/ikdgo/ikd/credential/status": {"github.com/ikdgo/ikd/qr", "github.com/ikdgo/ikd/verify", "github.com/ikdgo/ikd/keys", "gozxing", "go-jose", "go-cose"},
		"github.com/ikdgo/ikd/keys":              {"github.com/ikdgo/ikd/qr", "github.com/ikdgo/ikd/verify", "github.com/ikdgo/ikd/credential", "gozxing"},
		"github.com/ikdgo/ikd/qr":                {"github.com/ikdgo/ikd/verify"},
		// The Redis replay store is a package of its own (issue 17): a
		// scanner that keeps the in-memory store does not link the client.
		"github.com/ikdgo/ikd/verify": {"github.com/ikdgo/ikd/verify/redisreplay", "github.com/redis/go-redis"},
	}
	// The check above can see go-redis: the package that uses it links it.
	out, err := exec.Command("go", "list", "-deps", "github.com/ikdgo/ikd/verify/redisreplay").CombinedOutput()
	require.NoError(t, err, string(out))
	require.Contains(t, strings.Fields(string(out)), "github.com/redis/go-redis/v9")
	for pkg, bad := range forbidden {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		require.NoError(t, err, string(out))
		for _, dep := range strings.Fields(string(out)) {
			for _, b := range bad {
				if dep == b || strings.Contains(dep, "/"+b) || strings.HasPrefix(dep, b+"/") {
					t.Errorf("%s must not depend on %s (found %s)", pkg, b, dep)
				}
			}
		}
	}
}
