package verify

import (
	"crypto/sha256"
	"sync"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/keys"
)

// issuerCache remembers credentials whose issuer signature verified, keyed
// by SHA-256 of the credential bytes and tied to the trust list they were
// verified against. What it caches does not depend on the clock: a
// signature, the key that made it, and whether that key was valid at the
// credential's own issue time. A new trust list (another pointer) misses,
// so a key removed from the list stops verifying at once. Safe for
// concurrent use.
type issuerCache struct {
	mu      sync.Mutex
	size    int
	entries map[[32]byte]issuerEntry
	order   [][32]byte // insertion order, for eviction (FIFO)
	next    int
}

type issuerEntry struct {
	trust *keys.TrustList
	cred  *credential.Credential
	key   keys.IssuerKey
}

func newIssuerCache(size int) *issuerCache {
	if size <= 0 {
		return nil
	}
	return &issuerCache{size: size, entries: make(map[[32]byte]issuerEntry, size), order: make([][32]byte, size)}
}

func (c *issuerCache) get(raw []byte, tl *keys.TrustList) (*credential.Credential, keys.IssuerKey, [32]byte, bool) {
	h := sha256.Sum256(raw)
	if c == nil {
		return nil, keys.IssuerKey{}, h, false
	}
	c.mu.Lock()
	e, ok := c.entries[h]
	c.mu.Unlock()
	if !ok || e.trust != tl {
		return nil, keys.IssuerKey{}, h, false
	}
	return cloneCredential(e.cred), e.key, h, true
}

func (c *issuerCache) put(h [32]byte, tl *keys.TrustList, cred *credential.Credential, key keys.IssuerKey) {
	if c == nil {
		return
	}
	stored := cloneCredential(cred)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[h]; !ok {
		if old := c.order[c.next]; len(c.entries) >= c.size {
			delete(c.entries, old)
		}
		c.order[c.next] = h
		c.next = (c.next + 1) % c.size
	}
	c.entries[h] = issuerEntry{trust: tl, cred: stored, key: key}
}

// cloneCredential copies c deeply enough that a caller changing its result
// cannot change the cache.
func cloneCredential(c *credential.Credential) *credential.Credential {
	out := *c
	if a := c.Claims.Address; a != nil {
		cp := *a
		out.Claims.Address = &cp
	}
	if o := c.Claims.Over17; o != nil {
		cp := *o
		out.Claims.Over17 = &cp
	}
	return &out
}
