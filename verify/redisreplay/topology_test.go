package redisreplay_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/redistest"
	"github.com/ikdgo/ikd/verify"
	"github.com/ikdgo/ikd/verify/redisreplay"
)

// The same store through go-redis's other clients: a Cluster of three
// masters and a Sentinel setup, all real redis-server processes.

// oncePerCode verifies each code from every gate, perGate goroutines each,
// all at once, and requires exactly one acceptance per code.
func oncePerCode(t *testing.T, gates []*verify.Verifier, texts []string, perGate int) {
	t.Helper()
	for _, text := range texts {
		var mu sync.Mutex
		accepted := 0
		var others []error
		var wg sync.WaitGroup
		for _, g := range gates {
			for range perGate {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := g.VerifyText(text)
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						accepted++
					case !errors.Is(err, verify.ReasonReplayed):
						others = append(others, err)
					}
				}()
			}
		}
		wg.Wait()
		require.Empty(t, others)
		require.Equal(t, 1, accepted, "accepted exactly once in total")
	}
}

// startCluster starts three masters and joins them into a Cluster, the
// 16384 slots split in three, and waits until it is ready.
func startCluster(t *testing.T) []*redistest.Server {
	t.Helper()
	nodes := make([]*redistest.Server, 3)
	for i := range nodes {
		nodes[i] = startRedis(t, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000")
	}
	ctx := context.Background()
	for i, n := range nodes {
		c := client(t, n)
		lo, hi := i*16384/3, (i+1)*16384/3-1
		require.NoError(t, c.Do(ctx, "CLUSTER", "ADDSLOTSRANGE", lo, hi).Err())
		if i > 0 {
			require.NoError(t, c.ClusterMeet(ctx, "127.0.0.1", strconv.Itoa(nodes[0].Port())).Err())
		}
	}
	deadline := time.Now().Add(readyWait)
	for _, n := range nodes {
		c := client(t, n)
		for {
			info, err := c.ClusterInfo(ctx).Result()
			require.NoError(t, err)
			if strings.Contains(info, "cluster_state:ok") && strings.Contains(info, "cluster_known_nodes:3") {
				break
			}
			require.True(t, time.Now().Before(deadline), "cluster not ready after %v: %s", readyWait, info)
			time.Sleep(20 * time.Millisecond)
		}
	}
	return nodes
}

func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Cluster of three servers (go test without -short runs it)")
	}
	nodes := startCluster(t)
	w := newWorld(t)
	addrs := make([]string, len(nodes))
	for i, n := range nodes {
		addrs[i] = n.Addr()
	}
	ctx := context.Background()
	for _, n := range nodes { // the gates' user of docs/replay-store.md
		require.NoError(t, client(t, n).Do(ctx, append([]any{"ACL", "SETUSER", "gate"}, fields(clusterGateACL)...)...).Err())
	}
	gate := func() *verify.Verifier {
		client := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: addrs, IsClusterMode: true, Username: "gate", Password: "gate-password"})
		t.Cleanup(func() { client.Close() })
		_, ok := client.(*redis.ClusterClient)
		require.True(t, ok, "a cluster client")
		// A Cluster's first call finds the slots; a loaded test machine
		// must not make that a timeout.
		c, err := redisreplay.New(client, redisreplay.WithTimeout(5*time.Second))
		require.NoError(t, err)
		return w.gate(t, c, verify.AirlineCheckIn())
	}
	gates := []*verify.Verifier{gate(), gate()}
	texts := w.codes(t, 30)
	oncePerCode(t, gates, texts, 8)
	// The keys are spread over the masters: no hash tag pins them.
	total := int64(0)
	for _, n := range nodes {
		size := client(t, n).DBSize(ctx).Val()
		assert.Positive(t, size, "node %s holds some codes", n.Addr())
		total += size
	}
	assert.Equal(t, int64(len(texts)), total)
}

// startSentinel starts a master, a replica and one Sentinel watching the
// master as "ikd".
func startSentinel(t *testing.T) (master, replica, sentinel *redistest.Server) {
	t.Helper()
	master = startRedis(t)
	replica = startRedis(t, "--replicaof", "127.0.0.1", strconv.Itoa(master.Port()))
	bin := redistest.Binary(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "sentinel.conf")
	require.NoError(t, os.WriteFile(conf, []byte(fmt.Sprintf(
		"sentinel monitor ikd 127.0.0.1 %d 1\nsentinel down-after-milliseconds ikd 1000\nsentinel failover-timeout ikd 5000\n", master.Port())), 0o600))
	var err error
	sentinel, err = redistest.Launch(bin, dir, conf, "--sentinel")
	require.NoError(t, err)
	t.Cleanup(sentinel.Kill)
	return master, replica, sentinel
}

func TestSentinel(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Sentinel setup and waits for a failover (go test without -short runs it)")
	}
	master, replica, sentinel := startSentinel(t)
	w := newWorld(t)
	ctx := context.Background()
	for _, n := range []*redistest.Server{master, replica} { // the gates' user of docs/replay-store.md
		require.NoError(t, client(t, n).Do(ctx, append([]any{"ACL", "SETUSER", "gate"}, fields(gateACL)...)...).Err())
	}
	gate := func() *verify.Verifier {
		client := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{sentinel.Addr()}, MasterName: "ikd", Username: "gate", Password: "gate-password"})
		t.Cleanup(func() { client.Close() })
		c, err := redisreplay.New(client, redisreplay.WithTimeout(5*time.Second))
		require.NoError(t, err)
		return w.gate(t, c, verify.AirlineCheckIn())
	}
	gates := []*verify.Verifier{gate(), gate()}
	texts := w.codes(t, 10)
	oncePerCode(t, gates, texts, 8)
	assert.Equal(t, int64(len(texts)), client(t, master).DBSize(ctx).Val(), "written to the master")
	// The replica has them too, once replication caught up (asynchronous:
	// docs/replay-store.md says what that means for a failover).
	deadline := time.Now().Add(2 * readyWait)
	for client(t, replica).DBSize(ctx).Val() < int64(len(texts)) {
		require.True(t, time.Now().Before(deadline), "replica did not catch up in %v", readyWait)
		time.Sleep(20 * time.Millisecond)
	}

	// The master dies; the Sentinel promotes the replica and the clients
	// follow it by themselves. Until then codes are refused, never
	// accepted; after, the codes accepted before are still replayed.
	sc := redis.NewSentinelClient(&redis.Options{Addr: sentinel.Addr()})
	t.Cleanup(func() { sc.Close() })
	for { // the Sentinel learns of the replica from the master's INFO
		replicas, err := sc.Replicas(ctx, "ikd").Result()
		require.NoError(t, err)
		if len(replicas) > 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the Sentinel did not see the replica in %v", readyWait)
		time.Sleep(50 * time.Millisecond)
	}
	master.Kill()
	refused := awaitAccepting(t, w, gates[0])
	t.Logf("failover: %d codes refused before the first acceptance", refused)
	role, err := client(t, replica).Do(ctx, "ROLE").Slice()
	require.NoError(t, err)
	assert.Equal(t, "master", role[0], "the replica was promoted")
	_, err = gates[1].VerifyText(texts[0])
	assert.ErrorIs(t, err, verify.ReasonReplayed, "replicated before the failover")
	oncePerCode(t, gates, w.codes(t, 3), 4)
}
