package exampleutil

import (
	"errors"
	"flag"
	"net/url"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ikdgo/ikd/verify"
	"github.com/ikdgo/ikd/verify/redisreplay"
)

// ReplayFlags are the scanners' flags for a replay store shared by all the
// gates of a station or airport (verify/redisreplay):
//
//	-replay redis://host:6379/0                          one server
//	-replay 'redis://host:26379?master_name=ikd&addr=host2:26379'   Sentinel (the addresses are the Sentinels')
//	-replay 'redis://host1:6379?addr=host2:6379&addr=host3:6379'    Cluster
//	-replay-timeout 50ms                                 the longest a verification waits for the store
//	-replay-fallback                                     accept with a warning while the store is down
//
// rediss:// is the same with TLS; the URL's other query parameters are
// go-redis's (dial_timeout, read_timeout, ...). Without -replay each
// scanner keeps its own in-memory store.
type ReplayFlags struct {
	// Fallback sets verify.Policy.WarnOnReplayStoreDown.
	Fallback bool
	// Timeout is the store's per-call timeout (redisreplay.WithTimeout).
	Timeout time.Duration
	client  redis.UniversalClient
}

// RegisterReplay defines -replay, -replay-timeout and -replay-fallback on
// fs. The client is
// made when -replay is parsed (a bad URL is a flag error); it connects on
// first use and reconnects by itself. Close it when done.
func RegisterReplay(fs *flag.FlagSet) *ReplayFlags {
	r := &ReplayFlags{}
	fs.Func("replay", "share the replay store of all the gates: redis://host:port (Sentinel: ?master_name=NAME; Cluster: ?addr=host:port&addr=...)", r.set)
	r.Timeout = 50 * time.Millisecond
	fs.Func("replay-timeout", "with -replay: the longest one verification waits for the store before refusing the code (default 50ms)", func(s string) error {
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		if d <= 0 {
			return errors.New("must be positive")
		}
		r.Timeout = d
		return nil
	})
	fs.BoolVar(&r.Fallback, "replay-fallback", false, "with -replay: while the store is down, check codes against this scanner's memory and accept them with a warning (default: refuse)")
	return r
}

func (r *ReplayFlags) set(s string) error {
	if r.client != nil {
		return errors.New("-replay given twice")
	}
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	q := u.Query()
	var client redis.UniversalClient
	switch {
	case q.Has("master_name"):
		o, err := redis.ParseFailoverURL(s)
		if err != nil {
			return err
		}
		o.ContextTimeoutEnabled = true
		client = redis.NewFailoverClient(o)
	case q.Has("addr"):
		o, err := redis.ParseClusterURL(s)
		if err != nil {
			return err
		}
		o.ContextTimeoutEnabled = true
		client = redis.NewClusterClient(o)
	default:
		o, err := redis.ParseURL(s)
		if err != nil {
			return err
		}
		// The store's timeout then also ends the socket wait.
		o.ContextTimeoutEnabled = true
		client = redis.NewClient(o)
	}
	r.client = client
	return nil
}

// Policy returns p, with WarnOnReplayStoreDown set under -replay-fallback.
func (r *ReplayFlags) Policy(p verify.Policy) verify.Policy {
	if r.Fallback {
		p.WarnOnReplayStoreDown = true
	}
	return p
}

// Options returns opts, with verify.WithReplayCache and the shared store
// added under -replay. Should the store not be made (the flags were
// checked when parsed, so it is), it adds an option that makes verify.New
// fail rather than let the scanner run on a store of its own unawares.
func (r *ReplayFlags) Options(opts ...verify.Option) []verify.Option {
	if r.client == nil {
		return opts
	}
	store, err := redisreplay.New(r.client, redisreplay.WithTimeout(r.Timeout))
	if err != nil {
		return append(opts, verify.WithReplayCache(nil))
	}
	return append(opts, verify.WithReplayCache(store))
}

// Close closes the client of -replay, if any.
func (r *ReplayFlags) Close() error {
	if r.client == nil {
		return nil
	}
	return r.client.Close()
}
