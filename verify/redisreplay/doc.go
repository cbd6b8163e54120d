// Package redisreplay keeps a verifier's replay store on Redis, so that all
// the gates of a station or an airport (each a scanner program with its own
// verify.Verifier) share one memory of the codes accepted: a code accepted
// at one check-in desk is refused as replayed at every other desk within its
// lifetime. It works with a single server, a Sentinel setup and a Cluster,
// through go-redis's [redis.UniversalClient], and with servers that speak
// the same protocol (SET with NX and PX is all it needs).
//
//	client := redis.NewClient(&redis.Options{
//		Addr: "replay.gambir.example:6379", Username: "gate", Password: password,
//		ContextTimeoutEnabled: true, // required: see "Failure"
//		DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second,
//	})
//	store, err := redisreplay.New(client)
//	v, err := verify.New(list, verify.KAIGate(ticket), verify.WithReplayCache(store))
//
// It is a package of its own so that programs that keep the default
// in-memory store do not link the Redis client; verify does not import it.
//
// # Check and mark
//
// [Cache.CheckAndMark] is one command, one round trip:
//
//	SET <prefix><key> 1 PX <ttl> NX
//
// The server answers the status OK when it stored the key (the code was
// not seen: the verifier accepts it) and nil when the key existed
// (replayed); any other reply is an error. Redis runs
// commands one at a time, so of any number of gates asking at once for the
// same code exactly one gets OK, on a single server as on a Cluster (a key
// lives on one node).
//
// # Keys
//
// The key is the prefix (default "ikd:replay:") followed by the first 16
// bytes of the presentation's replay key, in unpadded base64url: 22
// characters. The replay key is a SHA-256 digest of the device-signed
// payload, so 128 bits of it keep every key the same length and collisions
// out of reach (at 10⁸ live codes, about 10⁻²³); a collision could only make
// a fresh code look replayed, never the reverse. The prefix separates ikd's
// keys from others on a shared server; it is made of A-Z a-z 0-9 . _ - :
// and ends with ':' (no '{' or '}', which would make a Cluster put every
// key in one hash slot, and no glob character, so that the ACL pattern
// "~" + prefix + "*" covers exactly its keys; see docs/replay-store.md for
// sites sharing a server).
//
// # Expiry
//
// The verifier asks for the code to be remembered until its expiry plus
// five minutes (the largest clock skew any policy may have; see verify's
// "Presentation lifetime"), which outlives every verifier that can still
// accept it. The key's time to live is that instant minus the gate's clock,
// rounded up to the millisecond, plus a margin (default one minute,
// [WithClockMargin]) for the difference between the clocks of the gates
// that share the store: the instant is measured by the clock of the gate
// that marked the code, and another gate whose clock runs behind would
// otherwise still accept the code after the key expired. Redis counts the
// time to live on its own clock, so the server's clock does not matter. A
// live 60-second code is held 60 s + 5 min + 1 min = 7 minutes at most, a
// one-hour share code 1 h 6 min; then the server drops it by itself, so the
// store does not grow beyond the codes accepted in the last such period.
//
// # Failure
//
// Every call has a timeout (default 50 ms, [WithTimeout], 1 ms to 10 s),
// enforced by the package itself whatever the client's own timeouts are:
// the call returns at its deadline (give or take the process's scheduling)
// even if the client does not. An error reply of the server (READONLY,
// NOPERM, WRONGPASS, NOAUTH, MOVED, LOADING, ...), an unexpected reply, a
// connection refused, a timeout, or more than 1,024 calls waiting at once
// is returned as an error, which the verifier turns into
// verify.ReasonReplayCheckFailed: a code is never accepted on a store that
// did not answer.
//
// The error says what is wrong, for the verdict's detail: an error reply
// is prefixed with its meaning ("replay store refused the gate's
// credentials (configuration fault: ...)" for WRONGPASS, and so on for
// NOAUTH, NOPERM, READONLY, MOVED, ASK, a database out of range, LOADING
// and OOM) and still unwraps to the reply (redis.Error); a timeout and the
// down error name the last failure to reach the server, such as "dial tcp
// 10.0.0.5:6379: connect: connection refused" (docs/replay-store.md, "What
// a refusal's detail says").
//
// The Cache holds the server for down only when it cannot reach it at
// all: after 3 calls in a row that did not reach it (no answer in time,
// the connection refused or cut, too many waiting), a health check (PING,
// waiting at least one second, or twice the timeout) runs; if it does not
// reach the server either, every call fails at once with an error wrapping
// verify.ErrReplayStoreDown, and the check repeats every 100 ms until a
// PING reaches the server. Any answer, even an error reply, reaches it: a
// misconfigured server is never down. Only that error lets a policy with
// verify.Policy.WarnOnReplayStoreDown check the code against the
// verifier's own memory and accept it with a warning; a single slow
// answer never does, since the server's late "seen" may be that of a code
// another gate accepted.
//
// Give the client ContextTimeoutEnabled and finite timeouts: the goroutine
// of a timed-out command ends only when the client gives up, and holds one
// of the 1,024 places until then; with an unbounded ReadTimeout
// connections stuck on a network cut would hold them for good.
//
// A call that timed out may still reach the server and mark the code; shown
// again, it is then refused as replayed (fail closed), and the wallet's
// next code (every 30 s) is accepted. For the same reason a retry of the
// client after a lost answer may report a code that this very call marked
// as replayed.
//
// The client reconnects by itself: once the server is back, the next calls
// succeed, with no action from the scanner. A server that restarts without
// persistence forgets the codes it held, so codes accepted in the last
// seven minutes could be shown again; docs/replay-store.md says how to run
// the server so that it neither forgets nor evicts live keys.
//
// # Concurrency
//
// A Cache is safe for concurrent use; one serves all the verifiers of a
// process. The client belongs to the caller, who closes it.
package redisreplay
