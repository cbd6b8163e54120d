package verify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

const shareBase = "https://verify.example.id/S/"

// shareLink makes a share link of lifetime d from h's wallet.
func shareLink(t testing.TB, h *holder, d time.Duration) string {
	t.Helper()
	code, err := h.wallet.Present(qr.Request{Lifetime: d})
	require.NoError(t, err)
	link, err := code.ShareLink(shareBase)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(link, "HTTPS://VERIFY.EXAMPLE.ID/S/#IKD1:"), link)
	return link
}

func TestVerifyShareLink(t *testing.T) {
	cases := []struct {
		name   string
		policy verify.Policy
		link   func(t *testing.T, f *fixture) string
		want   verify.Reason // 0: accepted
	}{
		{"share_receiver_accepts_link", verify.ShareReceiver(), func(t *testing.T, f *fixture) string {
			return shareLink(t, f.man, qr.ShareFiveMinutes)
		}, 0},
		{"share_receiver_accepts_lower_case_link", verify.ShareReceiver(), func(t *testing.T, f *fixture) string {
			link := shareLink(t, f.woman, qr.ShareOneHour)
			return strings.ToLower(link[:len(shareBase)]) + link[len(shareBase):]
		}, 0},
		{"link_with_line_ending_from_a_hardware_scanner", verify.ShareReceiver(), func(t *testing.T, f *fixture) string {
			return shareLink(t, f.man, qr.ShareOneHour) + "\r\n"
		}, 0},
		{"link_near_the_end_of_its_hour", verify.ShareReceiver(), func(t *testing.T, f *fixture) string {
			link := shareLink(t, f.man, qr.ShareOneHour)
			f.clock.Add(59 * time.Minute)
			return link
		}, 0},
		{"expired_link_dies_with_its_presentation", verify.ShareReceiver(), func(t *testing.T, f *fixture) string {
			link := shareLink(t, f.man, qr.ShareFiveMinutes)
			f.clock.Add(qr.ShareFiveMinutes + verify.ShareReceiver().ClockSkew + time.Second)
			return link
		}, verify.ReasonPresentationExpired},
		{"tampered_link_is_refused", verify.ShareReceiver(), func(t *testing.T, f *fixture) string {
			return tamperLink(t, shareLink(t, f.man, qr.ShareOneHour))
		}, verify.ReasonBadDeviceSignature},
		{"airline_desk_refuses_links", verify.AirlineCheckIn(), func(t *testing.T, f *fixture) string {
			return shareLink(t, f.man, qr.ShareFiveMinutes)
		}, verify.ReasonLifetimeTooLong},
		{"kai_gate_refuses_links", verify.KAIGate(verify.Ticket{Name: "BUDI SANTOSO"}), func(t *testing.T, f *fixture) string {
			return shareLink(t, f.man, qr.ShareFiveMinutes)
		}, verify.ReasonLifetimeTooLong},
		{"age_check_refuses_links", verify.AgeCheck(), func(t *testing.T, f *fixture) string {
			return shareLink(t, f.man, qr.ShareFiveMinutes)
		}, verify.ReasonLifetimeTooLong},
		{"link_with_a_query_is_malformed", verify.ShareReceiver(), func(t *testing.T, f *fixture) string {
			return strings.Replace(shareLink(t, f.man, qr.ShareOneHour), "/S/#", "/S/?x=1#", 1)
		}, verify.ReasonMalformed},
		{"plain_http_link_off_loopback_is_malformed", verify.ShareReceiver(), func(t *testing.T, f *fixture) string {
			return strings.Replace(shareLink(t, f.man, qr.ShareOneHour), "HTTPS://", "HTTP://", 1)
		}, verify.ReasonMalformed},
		{"live_code_wrapped_in_a_link_is_malformed", verify.ShareReceiver(), func(t *testing.T, f *fixture) string {
			// qr.Code.ShareLink refuses a live code; a link made by hand
			// around one is no share link (issue 19, finding 6).
			code, err := f.man.wallet.Present(qr.Request{})
			require.NoError(t, err)
			return "HTTPS://VERIFY.EXAMPLE.ID/S/#" + strings.NewReplacer("%", "%25", " ", "%20").Replace(code.Text)
		}, verify.ReasonMalformed},
		{"share_link_naming_kai_is_wrong_audience", verify.ShareReceiver(), func(t *testing.T, f *fixture) string {
			code, err := f.man.wallet.Present(qr.Request{Lifetime: qr.ShareFiveMinutes, Audience: verify.AudienceKAI})
			require.NoError(t, err)
			link, err := code.ShareLink(shareBase)
			require.NoError(t, err)
			return link
		}, verify.ReasonWrongAudience},
		{"live_kai_code_as_text_at_share_receiver_is_wrong_audience", verify.ShareReceiver(), func(t *testing.T, f *fixture) string {
			code, err := f.man.wallet.Present(qr.Request{Audience: verify.AudienceKAI})
			require.NoError(t, err)
			return code.Text
		}, verify.ReasonWrongAudience},
		{"airline_code_at_share_receiver_is_wrong_audience", verify.ShareReceiver(), func(t *testing.T, f *fixture) string {
			code, err := f.man.wallet.Present(qr.Request{Lifetime: qr.ShareOneHour, Audience: verify.AudienceAirline})
			require.NoError(t, err)
			return code.Text
		}, verify.ReasonWrongAudience},
		{"share_code_naming_its_receiver_is_accepted", verify.ShareReceiver(), func(t *testing.T, f *fixture) string {
			code, err := f.man.wallet.Present(qr.Request{Lifetime: qr.ShareOneHour, Audience: "BANK-KYC"})
			require.NoError(t, err)
			link, err := code.ShareLink(shareBase)
			require.NoError(t, err)
			return link
		}, 0},
		{"link_to_something_else_is_not_ikd", verify.ShareReceiver(), func(t *testing.T, f *fixture) string {
			return "https://verify.example.id/S/#HC1:NCFOXN%25TS3DH"
		}, verify.ReasonNotIKD},
		{"address_without_fragment_is_not_ikd", verify.AirlineCheckIn(), func(t *testing.T, f *fixture) string {
			return "https://pay.example.id/invoice/123"
		}, verify.ReasonNotIKD},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			v := f.verifier(t, tc.policy)
			link := tc.link(t, f)
			res, err := v.VerifyText(link)
			if tc.want == 0 {
				require.NoError(t, err)
				assert.NotEmpty(t, res.Claims.Name)
				return
			}
			assert.Nil(t, res)
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

// TestShareLinkAndTextAreOneCode: the link and the bare text of one code
// are the same presentation, so accepting one makes the other a replay.
func TestShareLinkAndTextAreOneCode(t *testing.T) {
	f := newFixture(t)
	v := f.verifier(t, verify.ShareReceiver())
	code, err := f.man.wallet.Present(qr.Request{Lifetime: qr.ShareOneHour})
	require.NoError(t, err)
	link, err := code.ShareLink(shareBase)
	require.NoError(t, err)
	_, err = v.VerifyText(link)
	require.NoError(t, err)
	_, err = v.VerifyText(code.Text)
	assert.ErrorIs(t, err, verify.ReasonReplayed)
}

// tamperLink changes one byte inside the device signature of a share
// link's presentation and keeps the base45 valid: it moves the first (least
// significant) digit of a triple near the end by one, so the triple's value
// stays within 0..65535 and only the signed bytes change.
func tamperLink(t *testing.T, link string) string {
	t.Helper()
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
	h := strings.IndexByte(link, '#')
	require.Positive(t, h)
	frag := strings.NewReplacer("%20", " ", "%25", "%").Replace(link[h+1:])
	require.True(t, strings.HasPrefix(frag, "IKD1:"))
	body := []byte(frag[len("IKD1:"):])
	j := (len(body) - 40) / 3 * 3 // the first digit of a triple, inside the signature
	d := strings.IndexByte(alphabet, body[j])
	require.GreaterOrEqual(t, d, 0)
	if d > 0 {
		d--
	} else {
		d++
	}
	body[j] = alphabet[d]
	frag = "IKD1:" + string(body)
	return link[:h+1] + strings.NewReplacer("%", "%25", " ", "%20").Replace(frag)
}
