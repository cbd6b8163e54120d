package exampleutil

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ikdgo/ikd/verify"
	"github.com/ikdgo/ikd/verify/redisreplay"
)

// ReplayPasswordEnv is the environment variable that may carry the
// password of -replay's server, so that it shows neither on the command
// line (ps) nor in a shell history.
const ReplayPasswordEnv = "IKD_REPLAY_PASSWORD"

// ReplayFlags are the scanners' flags for a replay store shared by all the
// gates of a station or airport (verify/redisreplay):
//
//	-replay redis://user@host:6379/0                     one server
//	-replay 'redis://host:26379?master_name=ikd&addr=host2:26379'   Sentinel (the addresses are the Sentinels')
//	-replay 'redis://host1:6379?addr=host2:6379&addr=host3:6379'    Cluster
//	-replay-prefix ikd:replay:SITE:                      the keys' prefix (default ikd:replay:), one per site on a shared server
//	-replay-password-file FILE                           the password (or $IKD_REPLAY_PASSWORD); not in the URL, which ps shows
//	-replay-ca FILE                                      with rediss://: the CA certificates (PEM) the server's certificate must chain to
//	-replay-insecure-skip-verify                         with rediss://...?skip_verify=true: accept any server certificate (testing only)
//	-replay-check-server                                 as the administrator: check at start that the server never evicts (noeviction, evicted_keys 0)
//	-replay-timeout 50ms                                 the longest a verification waits for the store (1ms to 10s)
//	-replay-fallback                                     accept with a warning while the store is down
//
// rediss:// is the same with TLS; the URL's other query parameters are
// go-redis's (dial_timeout, read_timeout, ...), but no timeout may be
// negative (unbounded). Without -replay each scanner keeps its own
// in-memory store, and the other -replay-* flags are refused.
//
// The flags only record what they are given; [ReplayFlags.Open] checks
// them and the server, so that its errors go through the program's
// setup-error report (JSON under -json) and never repeat the URL's
// password.
type ReplayFlags struct {
	// Fallback sets verify.Policy.WarnOnReplayStoreDown.
	Fallback bool
	// Timeout is the store's per-call timeout (redisreplay.WithTimeout).
	Timeout time.Duration
	// Log receives, under -replay, the warning of a store not reachable at
	// start and go-redis's own log lines (redis.SetLogger), each prefixed
	// "replay store: " and at most one go-redis line per logEvery (default
	// os.Stderr).
	Log io.Writer

	urls         []string
	timeout      string
	passwordFile string
	prefix       string
	caFile       string
	insecure     bool
	checkServer  bool
	opened       bool
	openErr      error
	client       redis.UniversalClient
	store        *redisreplay.Cache
	// secrets are what no message may show: every password given, in
	// the URL (user part or query), the file or the environment.
	secrets secrets
}

// RegisterReplay defines -replay and the -replay-* flags on fs. Call
// [ReplayFlags.Open] after parsing, and Close when done.
func RegisterReplay(fs *flag.FlagSet) *ReplayFlags {
	r := &ReplayFlags{Timeout: 50 * time.Millisecond, Log: os.Stderr}
	// A flag.Func error repeats the value, URL and password with it: the
	// flags record, Open checks.
	fs.Func("replay", "share the replay store of all the gates: redis://[user@]host:port[/db] (Sentinel: ?master_name=NAME; Cluster: ?addr=host:port&addr=...)", func(s string) error {
		r.urls = append(r.urls, s)
		return nil
	})
	fs.Func("replay-timeout", "with -replay: the longest one verification waits for the store before refusing the code, 1ms to 10s (default 50ms)", func(s string) error {
		r.timeout = s
		return nil
	})
	fs.StringVar(&r.passwordFile, "replay-password-file", "", "with -replay: read the server's password from this file (default: $"+ReplayPasswordEnv+", else none)")
	fs.StringVar(&r.prefix, "replay-prefix", "", "with -replay: the prefix of the replay keys, ikd:replay:SITE: on a server shared by several sites (default ikd:replay:)")
	fs.StringVar(&r.caFile, "replay-ca", "", "with -replay rediss://: the CA certificates (PEM) the server's certificate must chain to (default: the system's)")
	fs.BoolVar(&r.insecure, "replay-insecure-skip-verify", false, "with -replay rediss://...?skip_verify=true: INSECURE, accept any server certificate, so anyone on the network can pose as the store (testing only)")
	fs.BoolVar(&r.checkServer, "replay-check-server", false, "with -replay as the server's administrator: also check at start that the server never evicts a replay key (maxmemory-policy noeviction, evicted_keys 0; every master of a Cluster); a gate's own user may not run the check")
	fs.BoolVar(&r.Fallback, "replay-fallback", false, "with -replay: while the store is down, check codes against this scanner's memory and accept them with a warning (default: refuse)")
	return r
}

// Open checks the flags, makes the client and asks the server: one SET
// NX of a probe key under the replay prefix, which a gate's user must be
// allowed, and the topology (a Cluster URL for a Cluster, a single address
// for a single server). It returns an error, never repeating a password,
// for a flag that is wrong or given without -replay, and for a server that
// answers and refuses (a wrong password, a database that does not exist, a
// read-only replica, a missing permission, a Cluster node behind a single
// address). A server that cannot be reached is no error: the scanner
// starts with the store down (see verify/redisreplay, "Failure"), waiting
// at most five seconds to find out. Without -replay and with no other -replay-* flag it does
// nothing. Calling it again returns the first result.
func (r *ReplayFlags) Open() error {
	if r.opened {
		return r.openErr
	}
	r.opened = true
	r.openErr = r.open()
	if r.openErr != nil && r.client != nil {
		r.client.Close()
		r.client, r.store = nil, nil
	}
	return r.openErr
}

func (r *ReplayFlags) open() error {
	if len(r.urls) == 0 {
		for name, set := range map[string]bool{
			"-replay-fallback": r.Fallback, "-replay-timeout": r.timeout != "", "-replay-password-file": r.passwordFile != "", "-replay-prefix": r.prefix != "",
			"-replay-ca": r.caFile != "", "-replay-insecure-skip-verify": r.insecure, "-replay-check-server": r.checkServer,
		} {
			if set {
				return fmt.Errorf("%s needs -replay", name)
			}
		}
		return nil
	}
	if len(r.urls) > 1 {
		return errors.New("-replay given twice")
	}
	if r.timeout != "" {
		d, err := time.ParseDuration(r.timeout)
		if err != nil {
			return fmt.Errorf("-replay-timeout: %v", err)
		}
		r.Timeout = d
	}
	raw := r.urls[0]
	_, r.secrets = redactURL(raw)
	wrap := func(err error) error { return redactedError(raw, err, r.secrets) }
	client, cluster, err := r.newClient(raw)
	if err != nil {
		return wrap(err)
	}
	// go-redis logs to stderr by itself (pool.go ... failed to dial):
	// through the program's log instead, prefixed, rate-limited and
	// without the passwords.
	redis.SetLogger(&redisLog{w: r.Log, now: time.Now, secrets: r.secrets})
	r.client = client
	if r.prefix != "" {
		if _, err := redisreplay.New(client, redisreplay.WithPrefix(r.prefix)); err != nil {
			return fmt.Errorf("-replay-prefix: %v", err)
		}
	}
	store, err := redisreplay.New(client, redisreplay.WithTimeout(r.Timeout), redisreplay.WithPrefix(r.prefixOrDefault()))
	if err != nil {
		return fmt.Errorf("-replay-timeout: %v", err)
	}
	unreached, err := probe(client, store, cluster, r.prefixOrDefault()+probeKeyName)
	if err != nil {
		return wrap(err)
	}
	if unreached != nil {
		fmt.Fprintf(r.Log, "replay store: warning: not reachable at start: %v: starting with the store down; codes are refused (with -replay-fallback: checked locally) until it answers\n", redactedError(raw, unreached, r.secrets))
	}
	if r.checkServer {
		if err := checkEviction(client); err != nil {
			return wrap(err)
		}
	}
	r.store = store
	return nil
}

// redactedError is err about -replay raw, with raw shown redacted and
// the secrets removed from err's message.
func redactedError(raw string, err error, secret secrets) error {
	if unclearUserinfo(raw) {
		// go-redis's errors would quote the misread part, password and
		// all: nothing of err is shown either.
		return errUnclearUserinfo
	}
	shown, _ := redactURL(raw)
	return fmt.Errorf("-replay %s: %s", shown, secret.redact(err.Error()))
}

// redactURL returns raw as it may be shown (the passwords, if any, as
// "xxxxx"; nothing of it if it does not parse, nothing of its query if
// that does not parse) and the secrets no message may show.
func redactURL(raw string) (string, secrets) {
	if !redisScheme(raw) {
		// "gate:pw@host" parses, with "gate" as its scheme: without the
		// scheme nothing tells a password, so only a value without "@"
		// (such as "10.0.0.5:6379") is shown.
		if !strings.Contains(raw, "@") {
			return raw, secrets{}
		}
		return "(a URL without redis:// or rediss://)", secrets{verbatim: []string{raw}}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(the URL does not parse)", secrets{verbatim: []string{raw}}
	}
	var secret secrets
	if pw, ok := u.User.Password(); ok && pw != "" {
		secret.passwords = append(secret.passwords, pw)
		_, rest, _ := strings.Cut(raw, "://")
		if i := strings.LastIndex(rest, "@"); i >= 0 {
			// The user part as typed, %-escapes and all.
			secret.verbatim = append(secret.verbatim, rest[:i])
		}
	}
	// A Sentinel URL's ?password= is the servers' password (its user part
	// is the Sentinels'); any other URL refuses the option, and quotes it.
	// A query that does not parse (a ; or a bad %-escape) is not shown.
	shown := *u
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		secret.verbatim = append(secret.verbatim, u.RawQuery)
		shown.RawQuery = "(not shown)"
		return shown.Redacted(), secret
	}
	masked := false
	for name, vs := range q {
		if isPasswordOption(name) {
			secret.passwords = append(secret.passwords, vs...)
			q[name] = []string{"xxxxx"}
			masked = true
		}
	}
	if masked {
		shown.RawQuery = q.Encode()
	}
	return shown.Redacted(), secret
}

// isPasswordOption reports whether a URL query option names a password:
// go-redis's password and sentinel_password, in any case (an unknown
// case is refused, quoting the URL).
func isPasswordOption(name string) bool {
	return strings.EqualFold(name, "password") || strings.EqualFold(name, "sentinel_password")
}

// secrets are what no message may show.
type secrets struct {
	// passwords are found as given, %-escaped, with their white space as
	// single spaces (Redis's quoting), and by their longest start of at
	// least minSecretPiece characters (Redis cuts what it quotes).
	passwords []string
	// verbatim are found only as given: a URL, or its user part, as typed.
	verbatim []string
}

// argsEcho is how Redis quotes the arguments of a command it refuses
// (ERR unknown command 'auth', with args beginning with: 'gate' 'PW'):
// what follows it is never shown, cut to 128 characters or not.
const argsEcho = "with args beginning with:"

// minSecretPiece is the shortest start of a password that redact still
// finds: Redis cuts the arguments it quotes.
const minSecretPiece = 8

// redact returns msg without the secrets, and without what Redis quotes
// of a refused command.
func (s secrets) redact(msg string) string {
	if i := strings.Index(msg, argsEcho); i >= 0 {
		msg = msg[:i] + argsEcho + " (not shown)"
	}
	for _, v := range s.verbatim {
		if v != "" {
			msg = strings.ReplaceAll(msg, v, "xxxxx")
		}
	}
	for _, p := range s.passwords {
		if p == "" {
			continue
		}
		for _, form := range []string{p, url.QueryEscape(p), url.PathEscape(p), strings.Join(strings.Fields(p), " ")} {
			if form != "" {
				msg = strings.ReplaceAll(msg, form, "xxxxx")
			}
		}
		for n := min(len(p)-1, len(msg)); n >= minSecretPiece; n-- {
			if strings.Contains(msg, p[:n]) {
				msg = strings.ReplaceAll(msg, p[:n], "xxxxx")
				break
			}
		}
	}
	return msg
}

// redactingStore is the shared store whose errors (shown as a refusal's
// detail) never carry a password: a server's error reply can quote it.
type redactingStore struct {
	*redisreplay.Cache
	secrets secrets
}

// CheckAndMark implements verify.ReplayCache.
func (s redactingStore) CheckAndMark(key [32]byte, expires, now time.Time) (bool, error) {
	seen, err := s.Cache.CheckAndMark(key, expires, now)
	if err != nil {
		if msg := err.Error(); s.secrets.redact(msg) != msg {
			err = redactedCause{s.secrets.redact(msg), err}
		}
	}
	return seen, err
}

// redactedCause is an error shown with its passwords removed; errors.Is
// and As still see the error it stands for.
type redactedCause struct {
	msg   string
	cause error
}

func (e redactedCause) Error() string { return e.msg }
func (e redactedCause) Unwrap() error { return e.cause }

// unclearUserinfo reports whether raw, a redis:// or rediss:// URL, has an
// "@" after its scheme with a / ? or # before it: a password typed with
// one of those cuts the URL before its "@", so that the password is read
// as host, port, path, query or fragment, and any error about those parts
// would quote it. An "@" in a path or query is refused the same way (it
// must be written %40): nothing tells it from a cut password.
func unclearUserinfo(raw string) bool {
	if !redisScheme(raw) {
		return false
	}
	_, rest, ok := strings.Cut(raw, "://")
	at := strings.LastIndex(rest, "@")
	return ok && at >= 0 && strings.ContainsAny(rest[:at], "/?#")
}

// errUnclearUserinfo is the error of a URL unclearUserinfo refuses. It
// shows nothing of the URL.
var errUnclearUserinfo = errors.New("-replay (not shown): the URL has an \"@\" after a / ? or #; write those characters in a user name or password %-escaped (%2F %3F %23, and an \"@\" as %40), and an \"@\" in a path or query as %40")

// quoted is a quoted part of an error message.
var quoted = regexp.MustCompile(`"[^"]*"`)

// redisScheme reports whether raw starts with redis:// or rediss://.
func redisScheme(raw string) bool {
	l := strings.ToLower(raw)
	return strings.HasPrefix(l, "redis://") || strings.HasPrefix(l, "rediss://")
}

// newClient parses raw with the go-redis parser of its kind and applies
// the flags; cluster reports a Cluster client.
func (r *ReplayFlags) newClient(raw string) (redis.UniversalClient, bool, error) {
	if !redisScheme(raw) {
		return nil, false, errors.New("the URL needs the scheme redis:// or rediss:// (TLS), such as redis://gate@10.0.0.5:6379")
	}
	if unclearUserinfo(raw) {
		return nil, false, errUnclearUserinfo
	}
	u, err := url.Parse(raw)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // without the URL
		}
		// Without the quoted part, which may be a password misread as a
		// port (redis://gate:PW with no host) or an escape.
		return nil, false, fmt.Errorf("%s; write a password's reserved characters %%-escaped (%%25 for %%, %%20 for a space), or give it with -replay-password-file",
			quoted.ReplaceAllString(err.Error(), `"…"`))
	}
	if _, err := url.ParseQuery(u.RawQuery); err != nil {
		// url.Query drops such a pair, ?password= with it, unseen.
		return nil, false, fmt.Errorf("the query does not parse: %s; write a ; or %% in an option's value %%-escaped (%%3B, %%25)",
			quoted.ReplaceAllString(err.Error(), `"…"`))
	}
	for name := range u.Query() {
		if isPasswordOption(name) && name != strings.ToLower(name) {
			return nil, false, fmt.Errorf("option %s: write it in lower case", strings.ToLower(name))
		}
	}
	password, err := r.password(u)
	if err != nil {
		return nil, false, err
	}
	if password != "" {
		r.secrets.passwords = append(r.secrets.passwords, password)
	}
	q := u.Query()
	switch {
	case q.Has("master_name"):
		if q.Get("master_name") == "" {
			return nil, false, errors.New("master_name is empty: give the name of the Sentinel master (SENTINEL MASTERS lists them)")
		}
		o, err := redis.ParseFailoverURL(raw)
		if err != nil {
			return nil, false, err
		}
		if err := r.harden(&o.Password, password, &o.TLSConfig, o.DialTimeout, o.ReadTimeout, o.WriteTimeout); err != nil {
			return nil, false, err
		}
		o.ContextTimeoutEnabled = true
		return redis.NewFailoverClient(o), false, nil
	case q.Has("addr"):
		o, err := redis.ParseClusterURL(raw)
		if err != nil {
			return nil, false, err
		}
		if err := r.harden(&o.Password, password, &o.TLSConfig, o.DialTimeout, o.ReadTimeout, o.WriteTimeout); err != nil {
			return nil, false, err
		}
		o.ContextTimeoutEnabled = true
		return redis.NewClusterClient(o), true, nil
	default:
		o, err := redis.ParseURL(raw)
		if err != nil {
			return nil, false, err
		}
		if err := r.harden(&o.Password, password, &o.TLSConfig, o.DialTimeout, o.ReadTimeout, o.WriteTimeout); err != nil {
			return nil, false, err
		}
		// The store's timeout then also ends the socket wait.
		o.ContextTimeoutEnabled = true
		return redis.NewClient(o), false, nil
	}
}

// password returns the password of -replay-password-file or
// $IKD_REPLAY_PASSWORD ("" for none), refusing two sources.
func (r *ReplayFlags) password(u *url.URL) (string, error) {
	_, inURL := u.User.Password()
	env, inEnv := os.LookupEnv(ReplayPasswordEnv)
	var pw string
	switch {
	case r.passwordFile != "" && inEnv:
		return "", fmt.Errorf("-replay-password-file and $%s both set: give one", ReplayPasswordEnv)
	case r.passwordFile != "":
		data, err := os.ReadFile(r.passwordFile)
		if err != nil {
			return "", fmt.Errorf("-replay-password-file: %v", err)
		}
		pw = strings.TrimRight(string(data), "\r\n")
		if pw == "" {
			return "", fmt.Errorf("-replay-password-file %s is empty", r.passwordFile)
		}
	case inEnv:
		pw = env
	default:
		return "", nil
	}
	if inURL || u.Query().Has("password") {
		return "", errors.New("a password in the URL and another from -replay-password-file or $" + ReplayPasswordEnv + ": give one")
	}
	return pw, nil
}

// harden applies the password, the TLS flags and the timeout rules to the
// parsed options.
func (r *ReplayFlags) harden(dst *string, password string, tlsConf **tls.Config, dial, read, write time.Duration) error {
	if password != "" {
		*dst = password
	}
	for name, d := range map[string]time.Duration{"dial_timeout": dial, "read_timeout": read, "write_timeout": write} {
		if d < 0 {
			return fmt.Errorf("%s=%v: a negative timeout waits forever on a network cut; give a positive one or none", name, d)
		}
	}
	c := *tlsConf
	if c == nil {
		if r.caFile != "" || r.insecure {
			return errors.New("-replay-ca and -replay-insecure-skip-verify need a rediss:// URL")
		}
		return nil
	}
	if c.InsecureSkipVerify && !r.insecure {
		return errors.New("skip_verify=true accepts any server certificate, so anyone on the network can pose as the store: refused without -replay-insecure-skip-verify")
	}
	if r.insecure && !c.InsecureSkipVerify {
		return errors.New("-replay-insecure-skip-verify without skip_verify=true in the URL")
	}
	if r.caFile != "" {
		pem, err := os.ReadFile(r.caFile)
		if err != nil {
			return fmt.Errorf("-replay-ca: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("-replay-ca %s: no PEM certificate", r.caFile)
		}
		c.RootCAs = pool
	}
	return nil
}

// probeKeyName follows the replay prefix in the key Open writes (SET NX, a
// second to live) to check that the gate may write the replay keys: a name
// no replay key has (those are 22 base64url characters).
const probeKeyName = "start-up-probe"

// prefixOrDefault is -replay-prefix, or the store's default prefix.
func (r *ReplayFlags) prefixOrDefault() string {
	if r.prefix != "" {
		return r.prefix
	}
	return "ikd:replay:"
}

// probeReplayKey is the replay key Open marks through the store when the server
// cannot be reached: all ones, which no code's SHA-256 digest is in
// practice.
var probeReplayKey = [32]byte{0: 0xff, 1: 0xff, 2: 0xff, 3: 0xff, 4: 0xff, 5: 0xff, 6: 0xff, 7: 0xff, 8: 0xff, 9: 0xff, 10: 0xff, 11: 0xff, 12: 0xff, 13: 0xff, 14: 0xff, 15: 0xff}

// startTimeout bounds Open's wait for the server.
const startTimeout = 5 * time.Second

// probe asks the server what Open promises. A server that cannot be
// reached is no configuration error: the scanner starts, with the store
// down once its health check failed (so that -replay-fallback applies
// from the first code), and the store's calls find the server when it is
// back.
//
// It returns the error of a server that cannot be reached (unreached),
// and an error for a configuration fault: an answer that refuses, or a
// host name that does not exist.
func probe(client redis.UniversalClient, store *redisreplay.Cache, cluster bool, probeKey string) (unreached, _ error) {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	// First the command the store sends, with the longer start-up
	// timeout, so that a slow first connection is not taken for an
	// outage.
	v, err := client.Do(ctx, "set", probeKey, "1", "px", 1000, "nx").Result()
	var rerr redis.Error
	switch {
	case err == redis.Nil, err == nil && v == "OK":
	case errors.As(err, &rerr) && strings.HasPrefix(rerr.Error(), "MOVED "):
		return nil, fmt.Errorf("SET: %v (the server is a Cluster node: give every node with ?addr=)", err)
	case errors.As(err, &rerr) && strings.Contains(rerr.Error(), "cluster support disabled"):
		return nil, fmt.Errorf("SET: %v (a Cluster URL, with ?addr=, needs a Cluster; for one server give a single address)", err)
	case errors.As(err, &rerr):
		return nil, fmt.Errorf("SET: %v", err) // the server answered, and refused: a configuration error
	case err == nil:
		return nil, fmt.Errorf("SET: unexpected reply %q", fmt.Sprint(v))
	case isNoSuchHost(err):
		return nil, fmt.Errorf("SET: %v (the host name does not exist: check the URL)", err)
	case isTLSFault(err):
		return nil, fmt.Errorf("SET: %v (TLS: the server's certificate is not trusted, or the server does not speak TLS; check rediss://, the host name and -replay-ca)", err)
	default:
		// Not reached: let the store find it down (calls in a row that
		// fail, then its health check), so that the fallback applies
		// from the first code.
		for time.Now().Before(deadlineOf(ctx)) {
			now := time.Now()
			if _, err := store.CheckAndMark(probeReplayKey, now, now); err == nil || errors.Is(err, verify.ErrReplayStoreDown) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		return err, nil
	}
	err = client.Do(ctx, "cluster", "slots").Err()
	switch {
	case cluster && err != nil:
		return nil, fmt.Errorf("CLUSTER SLOTS: %v (a Cluster URL, with ?addr=, needs a Cluster; for one server give a single address)", err)
	case !cluster && err == nil:
		// A single server does not answer CLUSTER SLOTS (and a gate's
		// user may not ask: any error is no Cluster).
		return nil, errors.New("the server is a Cluster node: give every node with ?addr=")
	}
	return nil, nil
}

// isTLSFault reports whether err is a TLS handshake that failed on the
// server's certificate or on a server that does not speak TLS: a
// configuration fault (or someone posing as the store), never an outage
// to fall back from.
func isTLSFault(err error) bool {
	var (
		verr *tls.CertificateVerificationError
		herr tls.RecordHeaderError
		uerr x509.UnknownAuthorityError
		nerr x509.HostnameError
		cerr x509.CertificateInvalidError
	)
	return errors.As(err, &verr) || errors.As(err, &herr) || errors.As(err, &uerr) || errors.As(err, &nerr) || errors.As(err, &cerr)
}

// isNoSuchHost reports whether err is a name lookup that found no such
// host: a typing error in the URL rather than a server that is down.
func isNoSuchHost(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns) && dns.IsNotFound
}

// logEvery is the least time between two go-redis lines on the log: a
// store that is down makes go-redis log every failed dial.
const logEvery = 10 * time.Second

// redisLog is go-redis's logger (redis.SetLogger) for the scanners: one
// line, prefixed, at most one per logEvery, with a count of the lines left
// out since the last.
type redisLog struct {
	mu      sync.Mutex
	w       io.Writer
	now     func() time.Time
	last    time.Time
	skipped int
	secrets secrets
}

// Printf implements go-redis's internal.Logging.
func (l *redisLog) Printf(_ context.Context, format string, v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if !l.last.IsZero() && now.Sub(l.last) < logEvery {
		l.skipped++
		return
	}
	msg := l.secrets.redact(strings.Join(strings.Fields(fmt.Sprintf(format, v...)), " "))
	if l.skipped > 0 {
		msg += fmt.Sprintf(" (%d more go-redis lines left out in the last %v)", l.skipped, now.Sub(l.last).Round(time.Second))
	}
	l.last, l.skipped = now, 0
	fmt.Fprintf(l.w, "replay store: go-redis: %s\n", msg)
}

func deadlineOf(ctx context.Context) time.Time {
	d, _ := ctx.Deadline()
	return d
}

// checkEviction checks, as the server's administrator, that no server of
// client evicts keys: maxmemory-policy noeviction (every other policy can
// drop a live replay key, the volatile-* ones first since every replay key
// has a time to live) and evicted_keys 0 (none was dropped since the
// server started).
func checkEviction(client redis.UniversalClient) error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	one := func(ctx context.Context, c *redis.Client) error {
		addr := c.Options().Addr
		policy, err := c.ConfigGet(ctx, "maxmemory-policy").Result()
		if err != nil {
			return fmt.Errorf("-replay-check-server: %s: CONFIG GET: %v (the check needs the server's administrator)", addr, err)
		}
		if p := policy["maxmemory-policy"]; p != "noeviction" {
			return fmt.Errorf("-replay-check-server: %s: maxmemory-policy %q: it can evict live replay keys; set noeviction", addr, p)
		}
		info, err := c.Info(ctx, "stats").Result()
		if err != nil {
			return fmt.Errorf("-replay-check-server: %s: INFO stats: %v", addr, err)
		}
		for _, line := range strings.Split(info, "\r\n") {
			if v, ok := strings.CutPrefix(line, "evicted_keys:"); ok {
				if v != "0" {
					return fmt.Errorf("-replay-check-server: %s: evicted_keys %s: the server has evicted keys since it started", addr, v)
				}
				return nil
			}
		}
		return fmt.Errorf("-replay-check-server: %s: no evicted_keys in INFO stats", addr)
	}
	switch c := client.(type) {
	case *redis.Client:
		return one(ctx, c)
	case *redis.ClusterClient:
		return c.ForEachMaster(ctx, one)
	default:
		return fmt.Errorf("-replay-check-server: client %T", client)
	}
}

// Policy returns p, with WarnOnReplayStoreDown set under -replay-fallback.
func (r *ReplayFlags) Policy(p verify.Policy) verify.Policy {
	if r.Fallback {
		p.WarnOnReplayStoreDown = true
	}
	return p
}

// Options returns opts, with verify.WithReplayCache and the shared store
// added under -replay. It calls Open if the program did not; should Open
// fail, it adds an option that makes verify.New fail rather than let the
// scanner run on a store of its own unawares.
func (r *ReplayFlags) Options(opts ...verify.Option) []verify.Option {
	if err := r.Open(); err != nil {
		return append(opts, verify.WithReplayCache(nil))
	}
	if r.store == nil {
		return opts
	}
	return append(opts, verify.WithReplayCache(redactingStore{r.store, r.secrets}))
}

// Close closes the client of -replay, if any.
func (r *ReplayFlags) Close() error {
	if r.client == nil {
		return nil
	}
	return r.client.Close()
}
