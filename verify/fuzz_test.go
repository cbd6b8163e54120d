package verify_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

var updateFuzzCorpus = flag.Bool("update-fuzz-corpus", false, "rewrite testdata/fuzz/FuzzVerifyText/seed-* from the fuzz environment")

// fuzzEnv is a fixed scanner world in which every reason but the stateful
// ones (replayed, replay check failed) and the image one (no code) can be
// reached from the text alone: Jakarta's list revokes the foreigner and
// suspends a fourth holder, and a third issuer's list is stale.
type fuzzEnv struct {
	f         *fixture
	surabaya  *testIssuer
	suspended *holder
	stale     *holder
	airline   *verify.Verifier
	kai       *verify.Verifier // ticket for the man
	share     *verify.Verifier // the only one of the three that reads share links
}

func newFuzzEnv(tb testing.TB) *fuzzEnv {
	tb.Helper()
	f := newFixture(tb)
	e := &fuzzEnv{f: f}
	e.surabaya = newTestIssuer(tb, "3578", "Disdukcapil Kota Surabaya", keys.ES256)
	e.surabaya.key.IssuerID, e.surabaya.key.IssuerName = e.surabaya.id, e.surabaya.name
	f.trust = f.trustList(tb, 2, f.jakarta.key, f.bandung.key, e.surabaya.key)
	e.suspended = f.issue(tb, f.jakarta, testkit.Man(), "suspended man")
	e.stale = f.issue(tb, e.surabaya, testkit.Man(), "surabaya man")
	require.NoError(tb, f.jakarta.list.Set(f.wna.index, status.StatusRevoked))
	require.NoError(tb, f.jakarta.list.Set(e.suspended.index, status.StatusSuspended))
	opts := []verify.Option{verify.WithReplayCache(noReplay{})}
	e.airline = f.verifier(tb, verify.AirlineCheckIn(), opts...)
	require.NoError(tb, e.airline.AddStatusList(e.surabaya.statusList(tb, f.clock.Now().Add(-8*24*time.Hour))))
	kai, err := e.airline.WithPolicy(verify.KAIGate(verify.Ticket{Name: "BUDI SANTOSO", NIK: "3171011708850003"}))
	require.NoError(tb, err)
	e.kai = kai
	share, err := e.airline.WithPolicy(verify.ShareReceiver())
	require.NoError(tb, err)
	e.share = share
	return e
}

// at makes a presentation while the phone's clock is off by d.
func (e *fuzzEnv) at(tb testing.TB, d time.Duration, h *holder, req qr.Request) string {
	tb.Helper()
	e.f.clock.Add(d)
	defer e.f.clock.Add(-d)
	return present(tb, h, req)
}

// seeds returns named inputs: real presentations, one input per reason the
// environment can produce, and edge cases.
func (e *fuzzEnv) seeds(tb testing.TB) map[string]string {
	tb.Helper()
	f := e.f
	now := f.clock.Now()
	s := map[string]string{}
	man := present(tb, f.man, airlineReq)
	s["accepted_man_travel_ES256"] = man
	s["accepted_woman_travel_EdDSA"] = present(tb, f.woman, airlineReq)
	s["accepted_man_full_profile"] = presentProfile(tb, f.man, credential.ProfileFull, airlineReq)
	s["accepted_man_kai"] = present(tb, f.man, kaiReq)
	s["accepted_no_audience"] = present(tb, f.man, qr.Request{Claims: airlineReq.Claims})
	s["malformed_truncated"] = man[:len(man)-30]
	s["malformed_garbage_base45"] = presentation.Prefix + "GGW"
	s["malformed_prefix_only"] = presentation.Prefix
	s["malformed_max_length_zeros"] = presentation.Prefix + strings.Repeat("0", (limits.MaxText-len(presentation.Prefix))/3*3)
	p := takeApart(tb, man)
	p.aud = nested(20)
	s["malformed_deep_nesting"] = deviceSigned(tb, f.man.device, p.payload())
	p = takeApart(tb, man)
	s["malformed_indefinite_array"] = deviceSigned(tb, f.man.device, cat([]byte{0x9f}, p.cred, p.iat, p.ttl, p.nonce, p.aud, []byte{0xff}))
	p = takeApart(tb, man)
	s["malformed_huge_declared_length"] = deviceSigned(tb, f.man.device, cat(head8(majArray, 1<<40), p.cred, p.iat, p.ttl, p.nonce, p.aud))
	s["malformed_tagged"] = presentation.Encode(cat([]byte{0xd2}, mustDecode(tb, man)))
	s["not_ikd_boarding_pass"] = "M1SANTOSO/BUDI       EABC123 CGKDPSGA 0404 328Y012A0001 100"
	s["not_ikd_empty"] = ""
	s["unsupported_version"] = "IKD2:" + strings.TrimPrefix(man, presentation.Prefix)
	s["unknown_issuer_kid_swapped"] = forge(tb, withProtected(tb, f.man.cred(credential.ProfileTravel), keys.ES256, f.bandung.kid), f.man.device, now, qr.DefaultLifetime, "")
	s["algorithm_not_allowed"] = forge(tb, withProtected(tb, f.man.cred(credential.ProfileTravel), keys.EdDSA, f.jakarta.kid), f.man.device, now, qr.DefaultLifetime, "")
	attacker := testkit.Device("attacker")
	m := credPayload(tb, f.man.cred(credential.ProfileTravel))
	m[-3].(map[any]any)[int64(2)] = "MALLORY"
	m[8] = cnfOf(&attacker.PublicKey)
	s["bad_issuer_signature"] = forge(tb, withPayload(tb, f.man.cred(credential.ProfileTravel), m), attacker, now, qr.DefaultLifetime, verify.AudienceAirline)
	s["bad_device_signature"] = forge(tb, f.man.cred(credential.ProfileTravel), attacker, now, qr.DefaultLifetime, "")
	m = credPayload(tb, f.man.cred(credential.ProfileTravel))
	m[6] = testkit.Now.AddDate(-2, 0, 0).Unix()
	s["key_not_valid"] = forge(tb, signPayload(tb, f.jakarta, m), f.man.device, now, qr.DefaultLifetime, "")
	m = credPayload(tb, f.man.cred(credential.ProfileTravel))
	m[6], m[4] = now.AddDate(0, 0, -20).Unix(), now.AddDate(0, 0, -10).Unix()
	s["credential_expired"] = forge(tb, signPayload(tb, f.jakarta, m), f.man.device, now, qr.DefaultLifetime, "")
	m = credPayload(tb, f.man.cred(credential.ProfileTravel))
	m[6] = now.Add(time.Hour).Unix()
	s["credential_not_yet_valid"] = forge(tb, signPayload(tb, f.jakarta, m), f.man.device, now.Add(2*time.Hour), qr.DefaultLifetime, "")
	s["presentation_expired"] = e.at(tb, -2*time.Minute, f.man, airlineReq)
	s["presentation_from_future"] = e.at(tb, 2*time.Minute, f.man, airlineReq)
	s["clock_wrong"] = e.at(tb, 24*time.Hour, f.man, airlineReq)
	s["revoked"] = present(tb, f.wna, airlineReq)
	s["suspended"] = present(tb, e.suspended, airlineReq)
	m = credPayload(tb, f.man.cred(credential.ProfileTravel))
	m[-2] = []any{int64(2), int64(1)}
	s["status_unknown"] = forge(tb, signPayload(tb, f.jakarta, m), f.man.device, now, qr.DefaultLifetime, "")
	m = credPayload(tb, f.man.cred(credential.ProfileTravel))
	m[-2] = []any{int64(1), int64(1 << 30)}
	s["status_invalid"] = forge(tb, signPayload(tb, f.jakarta, m), f.man.device, now, qr.DefaultLifetime, "")
	s["status_stale"] = present(tb, e.stale, airlineReq)
	s["policy_unmet"] = presentProfile(tb, f.man, credential.ProfileAge, airlineReq)
	s["wrong_audience"] = present(tb, f.man, qr.Request{Claims: airlineReq.Claims, Audience: verify.AudienceKAI})
	s["lifetime_too_long"] = present(tb, f.man, qr.Request{Claims: airlineReq.Claims, Lifetime: qr.ShareOneHour})
	m = credPayload(tb, f.man.cred(credential.ProfileTravel))
	m[-3].(map[any]any)[int64(4)] = int64(19850818)
	s["nik_inconsistent"] = forge(tb, signPayload(tb, f.jakarta, m), f.man.device, now, qr.DefaultLifetime, "")
	s["ticket_mismatch"] = present(tb, f.woman, kaiReq)
	return s
}

func mustDecode(tb testing.TB, text string) []byte {
	tb.Helper()
	b, err := presentation.Decode(text)
	require.NoError(tb, err)
	return b
}

// checkVerdict holds the properties every VerifyText call must have.
func checkVerdict(res *verify.Result, err error) error {
	if err == nil {
		if res == nil {
			return errors.New("nil error and nil result")
		}
		if res.Claims.Name == "" && res.Claims.NIK == "" && res.Profile != credential.ProfileAge {
			return fmt.Errorf("accepted %v without identifying claims", res.Profile)
		}
		return nil
	}
	if res != nil {
		return fmt.Errorf("result with error %v", err)
	}
	verr, ok := err.(*verify.Error)
	if !ok {
		return fmt.Errorf("error %T is not a *verify.Error: %v", err, err)
	}
	if strings.HasPrefix(verr.Reason.String(), "Reason(") {
		return fmt.Errorf("unknown reason %d: %v", int(verr.Reason), err)
	}
	return nil
}

// FuzzVerifyText drives the verifier's whole text entry point. Properties:
// it never panics; every error is a *verify.Error with a known Reason; a
// result exists exactly when the error is nil.
func FuzzVerifyText(f *testing.F) {
	e := newFuzzEnv(f)
	seeds := e.seeds(f)
	names := make([]string, 0, len(seeds))
	for n := range seeds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f.Add(seeds[n])
	}
	// Share links, which only e.share reads: a real one and broken ones.
	link := shareLink(f, e.f.man, qr.ShareOneHour)
	for _, s := range []string{link, strings.ToLower(link[:len(shareBase)]) + link[len(shareBase):], link + "%", "HTTP://VERIFY.EXAMPLE.ID/S/#" + link[len(shareBase)+1:], "https://a@b/#IKD1:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, v := range []*verify.Verifier{e.airline, e.kai, e.share} {
			res, err := v.VerifyText(text)
			if perr := checkVerdict(res, err); perr != nil {
				t.Fatal(perr)
			}
		}
	})
}

// TestFuzzVerifyTextSeeds checks that the seeds reach every reason the
// fuzz environment can produce from text alone, and keeps the committed
// corpus (testdata/fuzz/FuzzVerifyText) in step with them: run with
// -update-fuzz-corpus to rewrite it.
func TestFuzzVerifyTextSeeds(t *testing.T) {
	e := newFuzzEnv(t)
	seeds := e.seeds(t)
	dir := filepath.Join("testdata", "fuzz", "FuzzVerifyText")
	if *updateFuzzCorpus {
		require.NoError(t, os.MkdirAll(dir, 0o755))
		old, _ := filepath.Glob(filepath.Join(dir, "seed-*"))
		for _, p := range old {
			require.NoError(t, os.Remove(p))
		}
		for n, text := range seeds {
			data := "go test fuzz v1\nstring(" + strconv.Quote(text) + ")\n"
			require.NoError(t, os.WriteFile(filepath.Join(dir, "seed-"+n), []byte(data), 0o644))
		}
	}
	files, err := filepath.Glob(filepath.Join(dir, "seed-*"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no committed seeds: run go test ./verify -run TestFuzzVerifyTextSeeds -update-fuzz-corpus")
	reached := map[verify.Reason]bool{}
	accepted := 0
	for _, text := range seeds {
		for _, v := range []*verify.Verifier{e.airline, e.kai} {
			res, err := v.VerifyText(text)
			require.NoError(t, checkVerdict(res, err))
			var verr *verify.Error
			if errors.As(err, &verr) {
				reached[verr.Reason] = true
			} else {
				accepted++
			}
		}
	}
	assert.Positive(t, accepted)
	// Not reachable from one text: replays (state), the replay store
	// failing, images, status lists fed to AddStatusList, the scanner's
	// trust list outliving its grace (the clock), and the warning of a
	// shared replay store that is down.
	stateful := map[verify.Reason]bool{verify.ReasonReplayed: true, verify.ReasonReplayCheckFailed: true, verify.ReasonNoCode: true, verify.ReasonStatusRollback: true,
		verify.ReasonTrustListExpired: true, verify.ReasonReplayCheckedLocally: true}
	for _, r := range verify.Reasons() {
		if !stateful[r] {
			assert.True(t, reached[r], "no seed reaches %v", r)
		}
	}
	// Every committed seed file is one the fuzz engine can read.
	for _, p := range files {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		lines := strings.SplitN(string(b), "\n", 3)
		require.Equal(t, "go test fuzz v1", lines[0], p)
		require.True(t, strings.HasPrefix(lines[1], "string("), p)
	}
}
