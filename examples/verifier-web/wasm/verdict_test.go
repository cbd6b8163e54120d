package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/examples/internal/exampletest"
	"github.com/ikdgo/ikd/verify"
)

// files reads the world's trust list, root key and status lists.
func files(t *testing.T, w *exampletest.World) (trust, root []byte, status [][]byte) {
	t.Helper()
	var err error
	trust, err = os.ReadFile(w.Trust)
	require.NoError(t, err)
	root, err = os.ReadFile(w.Root)
	require.NoError(t, err)
	for _, s := range w.Status {
		b, err := os.ReadFile(s)
		require.NoError(t, err)
		status = append(status, b)
	}
	return trust, root, status
}

// shareLink runs `wallet share -link` for Budi, with sel choosing what
// is shared (default: name and NIK).
func shareLink(t *testing.T, w *exampletest.World, d string, sel ...string) string {
	t.Helper()
	prefix := filepath.Join(t.TempDir(), "share")
	args := append([]string{"share", "-dir", w.Budi.Wallet, "-for", d, "-link", "https://verify.example.id/", "-out", prefix}, sel...)
	exampletest.MustRun(t, w.Wallet, args...)
	link, err := os.ReadFile(prefix + ".link")
	require.NoError(t, err)
	return strings.TrimSpace(string(link))
}

func TestEngine(t *testing.T) {
	w := exampletest.Setup(t, true)
	trust, root, status := files(t, w)

	t.Run("accepted_link_shows_name_labels_issuer_and_times", func(t *testing.T) {
		e, err := newEngine(trust, root, status, []string{"birth_date"}, time.Now, newSeenCodes())
		require.NoError(t, err)
		assert.Equal(t, "share-receiver", e.info.Policy)
		assert.Equal(t, 2, e.info.StatusLists)
		v := e.verify(shareLink(t, w, "1h", "-profile", "full"))
		require.True(t, v.Accepted, "%+v", v.Reason)
		assert.Nil(t, v.Reason)
		assert.Equal(t, "BUDI SANTOSO", v.Holder)
		assert.Equal(t, "Disdukcapil Kota Jakarta Pusat", v.Issuer)
		assert.Equal(t, time.Hour.Milliseconds(), v.Expires-v.IssuedAt)
		byKey := map[string]claim{}
		for _, c := range v.Claims {
			byKey[c.Key] = c
		}
		assert.Equal(t, claim{Key: "name", LabelID: "Nama", LabelEN: "Name", ValueID: "BUDI SANTOSO", ValueEN: "BUDI SANTOSO"}, byKey["name"])
		assert.Equal(t, "17-08-1985", byKey["birth_date"].ValueID, "-allow shows the birth date")
		assert.Equal(t, "1985-08-17", byKey["birth_date"].ValueEN)
		assert.NotContains(t, byKey, "address", "claims not allowed are not shown")

		again := e.verify(shareLink(t, w, "5m"))
		assert.True(t, again.Accepted)
	})

	t.Run("refusal_carries_the_reason_in_both_languages", func(t *testing.T) {
		e, err := newEngine(trust, root, status, nil, time.Now, newSeenCodes())
		require.NoError(t, err)
		link := shareLink(t, w, "5m")
		require.True(t, e.verify(link).Accepted)
		v := e.verify(link)
		assert.False(t, v.Accepted)
		assert.Equal(t, &message{Key: "replayed", Indonesian: verify.ReasonReplayed.Indonesian(), English: verify.ReasonReplayed.English()}, v.Reason)
		assert.Empty(t, v.Holder)
		assert.Empty(t, v.Claims)
	})

	t.Run("later_clock_expires_the_share", func(t *testing.T) {
		later := func() time.Time { return time.Now().Add(10 * time.Minute) }
		e, err := newEngine(trust, root, status, nil, later, newSeenCodes())
		require.NoError(t, err)
		v := e.verify(shareLink(t, w, "5m"))
		require.NotNil(t, v.Reason)
		assert.Equal(t, "presentation_expired", v.Reason.Key)
	})

	t.Run("info_names_the_root_and_the_status_lists_signing_time", func(t *testing.T) {
		e, err := newEngine(trust, root, status, nil, time.Now, newSeenCodes())
		require.NoError(t, err)
		assert.Len(t, e.info.Root, 43, "a base64url SHA-256 thumbprint")
		assert.NotZero(t, e.info.StatusSignedAt)
		assert.LessOrEqual(t, e.info.StatusSignedAt, time.Now().UnixMilli())
		assert.Equal(t, (24 * time.Hour).Milliseconds(), e.info.StatusFreshUntil-e.info.StatusSignedAt, "the issuer program's ttl")
	})

	t.Run("list_past_its_ttl_warns", func(t *testing.T) {
		// The issuer program signs lists with ttl 24 h and exp 30 days;
		// the policy takes them for 7 days. Past iat + ttl the page
		// still accepts, with a warning.
		e, err := newEngine(trust, root, status, nil, time.Now, newSeenCodes())
		require.NoError(t, err)
		assert.Empty(t, e.verify(shareLink(t, w, "1h")).Warnings)
		e.info.StatusFreshUntil = time.Now().Add(-time.Minute).UnixMilli() // as if a day had passed
		v := e.verify(shareLink(t, w, "1h"))
		require.True(t, v.Accepted, "%+v", v.Reason)
		require.Len(t, v.Warnings, 1)
		assert.Equal(t, "status_past_ttl", v.Warnings[0].Key)
	})

	t.Run("stale_status_says_what_to_do_in_a_browser", func(t *testing.T) {
		m := webMessage(verify.ReasonStatusStale)
		assert.Equal(t, "status_stale", m.Key)
		assert.Contains(t, m.English, "reload this page")
		assert.NotContains(t, m.English, "scanner")
		assert.Contains(t, webMessage(verify.ReasonTrustListExpired).Indonesian, "muat ulang")
		assert.Equal(t, verify.ReasonRevoked.English(), webMessage(verify.ReasonRevoked).English)
	})

	t.Run("a_link_is_accepted_once_across_engines_and_reloads", func(t *testing.T) {
		seen := newSeenCodes()
		link := shareLink(t, w, "5m")
		e, err := newEngine(trust, root, status, nil, time.Now, seen)
		require.NoError(t, err)
		require.True(t, e.verify(link).Accepted)
		// Fresh lists: a new engine, the same memory.
		e2, err := newEngine(trust, root, status, nil, time.Now, seen)
		require.NoError(t, err)
		assert.Equal(t, "replayed", e2.verify(link).Reason.Key)
		// A reload: the memory comes back from the page's storage.
		stored := seen.marshal(time.Now())
		again := newSeenCodes()
		again.restore(stored, time.Now())
		e3, err := newEngine(trust, root, status, nil, time.Now, again)
		require.NoError(t, err)
		assert.Equal(t, "replayed", e3.verify(link).Reason.Key)
		// Expired entries and junk are dropped, never an error.
		later := newSeenCodes()
		later.restore(stored, time.Now().Add(time.Hour))
		assert.Equal(t, "{}", later.marshal(time.Now()))
		for _, junk := range []string{"", "null", "[]", `{"zz":1}`, `{"00":1}`, `{"` + strings.Repeat("0", 64) + `":"x"}`} {
			j := newSeenCodes()
			j.restore(junk, time.Now())
			assert.Equal(t, "{}", j.marshal(time.Now()), junk)
		}
	})

	for name, tc := range map[string]struct {
		trust, root []byte
		status      [][]byte
		allow       []string
	}{
		"root_not_a_jwk":         {trust, []byte("not json"), status, nil},
		"root_is_a_private_key":  {trust, []byte(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}`), status, nil},
		"trust_list_tampered":    {append([]byte("x"), trust...), root, status, nil},
		"status_list_not_a_list": {trust, root, [][]byte{[]byte("junk")}, nil},
		"unknown_claim":          {trust, root, status, []string{"shoe_size"}},
	} {
		t.Run(name, func(t *testing.T) {
			e, err := newEngine(tc.trust, tc.root, tc.status, tc.allow, time.Now, newSeenCodes())
			assert.Error(t, err)
			assert.Nil(t, e)
		})
	}
}
