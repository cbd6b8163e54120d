package statuslist

import (
	"cmp"
	"crypto"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Cache holds, for a scanner, the latest verified status list of each
// (issuer, list id), and when it was fetched. The zero value is an empty
// cache ready to use.
//
// A Cache is safe for concurrent use. Readers never block and never see a
// half update: the cache is an immutable map behind an atomic pointer, and
// [Cache.Put] swaps in a new map (copy on write; writers are serialised).
// This suits scanners, which look up statuses on every scan and replace a
// list every few hours.
type Cache struct {
	mu sync.Mutex // serialises Put
	m  atomic.Pointer[map[cacheKey]*cached]
}

type cacheKey struct {
	issuerID string
	listID   uint32
}

// cached is what the cache holds for one (issuer, list id): the newest
// list, and the newest list of each other key that signed one (at most
// maxSigners). Remembering lists by signer is what keeps a revocation when
// a key is withdrawn: Retain drops the lists of the withdrawn key, and the
// newest list of a key still trusted becomes the list in force, and the
// floor below which nothing older is taken. Had only the newest list been
// kept, a thief's "all valid" list signed with a stolen key would, once
// dropped, leave no floor, and an old genuine list from before a
// revocation would be taken again.
type cached struct {
	list      *List     // the newest: bySigner[0].list
	fetchedAt time.Time // of list
	bySigner  []signed  // newest first; one per signing key
}

type signed struct {
	list      *List
	fetchedAt time.Time
}

// maxSigners bounds the lists kept per (issuer, list id): an issuer has a
// current key and one or two it is rotating out.
const maxSigners = 8

func sameSigner(a, b *List) bool {
	e, ok := a.signer.(interface{ Equal(crypto.PublicKey) bool })
	return ok && e.Equal(b.signer)
}

// Cached is what [Cache.Get] returns: a verified list and the facts a
// verifier's policy needs to decide whether it is too old.
type Cached struct {
	// List is the verified status list.
	List *List
	// FetchedAt is when the scanner fetched it, as given to [Cache.Put].
	FetchedAt time.Time
	// Age is the time from the list's iat to the now given to [Cache.Get]
	// (negative if iat is ahead of the scanner's clock). Age, not time since
	// fetching, is what says how current the issuer's information is: a
	// list fetched a minute ago may have been signed a week ago.
	Age time.Duration
}

// Put stores l, fetched at fetchedAt, as the list for its (issuer, list id).
// It returns [ErrRollback] when the cache holds a list of that name with a
// later iat, so that an attacker who replays an old list (from before a
// phone was reported lost) cannot undo a revocation. A list with the same
// iat and the same signed claims (a re-fetch) changes nothing, not even the
// fetch time; one with the same iat and other claims is [ErrConflict], and
// the held one stays: the cache cannot tell which of two lists signed in
// one second is the newer, and replacing would let the older one undo a
// revocation. Put only accepts lists that [Signed.Verify] returned;
// anything else is an error.
func (c *Cache) Put(l *List, fetchedAt time.Time) error {
	if l == nil || l.sub == "" {
		return errors.New("statuslist: not a verified list")
	}
	k := cacheKey{l.issuerID, l.listID}
	c.mu.Lock()
	defer c.mu.Unlock()
	var next map[cacheKey]*cached
	entry := &cached{list: l, fetchedAt: fetchedAt, bySigner: []signed{{l, fetchedAt}}}
	if old := c.m.Load(); old != nil {
		if held, ok := (*old)[k]; ok {
			switch {
			case l.iat.Before(held.list.iat):
				return fmt.Errorf("%w: %s issued %v, cache holds %v", ErrRollback, l.sub,
					l.iat.Format(time.RFC3339), held.list.iat.Format(time.RFC3339))
			case l.iat.Equal(held.list.iat) && l.digest == held.list.digest:
				return nil
			case l.iat.Equal(held.list.iat):
				return fmt.Errorf("%w: %s issued %v", ErrConflict, l.sub, l.iat.Format(time.RFC3339))
			}
			for _, h := range held.bySigner {
				if !sameSigner(h.list, l) && len(entry.bySigner) < maxSigners {
					entry.bySigner = append(entry.bySigner, h)
				}
			}
		}
		next = maps.Clone(*old)
	} else {
		next = make(map[cacheKey]*cached)
	}
	next[k] = entry
	c.m.Store(&next)
	return nil
}

// Get returns the list held for (issuerID, listID) with its fetch time and
// its age at now. It returns [ErrNotCached] when there is none. Whether a
// list is too old, or past its [List.Expiry], is the caller's
// policy: reject, or accept with a warning.
func (c *Cache) Get(issuerID string, listID uint32, now time.Time) (Cached, error) {
	if m := c.m.Load(); m != nil {
		if e, ok := (*m)[cacheKey{issuerID, listID}]; ok {
			return Cached{List: e.list, FetchedAt: e.fetchedAt, Age: now.Sub(e.list.iat)}, nil
		}
	}
	return Cached{}, fmt.Errorf("%w: %s", ErrNotCached, subject(issuerID, listID))
}

// Retain drops every list for which keep returns false, in one swap:
// readers see the old set or the new one. A verifier calls it with its new
// trust list, so that lists signed by a key the new list no longer trusts
// stop counting at once; for each (issuer, list id), the newest list left,
// if any, is then the one in force and the floor for what comes next.
func (c *Cache) Retain(keep func(*List) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	if old == nil {
		return
	}
	next := make(map[cacheKey]*cached, len(*old))
	for k, e := range *old {
		var kept []signed
		for _, h := range e.bySigner {
			if keep(h.list) {
				kept = append(kept, h)
			}
		}
		if len(kept) > 0 {
			next[k] = &cached{list: kept[0].list, fetchedAt: kept[0].fetchedAt, bySigner: kept}
		}
	}
	c.m.Store(&next)
}

// Lists returns the list in force for each (issuer, list id) the cache
// holds, ordered by issuer id, then list id.
func (c *Cache) Lists() []*List {
	m := c.m.Load()
	if m == nil {
		return nil
	}
	out := make([]*List, 0, len(*m))
	for _, e := range *m {
		out = append(out, e.list)
	}
	slices.SortFunc(out, func(a, b *List) int {
		if c := strings.Compare(a.IssuerID(), b.IssuerID()); c != 0 {
			return c
		}
		return cmp.Compare(a.ListID(), b.ListID())
	})
	return out
}
