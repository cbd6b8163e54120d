package mobile

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/testkit"
)

func TestUpdateTrustListComparesPayloads(t *testing.T) {
	f := newFixture(t, nil)
	same := f.office.trustList(t, 1, "Disdukcapil Kota Jakarta Pusat") // signed again: another ECDSA signature
	require.NotEqual(t, f.trust, same)
	for _, tc := range []struct {
		name string
		jws  []byte
	}{
		{"with a trailing newline", append(append([]byte{}, f.trust...), '\n')},
		{"with CRLF", append(append([]byte{}, f.trust...), '\r', '\n')},
		{"with leading spaces", append([]byte("  "), f.trust...)},
		{"signed again", same},
	} {
		t.Run("the held list "+tc.name+" changes nothing", func(t *testing.T) {
			require.NoError(t, f.scanner.UpdateTrustList(tc.jws))
		})
	}
	wantCode(t, f.scanner.UpdateTrustList(f.office.trustList(t, 1, "another name")), codeRollback)
}

func TestAddStatusListRefusesStaleLists(t *testing.T) {
	f := newFixture(t, nil) // its list is an hour old
	for _, tc := range []struct {
		name string
		tok  status.Token
		want string
	}{
		{"an expired list", status.Token{ListID: 2, IssuedAt: testkit.Now.Add(-30 * time.Minute), Expiry: testkit.Now.Add(-time.Minute)}, "expired at"},
		{"a list at its expiry", status.Token{ListID: 2, IssuedAt: testkit.Now.Add(-30 * time.Minute), Expiry: testkit.Now}, "expired at"},
		{"a list of 8 days", status.Token{ListID: 2, IssuedAt: testkit.Now.AddDate(0, 0, -8)}, "over the 168h0m0s the policy allows"},
	} {
		t.Run(tc.name+" is refused and the held one stays", func(t *testing.T) {
			err := f.scanner.AddStatusList(f.office.statusListToken(t, status.StatusValid, tc.tok))
			wantCode(t, err, "status_stale")
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, f.scanner.VerifyText(mustCode(t, f, "", AudienceKAI)).Accepted)
		})
	}
	t.Run("a current list with an expiry is accepted", func(t *testing.T) {
		require.NoError(t, f.scanner.AddStatusList(f.office.statusListToken(t, status.StatusValid,
			status.Token{ListID: 2, IssuedAt: testkit.Now.Add(-time.Minute), Expiry: testkit.Now.Add(time.Hour)})))
	})
	t.Run("a saved list gone stale is refused at the next start", func(t *testing.T) {
		held := f.office.statusList(t, status.StatusValid, time.Hour)
		f.clock.add(7 * 24 * time.Hour)
		sc, err := newScanner(f.trust, f.office.rootPEM(t), &Policy{Name: PolicyKAI, TicketName: "BUDI SANTOSO"}, f.clock.now)
		require.NoError(t, err)
		wantCode(t, sc.AddStatusList(held), "status_stale")
		assert.Equal(t, "status_unknown", sc.VerifyText(mustCode(t, f, "", AudienceKAI)).Reason)
	})
}

func TestZeroValuesAreSafe(t *testing.T) {
	for name, s := range map[string]*Scanner{"nil": nil, "zero": {}} {
		t.Run(name+" scanner", func(t *testing.T) {
			res := s.VerifyText("IKD1:X")
			assert.False(t, res.Accepted)
			assert.Equal(t, codeInvalidArgument, res.Reason)
			assert.NotEmpty(t, res.MessageEnglish)
			assert.Zero(t, res.Claims.Count())
			wantCode(t, s.UpdateTrustList(nil), codeInvalidArgument)
			wantCode(t, s.AddStatusList(nil), codeInvalidArgument)
			_, err := s.WithPolicy(&Policy{Name: PolicyShare})
			wantCode(t, err, codeInvalidArgument)
			_, err = s.VerifyFrame(make([]byte, 4), 2, 2, 2)
			wantCode(t, err, codeInvalidArgument)
			assert.Empty(t, s.RequestedClaims())
		})
	}
	for name, w := range map[string]*Wallet{"nil": nil, "zero": {}} {
		t.Run(name+" wallet", func(t *testing.T) {
			_, err := w.AddCredential([]byte{1})
			wantCode(t, err, codeInvalidArgument)
			_, err = w.NextCode("", AudienceKAI)
			wantCode(t, err, codeInvalidArgument)
			_, err = w.ShareCode("", ShareFiveMinutes)
			wantCode(t, err, codeInvalidArgument)
			_, err = w.Code(&Request{})
			wantCode(t, err, codeInvalidArgument)
			_, err = w.ProfileFor("")
			wantCode(t, err, codeInvalidArgument)
			assert.Zero(t, w.Count())
			assert.Nil(t, w.At(0))
		})
	}
	t.Run("nil claims", func(t *testing.T) {
		var c *Claims
		assert.Zero(t, c.Count())
		assert.Nil(t, c.At(0))
		assert.Nil(t, c.Get("nik"))
		assert.Empty(t, c.Keys())
	})
	t.Run("nil request", func(t *testing.T) {
		f := newFixture(t, nil)
		_, err := f.wallet.Code(nil)
		wantCode(t, err, codeInvalidArgument)
	})
}

// panicSigner is a Go DeviceSigner with a bug.
type panicSigner struct {
	goSigner
	inPublicKey bool
}

func (s *panicSigner) PublicKey() ([]byte, error) {
	if s.inPublicKey {
		panic("index out of range")
	}
	return s.goSigner.PublicKey()
}

func (s *panicSigner) Sign([]byte) ([]byte, error) { panic("nil map") }

func TestSignerPanicsAreSignerErrors(t *testing.T) {
	_, err := NewWallet(&panicSigner{goSigner: goSigner{key: testkit.Device("mobile")}, inPublicKey: true})
	wantCode(t, err, codeSigner)
	assert.Contains(t, err.Error(), "PublicKey panicked: index out of range")

	f := newFixture(t, nil)
	w, err := NewWallet(&panicSigner{goSigner: goSigner{key: f.signer.key}})
	require.NoError(t, err)
	_, err = w.AddCredential(f.creds["kai"])
	require.NoError(t, err)
	_, err = w.NextCode("", AudienceKAI)
	wantCode(t, err, codeSigner)
	assert.Contains(t, err.Error(), "Sign panicked: nil map")
}

func TestVerifyFrameCaps(t *testing.T) {
	f := newFixture(t, nil)
	for _, tc := range []struct {
		name                  string
		width, height, stride int64
		want                  string
	}{
		{"a side over 65536", 65537, 1, 65537, "each side must be 1 to 65536"},
		{"over 4096 × 4096 pixels", 4097, 4096, 4097, "at most 16777216 pixels"},
		{"a stride under the width", 10, 10, 9, "row stride 9 is under the width 10"},
		{"a stride over the cap", 1, 1, 262145, "row stride 262145 is over the cap of 262144 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.scanner.VerifyFrame(nil, tc.width, tc.height, tc.stride)
			wantCode(t, err, codeInvalidArgument)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	t.Run("a stride at the cap is accepted", func(t *testing.T) {
		res, err := f.scanner.VerifyFrame(make([]byte, 1), 1, 1, 262144)
		require.NoError(t, err)
		assert.Equal(t, "no_code", res.Reason)
	})
}

// family returns a wallet holding the man's KTP credentials, the Kartu
// Keluarga of his household (first five members: him, his wife and three
// children), every profile, and the Akta Kelahiran of his first child, and
// a school's scanner, sharing one clock.
func family(t *testing.T) (*fixture, *Scanner) {
	f := newFixture(t, nil)
	dev := &f.signer.key.PublicKey
	kk, birth := testkit.Family(5), testkit.Birth()
	for _, req := range []*credential.Request{{KK: &kk}, {BirthCertificate: &birth}} {
		req.DeviceKey, req.Status = dev, credential.StatusRef{List: 2, Index: 77}
		req.IssuedAt, req.Expiry = testkit.Now.AddDate(0, 0, -30), testkit.Now.AddDate(1, 0, 0)
		out, err := f.office.issuer.Issue(req)
		require.NoError(t, err)
		for _, c := range out {
			_, err := f.wallet.AddCredential(c.Bytes)
			require.NoError(t, err, c.Profile)
		}
	}
	school, err := f.scanner.WithPolicy(&Policy{Name: PolicySchool})
	require.NoError(t, err)
	return f, school
}

const (
	schoolKK   = "kk_number,kk_head,member_name,member_nik,member_relationship,member_birth_date"
	schoolAkta = "akta_number,akta_child_name,akta_sex,akta_birth_place,akta_birth_date,akta_mother"
	rizky      = "3171012107140002" // the first child
	ayu        = "3171014309170001" // the second
)

func TestFamilyDocuments(t *testing.T) {
	f, school := family(t)
	t.Run("the wallet lists each document and whom it is about", func(t *testing.T) {
		var got []string
		for i := range f.wallet.Count() {
			c := f.wallet.At(i)
			got = append(got, c.Document+" "+c.Profile+" "+c.Subject)
		}
		assert.Equal(t, []string{
			"ktp full 3171011708850003", "ktp travel 3171011708850003", "ktp kai 3171011708850003", "ktp age ",
			"kk kk-full ", "kk kk-members ",
			"kk kk-school " + rizky, "kk kk-school " + ayu, "kk kk-school 3171013012190003",
			"akta_kelahiran akta-full " + rizky, "akta_kelahiran akta-school " + rizky,
		}, got)
	})
	for _, tc := range []struct {
		name, document, claims, subject, profile string
	}{
		{"the KK for a school, first child", "kk", schoolKK, rizky, "kk-school"},
		{"the KK for a school, second child", "kk", schoolKK, ayu, "kk-school"},
		{"the Akta for a school", "akta_kelahiran", schoolAkta, rizky, "akta-school"},
	} {
		t.Run(tc.name+" is accepted by the school", func(t *testing.T) {
			code, err := f.wallet.Code(&Request{Document: tc.document, Claims: tc.claims, Subject: tc.subject, Lifetime: ShareFiveMinutes})
			require.NoError(t, err)
			assert.Equal(t, tc.profile, code.Profile)
			assert.Equal(t, tc.document, code.Document)
			res := school.VerifyText(code.Text)
			require.True(t, res.Accepted, res.Reason)
			assert.Equal(t, tc.document, res.Document)
			assert.Equal(t, tc.profile, res.Profile)
			if tc.document == "kk" {
				assert.Equal(t, "3171012003120007", res.Claims.Get("kk_number").IndonesianValue)
				assert.Equal(t, "No. KK", res.Claims.Get("kk_number").IndonesianLabel)
				assert.Zero(t, res.Claims.Get("kk_number").Member)
				// The child is the school profile's first member.
				child := res.Claims.Get("member_nik")
				assert.Equal(t, tc.subject, child.IndonesianValue)
				assert.Equal(t, int64(1), child.Member)
				var rows, religion int
				for i := range res.Claims.Count() {
					c := res.Claims.At(i)
					if c.Key == "member_name" {
						rows++
					}
					if c.Key == "member_religion" {
						religion++
					}
				}
				assert.Equal(t, 3, rows, "the child and its parents")
				assert.Zero(t, religion, "the school policy shows no religion")
				assert.Equal(t, "Status Hubungan Dalam Keluarga", res.Claims.Get("member_relationship").IndonesianLabel)
			} else {
				assert.Equal(t, "RIZKY PRATAMA SANTOSO", res.Claims.Get("akta_child_name").IndonesianValue)
			}
		})
	}
	t.Run("a KK code is refused by a KTP scanner", func(t *testing.T) {
		code, err := f.wallet.Code(&Request{Document: "kk", Claims: schoolKK, Subject: rizky, Lifetime: ShareFiveMinutes})
		require.NoError(t, err)
		share, err := f.scanner.WithPolicy(&Policy{Name: PolicyShare})
		require.NoError(t, err)
		assert.False(t, share.VerifyText(code.Text).Accepted)
	})
	t.Run("a KTP code is refused by the school", func(t *testing.T) {
		code, err := f.wallet.ShareCode("", ShareFiveMinutes)
		require.NoError(t, err)
		assert.False(t, school.VerifyText(code.Text).Accepted)
	})
	t.Run("ProfileFor reads the document from the claims", func(t *testing.T) {
		p, err := f.wallet.ProfileFor("kk_number,member_religion")
		require.NoError(t, err)
		assert.Equal(t, "kk-full", p)
		p, err = f.wallet.ProfileFor("akta_birth_time")
		require.NoError(t, err)
		assert.Equal(t, "akta-full", p)
	})
	for _, tc := range []struct {
		name string
		req  Request
		code string
	}{
		{"an unknown document", Request{Document: "passport"}, codeInvalidArgument},
		{"a KK claim in a KTP request", Request{Claims: "name,kk_number"}, codeInvalidArgument},
		{"an Akta claim in a KK request", Request{Document: "kk", Claims: "kk_number,akta_number"}, codeInvalidArgument},
		{"a subject that is not a NIK", Request{Document: "kk", Subject: "RIZKY"}, codeInvalidArgument},
		{"a lifetime of 10 minutes", Request{Lifetime: 600}, codeInvalidArgument},
		{"a share link for a live code", Request{LinkBase: "https://verify.example.id/S/"}, codeInvalidArgument},
		{"a share link on plain http", Request{Lifetime: ShareFiveMinutes, LinkBase: "http://verify.example.id/S/"}, codeInvalidArgument},
		{"a child not in the wallet", Request{Document: "kk", Claims: schoolKK, Subject: "3171015402210002", Lifetime: ShareFiveMinutes}, codeNoProfile},
		{"an Akta of another child", Request{Document: "akta_kelahiran", Subject: ayu, Lifetime: ShareFiveMinutes}, codeNoProfile},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := f.wallet.Code(&tc.req)
			wantCode(t, err, tc.code)
		})
	}
	_, err := f.wallet.ProfileFor("kk_number,name")
	wantCode(t, err, codeInvalidArgument)
	_, err = f.wallet.ShareCode("kk-full", ShareFiveMinutes)
	wantCode(t, err, codeInvalidArgument)
}

func TestKKRenewalIsPerChild(t *testing.T) {
	f, _ := family(t)
	n := f.wallet.Count()
	kk := testkit.Family(5)
	out, err := f.office.issuer.Issue(&credential.Request{
		KK: &kk, DeviceKey: &f.signer.key.PublicKey, Status: credential.StatusRef{List: 2, Index: 77},
		IssuedAt: testkit.Now, Expiry: testkit.Now.AddDate(2, 0, 0), Profiles: []credential.Profile{credential.ProfileKKSchool},
	})
	require.NoError(t, err)
	require.Len(t, out, 3, "one school credential per child")
	for _, c := range out {
		_, err := f.wallet.AddCredential(c.Bytes)
		require.NoError(t, err)
	}
	assert.Equal(t, n, f.wallet.Count(), "each child's credential replaced its own")
	for i := range f.wallet.Count() {
		if c := f.wallet.At(i); c.Profile == "kk-school" {
			assert.Equal(t, testkit.Now.AddDate(2, 0, 0).Unix(), c.Expires, c.Subject)
		}
	}
}

func TestShareLinks(t *testing.T) {
	f := newFixture(t, &Policy{Name: PolicyShare})
	code, err := f.wallet.Code(&Request{Lifetime: ShareOneHour, LinkBase: "https://verify.example.id/S/"})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(code.Link, "HTTPS://VERIFY.EXAMPLE.ID/S/#IKD1:"), code.Link)
	res := f.scanner.VerifyText(code.Link)
	require.True(t, res.Accepted, res.Reason)
	assert.Equal(t, "nik,name", res.Claims.Keys())
	plain, err := f.wallet.ShareCode("", ShareOneHour)
	require.NoError(t, err)
	assert.Empty(t, plain.Link)
	kai, err := f.scanner.WithPolicy(&Policy{Name: PolicyKAI, TicketName: "BUDI SANTOSO"})
	require.NoError(t, err)
	assert.False(t, kai.VerifyText(code.Link).Accepted, "a KAI gate takes no links")
}

func TestShareReceiverRefusesCodesMadeForAGate(t *testing.T) {
	f := newFixture(t, &Policy{Name: PolicyShare})
	for _, tc := range []struct {
		name, claims, audience, reason string
	}{
		{"a KAI gate's live code", "", AudienceKAI, "wrong_audience"},
		{"an airline desk's live code", "name,nik,birth_date", AudienceAirline, "wrong_audience"},
		{"a live code for another verifier", "", "GA-CGK", "wrong_audience"},
		{"a live code for no one", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, err := f.wallet.NextCode(tc.claims, tc.audience)
			require.NoError(t, err)
			res := f.scanner.VerifyText(code.Text)
			assert.Equal(t, tc.reason, res.Reason)
			assert.Equal(t, tc.reason == "", res.Accepted)
		})
	}
	t.Run("a share code with an audience", func(t *testing.T) {
		code, err := f.wallet.Code(&Request{Lifetime: ShareFiveMinutes, Audience: "BANK"})
		require.NoError(t, err)
		assert.Equal(t, "wrong_audience", f.scanner.VerifyText(code.Text).Reason)
	})
}

func TestFramesReportEachShowingOnce(t *testing.T) {
	f := newFixture(t, nil)
	frames := f.scanner.Frames()
	require.NotNil(t, frames)
	code, err := f.wallet.NextCode("", AudienceKAI)
	require.NoError(t, err)
	const w, h, stride = 640, 480, 704
	pix := frameOf(t, code.PNG, w, h, stride, 100, 60)
	empty := make([]byte, w*h)
	verdict := func() string {
		t.Helper()
		res, err := frames.VerifyFrame(pix, w, h, stride)
		require.NoError(t, err)
		if res.Accepted {
			return "accepted"
		}
		return res.Reason
	}
	assert.Equal(t, "accepted", verdict())
	for range 5 {
		assert.Equal(t, "same_code", verdict(), "the code still in view is reported once")
	}
	for range 15 {
		res, err := frames.VerifyFrame(empty, w, h, w)
		require.NoError(t, err)
		assert.Equal(t, "no_code", res.Reason)
	}
	assert.Equal(t, "same_code", verdict(), "shown again after 15 frames without it: the stream remembers a code it reported for 2 minutes (qr.Scanner), so a phone lowered for a moment is not refused as replayed")

	t.Run("each stream has its own memory", func(t *testing.T) {
		res, err := f.scanner.Frames().VerifyFrame(pix, w, h, stride)
		require.NoError(t, err)
		assert.Equal(t, "replayed", res.Reason)
	})
	t.Run("sizes are checked as by VerifyFrame", func(t *testing.T) {
		_, err := frames.VerifyFrame(make([]byte, 10), 10, 10, 9)
		wantCode(t, err, codeInvalidArgument)
	})
	t.Run("zero values", func(t *testing.T) {
		assert.Nil(t, new(Scanner).Frames())
		var nilFrames *Frames
		_, err := nilFrames.VerifyFrame(pix, w, h, stride)
		wantCode(t, err, codeInvalidArgument)
		_, err = new(Frames).VerifyFrame(pix, w, h, stride)
		wantCode(t, err, codeInvalidArgument)
	})
}
