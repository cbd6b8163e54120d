package verify_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// worstInput is one of the most expensive texts we can hand the verifier,
// and the verdict it must get (0: accepted).
type worstInput struct {
	name string
	text string
	want verify.Reason
}

// worstInputs builds the inputs of BenchmarkWorstInput: every input up to
// 8 KB must be accepted or refused in bounded time and memory.
func worstInputs(tb testing.TB, f *fixture) []worstInput {
	tb.Helper()
	man := present(tb, f.man, airlineReq)
	room := limits.MaxText - len(presentation.Prefix) // characters of base45 after the prefix
	maxBytes := room / 3 * 2                          // bytes that fit
	p := takeApart(tb, man)
	base := len(p.payload()) - len(p.aud) + 110 // payload without audience, plus the COSE envelope
	fill := maxBytes - base                     // bytes the audience slot may take

	// Largest legitimate presentation: a full-profile credential with every
	// text claim at its 120-byte limit.
	big := testkit.Man()
	long := func(s string) string { return (s + " " + strings.Repeat("X", 120))[:120] }
	big.Name, big.BirthPlace, big.Occupation, big.IssuingOffice = long("BUDI SANTOSO"), long("JAKARTA"), long("KARYAWAN"), long("JAKARTA PUSAT")
	big.Address.Street, big.Address.Kelurahan, big.Address.Kecamatan = long("JL MERDEKA"), long("GAMBIR"), long("GAMBIR")
	big.Address.Regency = long("JAKARTA PUSAT") // the province must match the NIK
	bigHolder := f.issue(tb, f.jakarta, big, "big")
	bigText := presentProfile(tb, bigHolder, credential.ProfileFull, qr.Request{Audience: strings.Repeat("A", 64)})

	// Arrays and maps at their element limits, nested to fill the cap.
	maxArrays := func() []byte {
		inner := make([][]byte, 0, limits.MaxArrayElements)
		for range limits.MaxArrayElements {
			inner = append(inner, []byte{0})
		}
		var outer [][]byte
		for len(outer) < limits.MaxArrayElements && (len(outer)+1)*(len(inner)+1) < fill {
			outer = append(outer, rawArray(inner...))
		}
		return rawArray(outer...)
	}
	maxMaps := func() []byte {
		var inner [][2][]byte
		for i := range limits.MaxMapPairs {
			inner = append(inner, [2][]byte{rawInt(int64(i)), {0}})
		}
		m := rawMap(inner...)
		var outer [][2][]byte
		for i := 0; i < limits.MaxMapPairs && (i+2)*len(m) < fill; i++ {
			outer = append(outer, [2][]byte{rawInt(int64(i)), m})
		}
		return rawMap(outer...)
	}
	withAud := func(aud []byte) string {
		q := takeApart(tb, man)
		q.aud = aud
		return deviceSigned(tb, f.man.device, q.payload())
	}
	manyStrings := func() []byte {
		var items [][]byte
		for len(items) < limits.MaxArrayElements {
			items = append(items, rawText(strings.Repeat("A", fill/limits.MaxArrayElements-3)))
		}
		return rawArray(items...)
	}
	hugeLengths := cat(head8(majArray, 1<<62), head8(majBytes, 1<<62), head8(majMap, 1<<62), head8(majText, 1<<62))

	out := []worstInput{
		{"8KB_base45_text", presentation.Prefix + strings.Repeat("0", 8192-len(presentation.Prefix)), verify.ReasonMalformed},
		{"8KB_not_ikd", strings.Repeat("A", 8192), verify.ReasonMalformed},
		{"4296_char_base45_zeros", presentation.Prefix + strings.Repeat("0", room/3*3), verify.ReasonMalformed},
		{"4296_char_base45_max_triples", presentation.Prefix + strings.Repeat("FGW", room/3), verify.ReasonMalformed},
		{"max_nesting_in_audience", withAud(nested(limits.MaxNesting - 3)), verify.ReasonMalformed},
		{"deep_nesting_filling_the_cap", withAud(nested(fill - 8)), verify.ReasonMalformed},
		{"max_size_arrays", withAud(maxArrays()), verify.ReasonMalformed},
		{"max_size_maps", withAud(maxMaps()), verify.ReasonMalformed},
		{"max_size_text_items", withAud(manyStrings()), verify.ReasonMalformed},
		{"huge_declared_lengths", withAud(hugeLengths), verify.ReasonMalformed},
		{"cap_sized_signature", presentation.Encode(rawSign1(mustEnc(tb, map[int]any{1: -7}), []byte{0xa0}, p.payload(), make([]byte, maxBytes-len(p.payload())-20))), verify.ReasonMalformed}, // not 64 bytes
		{"largest_valid_presentation_full_profile", bigText, 0},
		{"ordinary_travel_code", present(tb, f.man, qr.Request{Claims: airlineReq.Claims}), 0}, // no AIRLINE audience: a share receiver refuses that
	}
	for _, w := range out {
		require.LessOrEqual(tb, len(w.text), 8192, w.name)
	}
	return out
}

// TestWorstInputs checks the verdict on each worst-case input (the
// benchmark below measures them) and that each is as large as we claim.
func TestWorstInputs(t *testing.T) {
	f := newFixture(t)
	v := f.verifier(t, verify.ShareReceiver(), verify.WithReplayCache(noReplay{}))
	for _, w := range worstInputs(t, f) {
		t.Run(w.name, func(t *testing.T) {
			res, err := v.VerifyText(w.text)
			require.NoError(t, checkVerdict(res, err))
			if w.want == 0 {
				require.NoError(t, err)
				return
			}
			var verr *verify.Error
			require.ErrorAs(t, err, &verr)
			assert.Equal(t, w.want.String(), verr.Reason.String(), "%v", err)
			if strings.HasPrefix(w.name, "4296") || strings.HasPrefix(w.name, "max_size") || strings.HasPrefix(w.name, "cap_") || strings.HasPrefix(w.name, "deep") {
				assert.Greater(t, len(w.text), limits.MaxText*3/4, "input should be near the text cap")
			}
		})
	}
}

// BenchmarkWorstInput measures the verifier on the most expensive inputs
// we can construct (see worstInputs). Compare with BenchmarkVerifyText,
// the ordinary case. Results are in docs/benchmarks.md.
func BenchmarkWorstInput(b *testing.B) {
	f := newFixture(b)
	v := f.verifier(b, verify.ShareReceiver(), verify.WithReplayCache(noReplay{}))
	for _, w := range worstInputs(b, f) {
		b.Run(w.name, func(b *testing.B) {
			b.SetBytes(int64(len(w.text)))
			b.ReportAllocs()
			for b.Loop() {
				_, _ = v.VerifyText(w.text)
			}
		})
	}
}
