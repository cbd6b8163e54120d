package mobile

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/testkit"
)

func TestScannerPolicies(t *testing.T) {
	for _, tc := range []struct {
		name     string
		policy   Policy
		audience string
		profile  string // the profile the wallet shows for the policy's claims
		claims   string // what the result holds
	}{
		{"kai", Policy{Name: PolicyKAI, TicketName: "Bpk. Budi Santoso", TicketNIK: "3171011708850003"}, AudienceKAI, "kai", "nik,name"},
		{"kai, no ticket by choice", Policy{Name: PolicyKAI, NoTicket: true}, AudienceKAI, "kai", "nik,name"},
		{"kai with the ticket's NIK only", Policy{Name: PolicyKAI, TicketNIK: "3171011708850003"}, AudienceKAI, "kai", "nik,name"},
		{"airline, no booking by choice", Policy{Name: PolicyAirline, NoTicket: true}, AudienceAirline, "travel", "nik,name,birth_date,sex"},
		{"airline with a booking", Policy{Name: PolicyAirline, TicketName: "BUDI SANTOSO"}, AudienceAirline, "travel", "nik,name,birth_date,sex"},
		{"share", Policy{Name: PolicyShare}, "", "kai", "nik,name"},
		{"share with allowed claims", Policy{Name: PolicyShare, AllowedClaims: "birth_date"}, "", "kai", "nik,name"},
		{"age", Policy{Name: PolicyAge}, "", "age", "over_17"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, &tc.policy)
			code, err := f.wallet.NextCode(f.scanner.RequestedClaims(), tc.audience)
			require.NoError(t, err)
			assert.Equal(t, tc.profile, code.Profile)
			res := f.scanner.VerifyText(code.Text)
			require.True(t, res.Accepted, res.Reason)
			assert.Empty(t, res.Reason)
			assert.Empty(t, res.MessageIndonesian)
			assert.Equal(t, tc.claims, res.Claims.Keys())
			assert.Equal(t, tc.profile, res.Profile)
			assert.Equal(t, "3171", res.IssuerID)
			assert.Equal(t, "Disdukcapil Kota Jakarta Pusat", res.IssuerName)
			assert.Equal(t, code.IssuedAt, res.IssuedAt)
			assert.Equal(t, code.Expires, res.Expires)
			assert.Equal(t, testkit.Now.AddDate(1, 0, 0).Unix(), res.CredentialExpiry)
			assert.Equal(t, tc.audience, res.Audience)
		})
	}
	t.Run("share receiver shows allowed claims of a wider profile", func(t *testing.T) {
		f := newFixture(t, &Policy{Name: PolicyShare, AllowedClaims: "birth_date, address"})
		code, err := f.wallet.ShareCode("full", ShareOneHour)
		require.NoError(t, err)
		res := f.scanner.VerifyText(code.Text)
		require.True(t, res.Accepted, res.Reason)
		assert.Equal(t, "nik,name,birth_date,address", res.Claims.Keys())
		assert.Equal(t, "JL. MERDEKA SELATAN NO. 10, RT/RW 005/002, GAMBIR, GAMBIR, JAKARTA PUSAT, DKI JAKARTA", res.Claims.Get("address").IndonesianValue)
		assert.Equal(t, "Alamat", res.Claims.Get("address").IndonesianLabel)
	})
}

func TestScannerRefusals(t *testing.T) {
	for _, tc := range []struct {
		name   string
		reason string
		run    func(t *testing.T, f *fixture) *Result
	}{
		{"replayed", "replayed", func(t *testing.T, f *fixture) *Result {
			code := mustCode(t, f, "", AudienceKAI)
			require.True(t, f.scanner.VerifyText(code).Accepted)
			return f.scanner.VerifyText(code)
		}},
		{"expired code", "presentation_expired", func(t *testing.T, f *fixture) *Result {
			code := mustCode(t, f, "", AudienceKAI)
			f.clock.add(2 * time.Minute)
			return f.scanner.VerifyText(code)
		}},
		{"revoked", "revoked", func(t *testing.T, f *fixture) *Result {
			require.NoError(t, f.scanner.AddStatusList(f.office.statusList(t, status.StatusRevoked, time.Minute)))
			return f.scanner.VerifyText(mustCode(t, f, "", AudienceKAI))
		}},
		{"suspended", "suspended", func(t *testing.T, f *fixture) *Result {
			require.NoError(t, f.scanner.AddStatusList(f.office.statusList(t, status.StatusSuspended, time.Minute)))
			return f.scanner.VerifyText(mustCode(t, f, "", AudienceKAI))
		}},
		{"another ticket", "ticket_mismatch", func(t *testing.T, f *fixture) *Result {
			other, err := f.scanner.WithPolicy(&Policy{Name: PolicyKAI, TicketName: "SITI RAHMAWATI"})
			require.NoError(t, err)
			return other.VerifyText(mustCode(t, f, "", AudienceKAI))
		}},
		{"wrong audience", "wrong_audience", func(t *testing.T, f *fixture) *Result {
			return f.scanner.VerifyText(mustCode(t, f, "", AudienceAirline))
		}},
		{"share code at a gate", "lifetime_too_long", func(t *testing.T, f *fixture) *Result {
			code, err := f.wallet.ShareCode("", ShareFiveMinutes)
			require.NoError(t, err)
			return f.scanner.VerifyText(code.Text)
		}},
		{"not an ikd code", "not_ikd", func(t *testing.T, f *fixture) *Result {
			return f.scanner.VerifyText("M1DOE/JOHN EABC123 CGKDPSGA 0400")
		}},
		{"altered code", "malformed", func(t *testing.T, f *fixture) *Result {
			code := mustCode(t, f, "", AudienceKAI)
			return f.scanner.VerifyText(code[:len(code)-3])
		}},
		{"no status list", "status_unknown", func(t *testing.T, f *fixture) *Result {
			sc, err := newScanner(f.office.trustList(t, 1, "x"), f.office.rootPEM(t), &Policy{Name: PolicyKAI, TicketName: "BUDI SANTOSO"}, f.clock.now)
			require.NoError(t, err)
			return sc.VerifyText(mustCode(t, f, "", AudienceKAI))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			res := tc.run(t, f)
			assert.False(t, res.Accepted)
			assert.Equal(t, tc.reason, res.Reason)
			assert.NotEmpty(t, res.MessageIndonesian)
			assert.NotEmpty(t, res.MessageEnglish)
			assert.NotEqual(t, res.MessageIndonesian, res.MessageEnglish)
			require.NotNil(t, res.Claims, "never nil, for Java and Swift")
			assert.Equal(t, int64(0), res.Claims.Count())
			assert.Empty(t, res.Profile)
		})
	}
}

func mustCode(t *testing.T, f *fixture, claims, audience string) string {
	t.Helper()
	code, err := f.wallet.NextCode(claims, audience)
	require.NoError(t, err)
	return code.Text
}

func TestNewScanner(t *testing.T) {
	o := newOffice(t)
	trust, root := o.trustList(t, 1, "x"), o.rootPEM(t)
	now := func() time.Time { return testkit.Now }
	other := newOffice(t)
	other.root = testkit.P256("another root")
	for _, tc := range []struct {
		name        string
		trust, root []byte
		policy      *Policy
		code        string
	}{
		{"garbage trust list", []byte("not a JWS"), root, &Policy{Name: PolicyKAI, TicketName: "BUDI SANTOSO"}, codeTrustList},
		{"trust list of another root", other.trustList(t, 1, "x"), root, &Policy{Name: PolicyKAI, TicketName: "BUDI SANTOSO"}, codeTrustList},
		{"trust list over 1 MiB", make([]byte, 1<<20+1), root, &Policy{Name: PolicyKAI, TicketName: "BUDI SANTOSO"}, codeTrustList},
		{"garbage root", trust, []byte{1, 2, 3}, &Policy{Name: PolicyKAI, TicketName: "BUDI SANTOSO"}, codeMalformed},
		{"no policy", trust, root, nil, codeInvalidArgument},
		{"unknown policy", trust, root, &Policy{Name: "bank"}, codeInvalidArgument},
		{"policy name in capitals", trust, root, &Policy{Name: "KAI"}, codeInvalidArgument},
		{"ticket for an age check", trust, root, &Policy{Name: PolicyAge, TicketName: "BUDI"}, codeInvalidArgument},
		{"ticket for a share receiver", trust, root, &Policy{Name: PolicyShare, TicketNIK: "3171011708850003"}, codeInvalidArgument},
		{"unknown allowed claim", trust, root, &Policy{Name: PolicyShare, AllowedClaims: "adress"}, codeInvalidArgument},
		{"KK claim allowed on a KTP share", trust, root, &Policy{Name: PolicyShare, AllowedClaims: "kk_number"}, codeInvalidArgument},
		{"kai without a ticket", trust, root, &Policy{Name: PolicyKAI}, codeInvalidArgument},
		{"kai with empty booking fields", trust, root, &Policy{Name: PolicyKAI, TicketName: "", TicketNIK: ""}, codeInvalidArgument},
		{"airline without a booking", trust, root, &Policy{Name: PolicyAirline}, codeInvalidArgument},
		{"kai with NoTicket and a ticket", trust, root, &Policy{Name: PolicyKAI, TicketName: "BUDI", NoTicket: true}, codeInvalidArgument},
		{"NoTicket on a share receiver", trust, root, &Policy{Name: PolicyShare, NoTicket: true}, codeInvalidArgument},
		{"ticket NIK of 15 digits", trust, root, &Policy{Name: PolicyKAI, TicketNIK: "317101170885000"}, codeInvalidArgument},
		{"ticket NIK with letters", trust, root, &Policy{Name: PolicyKAI, TicketNIK: "31710117O8850003"}, codeInvalidArgument},
		{"ticket name over 256 bytes", trust, root, &Policy{Name: PolicyKAI, TicketName: strings.Repeat("A", 257)}, codeInvalidArgument},
		{"allowed claims at a KAI gate", trust, root, &Policy{Name: PolicyKAI, TicketName: "BUDI", AllowedClaims: "religion,address"}, codeInvalidArgument},
		{"allowed claims at an airline", trust, root, &Policy{Name: PolicyAirline, NoTicket: true, AllowedClaims: "address"}, codeInvalidArgument},
		{"allowed claims at an age check", trust, root, &Policy{Name: PolicyAge, AllowedClaims: "name"}, codeInvalidArgument},
		{"allowed claims at a school", trust, root, &Policy{Name: PolicySchool, AllowedClaims: "member_religion"}, codeInvalidArgument},
		{"ticket for a school", trust, root, &Policy{Name: PolicySchool, TicketName: "BUDI"}, codeInvalidArgument},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			sc, err := newScanner(tc.trust, tc.root, tc.policy, now)
			assert.Nil(t, sc)
			wantCode(t, err, tc.code)
		})
	}
	t.Run("an expired trust list is refused", func(t *testing.T) {
		_, err := newScanner(trust, root, &Policy{Name: PolicyKAI, TicketName: "BUDI SANTOSO"}, func() time.Time { return testkit.Now.AddDate(0, 3, 0) })
		wantCode(t, err, codeTrustList)
	})
	t.Run("the root key as a JWK", func(t *testing.T) {
		_, err := NewScanner(trust, []byte(`{"kty":"EC","crv":"P-256"}`), &Policy{Name: PolicyKAI, TicketName: "BUDI SANTOSO"})
		wantCode(t, err, codeMalformed)
	})
}

func TestUpdateTrustList(t *testing.T) {
	f := newFixture(t, nil)
	o := f.office
	verifies := func(t *testing.T, issuerName string) {
		t.Helper()
		res := f.scanner.VerifyText(mustCode(t, f, "", AudienceKAI))
		require.True(t, res.Accepted, res.Reason)
		assert.Equal(t, issuerName, res.IssuerName)
	}
	verifies(t, "Disdukcapil Kota Jakarta Pusat")
	require.NoError(t, f.scanner.UpdateTrustList(f.trust), "the same list again")
	require.NoError(t, f.scanner.UpdateTrustList(o.trustList(t, 3, "list 3")))
	verifies(t, "list 3")
	for _, tc := range []struct {
		name string
		jws  []byte
		code string
	}{
		{"an older list", o.trustList(t, 2, "list 2"), codeRollback},
		{"another list of the same sequence", o.trustList(t, 3, "list 3 again"), codeRollback},
		{"garbage", []byte("garbage"), codeTrustList},
	} {
		t.Run(tc.name+" is refused and the held list stays", func(t *testing.T) {
			wantCode(t, f.scanner.UpdateTrustList(tc.jws), tc.code)
			verifies(t, "list 3")
		})
	}
	t.Run("scanners made by WithPolicy share the list and its floor", func(t *testing.T) {
		share, err := f.scanner.WithPolicy(&Policy{Name: PolicyShare})
		require.NoError(t, err)
		wantCode(t, share.UpdateTrustList(o.trustList(t, 2, "list 2")), codeRollback)
		require.NoError(t, share.UpdateTrustList(o.trustList(t, 4, "list 4")))
		verifies(t, "list 4")
	})
}

func TestAddStatusList(t *testing.T) {
	f := newFixture(t, nil)
	for _, tc := range []struct {
		name string
		data []byte
		code string
	}{
		{"garbage", []byte{1, 2, 3}, "malformed"},
		{"an older list", f.office.statusList(t, status.StatusRevoked, 2*time.Hour), "status_rollback"},
		{"a list from the future", f.office.statusList(t, status.StatusValid, -time.Hour), "status_invalid"},
		{"over 16 MiB", make([]byte, 16<<20+1), "malformed"},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			wantCode(t, f.scanner.AddStatusList(tc.data), tc.code)
			assert.True(t, f.scanner.VerifyText(mustCode(t, f, "", AudienceKAI)).Accepted, "the held list stays")
		})
	}
}

// frameOf draws the code's PNG at offset (ox, oy) on a mid-gray frame of
// w × h pixels with rows stride bytes apart.
func frameOf(t testing.TB, pngBytes []byte, w, h, stride, ox, oy int) []byte {
	img, err := png.Decode(bytes.NewReader(pngBytes))
	require.NoError(t, err)
	frame := &image.Gray{Pix: bytes.Repeat([]byte{0xc0}, stride*h), Stride: stride, Rect: image.Rect(0, 0, w, h)}
	draw.Draw(frame, img.Bounds().Add(image.Pt(ox, oy)), img, image.Point{}, draw.Src)
	return frame.Pix
}

func TestVerifyFrame(t *testing.T) {
	f := newFixture(t, nil)
	t.Run("a frame with padded rows is accepted", func(t *testing.T) {
		code, err := f.wallet.NextCode("", AudienceKAI)
		require.NoError(t, err)
		pix := frameOf(t, code.PNG, 640, 480, 704, 100, 60)
		res, err := f.scanner.VerifyFrame(pix, 640, 480, 704)
		require.NoError(t, err)
		assert.True(t, res.Accepted, res.Reason)
		assert.Equal(t, "nik,name", res.Claims.Keys())
	})
	t.Run("the last row may end at the width", func(t *testing.T) {
		code, err := f.wallet.NextCode("", AudienceKAI)
		require.NoError(t, err)
		pix := frameOf(t, code.PNG, 400, 400, 512, 20, 20)
		res, err := f.scanner.VerifyFrame(pix[:512*399+400], 400, 400, 512)
		require.NoError(t, err)
		assert.True(t, res.Accepted, res.Reason)
	})
	t.Run("a frame without a code is no_code", func(t *testing.T) {
		res, err := f.scanner.VerifyFrame(make([]byte, 100*100), 100, 100, 100)
		require.NoError(t, err)
		assert.False(t, res.Accepted)
		assert.Equal(t, "no_code", res.Reason)
	})
	t.Run("a frame under 21 pixels is no_code", func(t *testing.T) {
		res, err := f.scanner.VerifyFrame(make([]byte, 20*20), 20, 20, 20)
		require.NoError(t, err)
		assert.Equal(t, "no_code", res.Reason)
	})
	const big = int64(1) << 40
	for _, tc := range []struct {
		name                  string
		n                     int
		width, height, stride int64
	}{
		{"zero width", 100, 0, 10, 10},
		{"zero height", 100, 10, 0, 10},
		{"negative width", 100, -10, 10, 10},
		{"negative stride", 100, 10, 10, -10},
		{"stride under width", 100, 10, 10, 9},
		{"one byte short", 99, 10, 10, 10},
		{"padded rows, last one short", 12*9 + 9, 10, 10, 12},
		{"over 4096 × 4096 pixels", 16, 4097, 4096, 4097},
		{"huge sides that overflow", 16, big, big, big},
		{"huge stride", 16, 4, 4, big},
	} {
		t.Run(tc.name+" is an invalid_argument error", func(t *testing.T) {
			res, err := f.scanner.VerifyFrame(make([]byte, tc.n), tc.width, tc.height, tc.stride)
			assert.Nil(t, res)
			wantCode(t, err, codeInvalidArgument)
		})
	}
	t.Run("the limit itself is a frame", func(t *testing.T) {
		img, err := grayImage(make([]byte, limits.MaxImagePixels), 4096, 4096, 4096)
		require.NoError(t, err)
		assert.Equal(t, image.Rect(0, 0, 4096, 4096), img.Rect)
	})
}

// TestScannerConcurrent verifies codes and frames from several goroutines
// while the lists are replaced; run it with -race.
func TestScannerConcurrent(t *testing.T) {
	f := newFixture(t, &Policy{Name: PolicyShare})
	const workers, each = 4, 4
	codes := make([][]string, workers)
	for i := range codes {
		for range each {
			codes[i] = append(codes[i], mustCode(t, f, "", ""))
		}
	}
	var wg sync.WaitGroup
	accepted := make([]int, workers)
	for i := range workers {
		wg.Go(func() {
			for _, c := range codes[i] {
				if f.scanner.VerifyText(c).Accepted {
					accepted[i]++
				}
				_, _ = f.wallet.NextCode("", "")
				_ = f.wallet.At(0)
			}
		})
	}
	for seq := uint64(2); seq < 6; seq++ {
		require.NoError(t, f.scanner.UpdateTrustList(f.office.trustList(t, seq, "Disdukcapil Kota Jakarta Pusat")))
		_, err := f.wallet.AddCredential(f.creds["kai"])
		require.NoError(t, err)
	}
	wg.Wait()
	for i := range workers {
		assert.Equal(t, each, accepted[i], "worker %d", i)
	}
}
