package exampleutil

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// parseReplay registers the replay flags on a new flag set and parses
// args; the flags themselves never fail (Open checks).
func parseReplay(t *testing.T, args ...string) *ReplayFlags {
	t.Helper()
	fs := flag.NewFlagSet("scanner", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	r := RegisterReplay(fs)
	r.Log = io.Discard // go-redis's logger is the process's: the last Open's
	t.Cleanup(func() { r.Close() })
	require.NoError(t, fs.Parse(args))
	return r
}

// password is the password of the tests' gate user: no error may show it.
const password = "s3cr3t-gate-pw"

func TestReplayFlags(t *testing.T) {
	t.Setenv(ReplayPasswordEnv, "") // t.Setenv then unset: the tests set it where they need it
	os.Unsetenv(ReplayPasswordEnv)
	s := redistest.Start(t)
	ctx := context.Background()
	admin := redis.NewClient(&redis.Options{Addr: s.Addr()})
	t.Cleanup(func() { admin.Close() })
	require.NoError(t, admin.Do(ctx, "ACL", "SETUSER", "gate", "on", ">"+password, "~ikd:replay:*", "resetchannels", "-@all", "+set", "+exists").Err())
	good := "redis://gate@" + s.Addr() + "/0"
	// A site's user on a shared server (docs/replay-store.md, "A complete redis.conf").
	require.NoError(t, admin.Do(ctx, "ACL", "SETUSER", "gambir", "on", ">"+password, "~ikd:replay:gambir:*", "resetchannels", "-@all", "+set", "+exists").Err())
	pwFile := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pwFile, []byte(password+"\n"), 0o600))

	t.Run("a working store: Open asks the server, Options adds the store", func(t *testing.T) {
		r := parseReplay(t, "-replay", good, "-replay-password-file", pwFile, "-replay-timeout", "2s")
		require.NoError(t, r.Open())
		assert.Equal(t, 2*time.Second, r.Timeout)
		assert.IsType(t, &redis.Client{}, r.client)
		assert.Len(t, r.Options(verify.WithClock(time.Now)), 2, "the clock and the store")
		assert.False(t, r.Policy(verify.AirlineCheckIn()).WarnOnReplayStoreDown)
	})
	t.Run("a site's user with -replay-prefix", func(t *testing.T) {
		t.Setenv(ReplayPasswordEnv, password)
		r := parseReplay(t, "-replay", "redis://gambir@"+s.Addr(), "-replay-prefix", "ikd:replay:gambir:")
		require.NoError(t, r.Open())
		now := time.Now()
		seen, err := r.store.CheckAndMark([32]byte{9}, now.Add(time.Minute), now)
		require.NoError(t, err)
		assert.False(t, seen)
		keys, err := admin.Keys(ctx, "ikd:replay:gambir:*").Result()
		require.NoError(t, err)
		assert.Contains(t, keys, "ikd:replay:gambir:CQAAAAAAAAAAAAAAAAAAAA", "the code, under the site's prefix")
	})
	t.Run("the password from the environment", func(t *testing.T) {
		t.Setenv(ReplayPasswordEnv, password)
		r := parseReplay(t, "-replay", good, "-replay-fallback")
		require.NoError(t, r.Open())
		assert.True(t, r.Policy(verify.AirlineCheckIn()).WarnOnReplayStoreDown)
	})
	t.Run("no -replay: nothing to open, the verifier's own store", func(t *testing.T) {
		r := parseReplay(t)
		require.NoError(t, r.Open())
		assert.Len(t, r.Options(verify.WithClock(time.Now)), 1)
		assert.NoError(t, r.Close())
	})

	for _, tc := range []struct {
		name string
		args []string
		want string // in the error
	}{
		{"fallback without -replay", []string{"-replay-fallback"}, "-replay-fallback needs -replay"},
		{"timeout without -replay", []string{"-replay-timeout", "1s"}, "-replay-timeout needs -replay"},
		{"CA without -replay", []string{"-replay-ca", "ca.pem"}, "-replay-ca needs -replay"},
		{"prefix without -replay", []string{"-replay-prefix", "ikd:replay:gambir:"}, "-replay-prefix needs -replay"},
		{"a prefix with a glob character", []string{"-replay", good, "-replay-prefix", "ikd:replay:*:"}, "-replay-prefix"},
		{"the site's user without -replay-prefix", []string{"-replay", "redis://gambir:" + password + "@" + s.Addr()}, "NOPERM"},
		{"server check without -replay", []string{"-replay-check-server"}, "-replay-check-server needs -replay"},
		{"twice", []string{"-replay", good, "-replay", good}, "given twice"},
		{"zero timeout", []string{"-replay", good, "-replay-timeout", "0s"}, "timeout"},
		{"timeout of an hour", []string{"-replay", good, "-replay-timeout", "1h"}, "timeout"},
		{"unknown scheme", []string{"-replay", "http://gate:" + password + "@127.0.0.1:6379"}, "scheme"},
		{"bad port", []string{"-replay", "redis://gate:" + password + "@127.0.0.1:port"}, "invalid port"},
		{"bad escape", []string{"-replay", "redis://gate:" + password + "%zz@127.0.0.1:6379"}, "invalid URL escape"},
		// A / ? or # typed in the password cuts the URL before its "@":
		// go-redis would then quote the password as a port, path, option
		// or fragment.
		{"a ? in the password", []string{"-replay", "redis://gate:s3cr3t?x@127.0.0.1:6379"}, "%3F"},
		{"a / in the password", []string{"-replay", "redis://gate:ab/s3cr3t@127.0.0.1:6379"}, "%2F"},
		{"a # in the password", []string{"-replay", "redis://gate:s3cr3t#x@127.0.0.1:6379"}, "%23"},
		{"a ? in the user name", []string{"-replay", "redis://?:s3cr3t@127.0.0.1:6379"}, "after a / ? or #"},
		{"an @ in an option", []string{"-replay", "redis://127.0.0.1:6379/0?client_name=s3cr3t@gate"}, "in a path or query as %40"},
		{"a password as the port (no host)", []string{"-replay", "redis://gate:" + password}, `invalid port "…" after host; write a password's reserved characters %-escaped`},
		{"a password option outside Sentinel", []string{"-replay", "redis://" + s.Addr() + "?password=" + password}, "unexpected option: password"},
		// url.Query drops a pair with a ; or a bad escape, ?password= with
		// it: the option would be neither used nor masked.
		{"a ; in a Sentinel password option", []string{"-replay", "redis://" + s.Addr() + "?master_name=ikd&password=" + password + ";x=1"}, "the query does not parse: invalid semicolon separator in query; write a ; or % in an option's value %-escaped"},
		{"a bad escape in a password option", []string{"-replay", "redis://" + s.Addr() + "?password=" + password + "%zz"}, `the query does not parse: invalid URL escape "…"`},
		{"a password option in upper case", []string{"-replay", "redis://" + s.Addr() + "?master_name=ikd&PASSWORD=" + password}, "option password: write it in lower case"},
		{"a Sentinel password option and a file", []string{"-replay", "redis://" + s.Addr() + "?master_name=ikd&password=" + password, "-replay-password-file", pwFile}, "give one"},
		{"unknown parameter", []string{"-replay", "redis://gate:" + password + "@127.0.0.1:6379?bogus=1"}, "bogus"},
		{"unbounded read timeout", []string{"-replay", "redis://" + s.Addr() + "?read_timeout=-1"}, "read_timeout"},
		{"unbounded write timeout", []string{"-replay", "redis://" + s.Addr() + "?write_timeout=-1s"}, "write_timeout"},
		{"skip_verify without the loud flag", []string{"-replay", "rediss://gate:" + password + "@" + s.Addr() + "?skip_verify=true"}, "skip_verify=true accepts any server certificate"},
		{"the loud flag without skip_verify", []string{"-replay", "rediss://" + s.Addr(), "-replay-insecure-skip-verify"}, "without skip_verify=true"},
		{"a CA without TLS", []string{"-replay", good, "-replay-ca", pwFile}, "need a rediss:// URL"},
		{"a CA file without a certificate", []string{"-replay", "rediss://" + s.Addr(), "-replay-ca", pwFile}, "no PEM certificate"},
		{"two passwords", []string{"-replay", "redis://gate:" + password + "@" + s.Addr(), "-replay-password-file", pwFile}, "give one"},
		{"wrong password", []string{"-replay", "redis://gate:wrong-" + password + "@" + s.Addr()}, "WRONGPASS"},
		{"no such database", []string{"-replay", "redis://" + s.Addr() + "/99"}, "DB index is out of range"},
		{"a Cluster URL for one server", []string{"-replay", "redis://" + s.Addr() + "?addr=" + s.Addr()}, "needs a Cluster"},
		{"no scheme", []string{"-replay", "127.0.0.1:6417"}, "-replay 127.0.0.1:6417: the URL needs the scheme redis:// or rediss://"},
		{"no scheme, a host name", []string{"-replay", "localhost:6417"}, "the URL needs the scheme redis:// or rediss://"},
		{"no scheme, a password", []string{"-replay", "gate:" + password + "@127.0.0.1:6417"}, "the URL needs the scheme redis:// or rediss://"},
		{"a host name that does not exist", []string{"-replay", "redis://no-such-host.invalid:6379"}, "the host name does not exist"},
		{"an empty master_name", []string{"-replay", "redis://" + s.Addr() + "?master_name="}, "master_name is empty"},
		{"an empty master_name among others", []string{"-replay", "redis://" + s.Addr() + "?addr=" + s.Addr() + "&master_name="}, "master_name is empty"},
	} {
		t.Run(tc.name+" is refused at Open, without the password", func(t *testing.T) {
			r := parseReplay(t, tc.args...)
			err := r.Open()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), password)
			assert.NotContains(t, err.Error(), "s3cr3t")
			assert.NotContains(t, err.Error(), "\n", "one line")
			assert.Equal(t, err, r.Open(), "the first result again")
			assert.Len(t, r.Options(), 1, "verify.New fails on the nil store")
			_, nerr := verify.New(nil, verify.AirlineCheckIn(), r.Options()...)
			assert.Error(t, nerr)
		})
	}

	t.Run("no server: Open starts with the store down, and says why", func(t *testing.T) {
		r := parseReplay(t, "-replay", "redis://gate:"+password+"@127.0.0.1:1")
		var log lockedBuffer
		r.Log = &log
		require.NoError(t, r.Open())
		assert.Contains(t, log.String(), "replay store: warning: not reachable at start: -replay redis://gate:xxxxx@127.0.0.1:1: ")
		assert.Contains(t, log.String(), "connection refused")
		assert.NotContains(t, log.String(), password)
		for _, line := range strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n") {
			assert.True(t, strings.HasPrefix(line, "replay store: "), "unprefixed line %q", line)
		}
		require.Len(t, r.Options(), 1)
		_, err := r.store.CheckAndMark([32]byte{1}, time.Now(), time.Now())
		assert.ErrorIs(t, err, verify.ErrReplayStoreDown, "the health check ran before Open returned")
	})
	t.Run("skip_verify with the loud flag is taken", func(t *testing.T) {
		r := parseReplay(t, "-replay", "rediss://127.0.0.1:1?skip_verify=true", "-replay-insecure-skip-verify")
		require.NoError(t, r.Open())
		assert.True(t, r.client.(*redis.Client).Options().TLSConfig.InsecureSkipVerify)
	})
	t.Run("a read-only replica is refused at Open", func(t *testing.T) {
		replica := redistest.Start(t, "--replicaof", "127.0.0.1", strings.TrimPrefix(s.Addr(), "127.0.0.1:"))
		r := parseReplay(t, "-replay", "redis://"+replica.Addr())
		err := r.Open()
		require.Error(t, err)
		assert.Contains(t, err.Error(), "READONLY")
	})
	t.Run("a user without the permission on the replay keys is refused at Open", func(t *testing.T) {
		require.NoError(t, admin.Do(ctx, "ACL", "SETUSER", "elsewhere", "on", ">"+password, "~other:*", "-@all", "+set").Err())
		t.Setenv(ReplayPasswordEnv, password)
		r := parseReplay(t, "-replay", "redis://elsewhere@"+s.Addr())
		err := r.Open()
		require.Error(t, err)
		assert.Contains(t, err.Error(), "NOPERM")
	})
	t.Run("-replay-check-server: the eviction check as the administrator", func(t *testing.T) {
		// This server: noeviction and nothing evicted.
		r := parseReplay(t, "-replay", "redis://"+s.Addr(), "-replay-check-server")
		require.NoError(t, r.Open())
		// The gate's own user may not read the configuration.
		r = parseReplay(t, "-replay", good, "-replay-password-file", pwFile, "-replay-check-server")
		err := r.Open()
		require.Error(t, err)
		assert.Contains(t, err.Error(), "administrator")
		// A server under an evicting policy, then one that evicted keys.
		ev := redistest.Start(t, "--maxmemory-policy", "volatile-lru")
		r = parseReplay(t, "-replay", "redis://"+ev.Addr(), "-replay-check-server")
		err = r.Open()
		require.Error(t, err)
		assert.Contains(t, err.Error(), `maxmemory-policy "volatile-lru"`)
		evAdmin := redis.NewClient(&redis.Options{Addr: ev.Addr()})
		t.Cleanup(func() { evAdmin.Close() })
		require.NoError(t, evAdmin.ConfigSet(ctx, "maxmemory-policy", "allkeys-random").Err())
		require.NoError(t, evAdmin.ConfigSet(ctx, "maxmemory", "2mb").Err())
		big := strings.Repeat("x", 10_000)
		for i := 0; i < 1000; i++ { // 10 MB into 2 MB: keys are evicted
			require.NoError(t, evAdmin.Set(ctx, "fill:"+strings.Repeat("k", i%7)+string(rune('a'+i%26))+strings.Repeat("z", i/26), big, 0).Err())
		}
		require.NoError(t, evAdmin.ConfigSet(ctx, "maxmemory-policy", "noeviction").Err())
		require.NoError(t, evAdmin.ConfigSet(ctx, "maxmemory", "0").Err()) // room again: only the count remains
		r = parseReplay(t, "-replay", "redis://"+ev.Addr(), "-replay-check-server")
		err = r.Open()
		require.Error(t, err)
		assert.Contains(t, err.Error(), "evicted_keys")
	})
	t.Run("the client bounds its own waits", func(t *testing.T) {
		r := parseReplay(t, "-replay", good, "-replay-password-file", pwFile)
		require.NoError(t, r.Open())
		assert.True(t, r.client.(*redis.Client).Options().ContextTimeoutEnabled)
	})
}

// FuzzReplayURL: whatever the URL, an error of parsing it never repeats
// its password.
func FuzzReplayURL(f *testing.F) {
	for _, rest := range []string{"127.0.0.1:port", "127.0.0.1:6379?bogus=1", "h/99x", "h:1?read_timeout=-1", "[::1", "h?skip_verify=true", "h?addr=x:1&addr=%zz"} {
		f.Add("gate", "s3cr3t-pw", rest)
	}
	f.Add("gate", "pw%zz", "h:1")
	f.Fuzz(func(t *testing.T, user, pw, rest string) {
		if len(pw) < 4 || strings.Contains(user+rest, pw) || strings.Contains("-replay redis:// xxxxx", pw) {
			return // too short to tell from the rest of the message
		}
		raw := "redis://" + user + ":" + pw + "@" + rest
		r := &ReplayFlags{}
		client, _, err := r.newClient(raw)
		if err == nil {
			client.Close()
			return
		}
		_, secret := redactURL(raw)
		msg := redactedError(raw, err, secret).Error()
		assert.NotContains(t, msg, pw)
	})
}

// lockedBuffer is a bytes.Buffer safe for the logger's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRedisLog: go-redis's lines reach the program's log on one line each,
// prefixed, and at most one per logEvery, with the count of those left
// out.
func TestRedisLog(t *testing.T) {
	var out lockedBuffer
	now := time.Unix(1_800_000_000, 0)
	l := &redisLog{w: &out, now: func() time.Time { return now }}
	ctx := context.Background()
	l.Printf(ctx, "redis: %s:770: failed to dial after %d attempts:\n%s", "pool.go", 5, "dial tcp 127.0.0.1:6417: connect: connection refused")
	now = now.Add(time.Second)
	l.Printf(ctx, "left out")
	l.Printf(ctx, "left out too")
	now = now.Add(logEvery)
	l.Printf(ctx, "the next")
	assert.Equal(t, "replay store: go-redis: redis: pool.go:770: failed to dial after 5 attempts: dial tcp 127.0.0.1:6417: connect: connection refused\n"+
		"replay store: go-redis: the next (2 more go-redis lines left out in the last 11s)\n", out.String())
}

// TestUnclearUserinfo: a URL is refused, showing nothing of it, exactly
// when an "@" follows a / ? or #; %-escaped characters and an "@" typed in
// the password (the last "@" ends the user and password) are read.
func TestUnclearUserinfo(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want bool
	}{
		{"redis://gate:pw@10.0.0.5:6379", false},
		{"redis://gate:p%3Fw%2F%23@10.0.0.5:6379", false},
		{"redis://gate:p@w@10.0.0.5:6379", false},
		{"rediss://10.0.0.5:6379/0?client_name=gate%40gambir", false},
		{"redis://10.0.0.5:6379/0", false},
		{"http://gate:p/w@10.0.0.5", false}, // refused for its scheme
		{"redis://gate:p?w@10.0.0.5:6379", true},
		{"redis://gate:p/w@10.0.0.5:6379", true},
		{"REDISS://gate:p#w@10.0.0.5:6379", true},
		{"redis://10.0.0.5:6379/0?client_name=gate@gambir", true},
	} {
		assert.Equal(t, tc.want, unclearUserinfo(tc.raw), tc.raw)
	}
}

// TestReplaySecretsNeverShown: a password the server quotes back (Redis
// with AUTH renamed answers "unknown command 'auth', with args beginning
// with: 'PW'") shows neither at Open, from the URL, the file or the
// environment, nor in a code's refusal (the -json detail), which still
// wraps the store's error; a Sentinel's ?password= is masked in the URL
// shown.
func TestReplaySecretsNeverShown(t *testing.T) {
	t.Setenv(ReplayPasswordEnv, "")
	os.Unsetenv(ReplayPasswordEnv)
	s := redistest.Start(t, "--rename-command", "AUTH", "", "--rename-command", "HELLO", "")
	pwFile := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pwFile, []byte(password+"\n"), 0o600))
	long := strings.Repeat(password, 20) // Redis cuts what it quotes

	t.Run("at Open", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			env  string
			args []string
		}{
			{"in the URL", "", []string{"-replay", "redis://gate:" + password + "@" + s.Addr()}},
			{"long, in the URL", "", []string{"-replay", "redis://gate:" + long + "@" + s.Addr()}},
			{"with a newline, in the URL", "", []string{"-replay", "redis://gate:" + password + "%0Aend@" + s.Addr()}},
			{"from the file", "", []string{"-replay", "redis://gate@" + s.Addr(), "-replay-password-file", pwFile}},
			{"from the environment", password, []string{"-replay", "redis://" + s.Addr()}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if tc.env != "" {
					t.Setenv(ReplayPasswordEnv, tc.env)
				}
				err := parseReplay(t, tc.args...).Open()
				require.Error(t, err)
				assert.Contains(t, err.Error(), "unknown command")
				assert.NotContains(t, err.Error(), "s3cr3t")
			})
		}
	})

	t.Run("in a code's refusal", func(t *testing.T) {
		client := redis.NewClient(&redis.Options{Addr: s.Addr(), Password: password, MaxRetries: -1})
		t.Cleanup(func() { client.Close() })
		cache, err := redisreplay.New(client, redisreplay.WithTimeout(5*time.Second))
		require.NoError(t, err)
		store := redactingStore{cache, secrets{passwords: []string{password}}}
		now := time.Now()
		_, err = store.CheckAndMark([32]byte{7}, now.Add(time.Minute), now)
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "s3cr3t")
		assert.Contains(t, err.Error(), "with args beginning with: (not shown)")
		_, raw := cache.CheckAndMark([32]byte{7}, now.Add(time.Minute), now)
		require.Error(t, raw)
		assert.Contains(t, raw.Error(), "s3cr3t", "the server does quote it")
		var rerr redis.Error
		assert.ErrorAs(t, err, &rerr, "the store's error, still")
	})

	t.Run("a query that does not parse is not shown", func(t *testing.T) {
		q := "master_name=ikd&password=" + password + ";x=1"
		shown, secret := redactURL("redis://s1:26379?" + q)
		assert.NotContains(t, shown, "s3cr3t")
		assert.Equal(t, "option xxxxx", secret.redact("option "+q))
	})
	t.Run("the scheme is never masked", func(t *testing.T) {
		_, secret := redactURL("rediss://:" + password + "@127.0.0.1:6379")
		msg := "SET: x509: unknown authority (TLS: check rediss://, the host name and -replay-ca) " + password
		assert.Equal(t, "SET: x509: unknown authority (TLS: check rediss://, the host name and -replay-ca) xxxxx", secret.redact(msg))
	})
	t.Run("a Sentinel's server password", func(t *testing.T) {
		shown, secret := redactURL("redis://s1:26379?master_name=ikd&password=" + password + "&addr=s2:26379")
		assert.NotContains(t, shown, "s3cr3t")
		assert.Contains(t, shown, "password=xxxxx")
		assert.Contains(t, secret.passwords, password)
	})
}

// TestReplayTLSFault: a rediss:// server whose certificate is not trusted
// is a configuration fault at Open (exit 2), not a store down that
// -replay-fallback would step around.
func TestReplayTLSFault(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS() // with a certificate no system trusts
	t.Cleanup(srv.Close)
	r := parseReplay(t, "-replay", "rediss://gate@"+srv.Listener.Addr().String(), "-replay-fallback")
	err := r.Open()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "TLS: the server's certificate is not trusted")
}
