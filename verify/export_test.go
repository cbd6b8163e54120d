package verify

// Test hooks: the external test package reaches unexported parts of verify
// through these names, which exist only in test builds.

// WithIssuerCacheSize sets how many verified credentials the verifier
// remembers (0 turns the cache off, so that benchmarks measure both
// signature checks every time).
func WithIssuerCacheSize(n int) Option {
	return func(c *config) error {
		c.issuerCacheSize = n
		return nil
	}
}

// NewMemoryReplayCache is the default replay store.
func NewMemoryReplayCache(capacity int) ReplayCache { return newMemoryReplayCache(capacity) }

// MemoryReplayCacheLen returns the number of entries a store from
// NewMemoryReplayCache holds.
func MemoryReplayCacheLen(c ReplayCache) int { return c.(*memoryReplayCache).len() }

// NormalizeName is the ticket name normalisation.
var NormalizeName = normalizeName

// Reasons lists every reason; ParseReason reads a reason key.
var (
	Reasons     = reasons
	ParseReason = parseReason
)

// DefaultReplayCapacity is the default replay store's capacity.
const DefaultReplayCapacity = defaultReplayCapacity

// MaxClockSkew is the largest ClockSkew a policy may have.
const MaxClockSkew = maxClockSkew
