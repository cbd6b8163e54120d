package verify_test

import (
	"errors"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/internal/statuslist"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

var airlineReq = qr.Request{
	Claims:   []credential.Claim{credential.ClaimName, credential.ClaimNIK, credential.ClaimBirthDate},
	Audience: verify.AudienceAirline,
}

var kaiReq = qr.Request{
	Claims:   []credential.Claim{credential.ClaimName, credential.ClaimNIK},
	Audience: verify.AudienceKAI,
}

type failingReplay struct{}

func (failingReplay) CheckAndMark([32]byte, time.Time, time.Time) (bool, error) {
	return false, errors.New("store unreachable")
}

// TestVerify produces every reason from a realistic attack or mistake on a
// real presentation, and checks the accepted cases.
func TestVerify(t *testing.T) {
	type scan struct {
		v    *verify.Verifier
		text string
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, f *fixture) scan
		want  verify.Reason // 0: accepted
	}{
		{"airline_accepts_live_travel_code_ES256_issuer", func(t *testing.T, f *fixture) scan {
			return scan{f.verifier(t, verify.AirlineCheckIn()), present(t, f.man, airlineReq)}
		}, 0},
		{"airline_accepts_live_travel_code_EdDSA_issuer", func(t *testing.T, f *fixture) scan {
			return scan{f.verifier(t, verify.AirlineCheckIn()), present(t, f.woman, airlineReq)}
		}, 0},
		{"kai_gate_accepts_matching_ticket_despite_title_and_case", func(t *testing.T, f *fixture) scan {
			p := verify.KAIGate(verify.Ticket{Name: "Bpk. Budi  Santoso", NIK: "3171011708850003"})
			return scan{f.verifier(t, p), present(t, f.man, kaiReq)}
		}, 0},
		{"share_receiver_accepts_one_hour_code", func(t *testing.T, f *fixture) scan {
			req := kaiReq
			req.Audience, req.Lifetime = "", qr.ShareOneHour
			v := f.verifier(t, verify.ShareReceiver())
			text := present(t, f.wna, req)
			f.clock.Add(50 * time.Minute)
			return scan{v, text}
		}, 0},
		{"truncated_text_is_malformed", func(t *testing.T, f *fixture) scan {
			text := present(t, f.man, airlineReq)
			return scan{f.verifier(t, verify.AirlineCheckIn()), text[:len(text)-30]}
		}, verify.ReasonMalformed},
		{"garbage_base45_is_malformed", func(t *testing.T, f *fixture) scan {
			return scan{f.verifier(t, verify.AirlineCheckIn()), presentation.Prefix + "GGW"}
		}, verify.ReasonMalformed},
		{"boarding_pass_is_not_ikd", func(t *testing.T, f *fixture) scan {
			return scan{f.verifier(t, verify.AirlineCheckIn()), "M1SANTOSO/BUDI       EABC123 CGKDPSGA 0404 328Y012A0001 100"}
		}, verify.ReasonNotIKD},
		{"newer_version_is_unsupported", func(t *testing.T, f *fixture) scan {
			text := present(t, f.man, airlineReq)
			return scan{f.verifier(t, verify.AirlineCheckIn()), "IKD2:" + strings.TrimPrefix(text, presentation.Prefix)}
		}, verify.ReasonUnsupportedVersion},
		{"altered_claim_byte_breaks_device_signature", func(t *testing.T, f *fixture) scan {
			text := present(t, f.man, airlineReq)
			data, err := presentation.Decode(text)
			require.NoError(t, err)
			i := strings.Index(string(data), "BUDI SANTOSO")
			require.Positive(t, i)
			data[i] = 'R' // RUDI SANTOSO
			return scan{f.verifier(t, verify.AirlineCheckIn()), presentation.Encode(data)}
		}, verify.ReasonBadDeviceSignature},
		{"altered_claim_resigned_with_own_device_breaks_issuer_signature", func(t *testing.T, f *fixture) scan {
			attacker := testkit.Device("attacker")
			m := credPayload(t, f.man.cred(credential.ProfileTravel))
			m[-3].(map[any]any)[int64(2)] = "MALLORY"
			m[8] = cnfOf(&attacker.PublicKey)
			cred := withPayload(t, f.man.cred(credential.ProfileTravel), m)
			return scan{f.verifier(t, verify.AirlineCheckIn()), forge(t, cred, attacker, f.clock.Now(), qr.DefaultLifetime, verify.AudienceAirline)}
		}, verify.ReasonBadIssuerSignature},
		{"another_persons_credential_with_this_devices_signature", func(t *testing.T, f *fixture) scan {
			// The woman's credential (seen in a share code), presented by the man's phone.
			return scan{f.verifier(t, verify.AirlineCheckIn()), forge(t, f.woman.cred(credential.ProfileTravel), f.man.device, f.clock.Now(), qr.DefaultLifetime, verify.AudienceAirline)}
		}, verify.ReasonBadDeviceSignature},
		{"presentation_signed_by_another_device", func(t *testing.T, f *fixture) scan {
			return scan{f.verifier(t, verify.AirlineCheckIn()), forge(t, f.man.cred(credential.ProfileTravel), testkit.Device("stolen phone"), f.clock.Now(), qr.DefaultLifetime, "")}
		}, verify.ReasonBadDeviceSignature},
		{"issuer_key_removed_from_trust_list", func(t *testing.T, f *fixture) scan {
			v := f.verifier(t, verify.AirlineCheckIn())
			setTrust(t, v, f.trustList(t, 2, f.bandung.key))
			return scan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonUnknownIssuer},
		{"issuer_key_expired_before_credential_was_issued", func(t *testing.T, f *fixture) scan {
			v := f.verifier(t, verify.AirlineCheckIn())
			k := f.jakarta.key
			k.NotAfter = testkit.Now.Add(-48 * time.Hour) // retired before the credential's iat
			setTrust(t, v, f.trustList(t, 2, k, f.bandung.key))
			return scan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonKeyNotValid},
		{"alg_swapped_in_credential_header", func(t *testing.T, f *fixture) scan {
			cred := withProtected(t, f.man.cred(credential.ProfileTravel), keys.EdDSA, f.jakarta.kid)
			return scan{f.verifier(t, verify.AirlineCheckIn()), forge(t, cred, f.man.device, f.clock.Now(), qr.DefaultLifetime, "")}
		}, verify.ReasonAlgorithmNotAllowed},
		{"alg_swapped_credential_on_another_device_fails_device_signature_first", func(t *testing.T, f *fixture) scan {
			// credential.Parse takes any integer alg; the algorithm is
			// judged in the issuer check, after the device signature.
			cred := withProtected(t, f.man.cred(credential.ProfileTravel), keys.EdDSA, f.jakarta.kid)
			return scan{f.verifier(t, verify.AirlineCheckIn()), forge(t, cred, testkit.Device("stolen phone"), f.clock.Now(), qr.DefaultLifetime, "")}
		}, verify.ReasonBadDeviceSignature},
		{"alg_none_or_hmac_in_credential_header", func(t *testing.T, f *fixture) scan {
			cred := withProtected(t, f.man.cred(credential.ProfileTravel), 5 /* HMAC 256/256 */, f.jakarta.kid)
			return scan{f.verifier(t, verify.AirlineCheckIn()), forge(t, cred, f.man.device, f.clock.Now(), qr.DefaultLifetime, "")}
		}, verify.ReasonAlgorithmNotAllowed},
		{"kid_swapped_to_another_issuers_key", func(t *testing.T, f *fixture) scan {
			cred := withProtected(t, f.man.cred(credential.ProfileTravel), keys.ES256, f.bandung.kid)
			return scan{f.verifier(t, verify.AirlineCheckIn()), forge(t, cred, f.man.device, f.clock.Now(), qr.DefaultLifetime, "")}
		}, verify.ReasonUnknownIssuer},
		{"credential_signed_by_one_issuer_claiming_another", func(t *testing.T, f *fixture) scan {
			m := credPayload(t, f.man.cred(credential.ProfileTravel))
			m[1] = "3273" // Jakarta's key, Bandung's name
			cred := signPayload(t, f.jakarta, m)
			return scan{f.verifier(t, verify.AirlineCheckIn()), forge(t, cred, f.man.device, f.clock.Now(), qr.DefaultLifetime, "")}
		}, verify.ReasonUnknownIssuer},
		{"nik_inconsistent_with_birth_date", func(t *testing.T, f *fixture) scan {
			m := credPayload(t, f.man.cred(credential.ProfileTravel))
			m[-3].(map[any]any)[int64(4)] = int64(19850818) // NIK says 17-08-85
			cred := signPayload(t, f.jakarta, m)
			return scan{f.verifier(t, verify.AirlineCheckIn()), forge(t, cred, f.man.device, f.clock.Now(), qr.DefaultLifetime, "")}
		}, verify.ReasonNIKInconsistent},
		{"nik_inconsistent_with_sex", func(t *testing.T, f *fixture) scan {
			m := credPayload(t, f.woman.cred(credential.ProfileTravel))
			m[-3].(map[any]any)[int64(5)] = int64(credential.SexMale)
			cred := signPayload(t, f.bandung, m)
			return scan{f.verifier(t, verify.AirlineCheckIn()), forge(t, cred, f.woman.device, f.clock.Now(), qr.DefaultLifetime, "")}
		}, verify.ReasonNIKInconsistent},
		{"invalid_value_beside_a_nik_mismatch_is_malformed", func(t *testing.T, f *fixture) scan {
			// Value checks come before consistency checks
			// (docs/wire-format.md): sex 9 is no sex, whatever the NIK says.
			m := credPayload(t, f.man.cred(credential.ProfileTravel))
			m[-3].(map[any]any)[int64(4)] = int64(19850818) // NIK says 17-08-85
			m[-3].(map[any]any)[int64(5)] = int64(9)
			cred := signPayload(t, f.jakarta, m)
			return scan{f.verifier(t, verify.AirlineCheckIn()), forge(t, cred, f.man.device, f.clock.Now(), qr.DefaultLifetime, "")}
		}, verify.ReasonMalformed},
		{"credential_expired", func(t *testing.T, f *fixture) scan {
			v := f.verifier(t, verify.AirlineCheckIn())
			f.clock.Add(366 * 24 * time.Hour)
			return scan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonCredentialExpired},
		{"credential_not_yet_valid", func(t *testing.T, f *fixture) scan {
			m := credPayload(t, f.man.cred(credential.ProfileTravel))
			m[6] = f.clock.Now().Add(time.Hour).Unix()
			cred := signPayload(t, f.jakarta, m)
			return scan{f.verifier(t, verify.AirlineCheckIn()), forge(t, cred, f.man.device, f.clock.Now().Add(2*time.Hour), qr.DefaultLifetime, "")}
		}, verify.ReasonCredentialNotYetValid},
		{"screenshot_two_minutes_old", func(t *testing.T, f *fixture) scan {
			v := f.verifier(t, verify.AirlineCheckIn())
			text := present(t, f.man, airlineReq)
			f.clock.Add(2 * time.Minute)
			return scan{v, text}
		}, verify.ReasonPresentationExpired},
		{"code_within_lifetime_plus_skew_is_accepted", func(t *testing.T, f *fixture) scan {
			v := f.verifier(t, verify.AirlineCheckIn())
			text := present(t, f.man, airlineReq)
			f.clock.Add(qr.DefaultLifetime + 20*time.Second)
			return scan{v, text}
		}, 0},
		{"phone_clock_two_minutes_ahead", func(t *testing.T, f *fixture) scan {
			v := f.verifier(t, verify.AirlineCheckIn())
			f.clock.Add(2 * time.Minute)
			text := present(t, f.man, airlineReq)
			f.clock.Add(-2 * time.Minute)
			return scan{v, text}
		}, verify.ReasonPresentationFromFuture},
		{"phone_clock_a_day_ahead", func(t *testing.T, f *fixture) scan {
			v := f.verifier(t, verify.AirlineCheckIn())
			f.clock.Add(24 * time.Hour)
			text := present(t, f.man, airlineReq)
			f.clock.Add(-24 * time.Hour)
			return scan{v, text}
		}, verify.ReasonClockWrong},
		{"phone_clock_before_credential_was_issued", func(t *testing.T, f *fixture) scan {
			return scan{f.verifier(t, verify.AirlineCheckIn()), forge(t, f.man.cred(credential.ProfileTravel), f.man.device, f.clock.Now().AddDate(-3, 0, 0), qr.DefaultLifetime, "")}
		}, verify.ReasonClockWrong},
		{"replayed_code", func(t *testing.T, f *fixture) scan {
			v := f.verifier(t, verify.AirlineCheckIn())
			text := present(t, f.man, airlineReq)
			_, err := v.VerifyText(text)
			require.NoError(t, err)
			return scan{v, text}
		}, verify.ReasonReplayed},
		{"replay_store_down_fails_closed", func(t *testing.T, f *fixture) scan {
			return scan{f.verifier(t, verify.AirlineCheckIn(), verify.WithReplayCache(failingReplay{})), present(t, f.man, airlineReq)}
		}, verify.ReasonReplayCheckFailed},
		{"revoked_lost_phone", func(t *testing.T, f *fixture) scan {
			require.NoError(t, f.jakarta.list.Set(f.man.index, status.StatusRevoked))
			return scan{f.verifier(t, verify.AirlineCheckIn()), present(t, f.man, airlineReq)}
		}, verify.ReasonRevoked},
		{"suspended", func(t *testing.T, f *fixture) scan {
			require.NoError(t, f.bandung.list.Set(f.woman.index, status.StatusSuspended))
			return scan{f.verifier(t, verify.AirlineCheckIn()), present(t, f.woman, airlineReq)}
		}, verify.ReasonSuspended},
		{"no_status_list_is_unknown_not_revoked", func(t *testing.T, f *fixture) scan {
			v, err := verify.New(f.trust, verify.AirlineCheckIn(), verify.WithClock(f.clock.Now))
			require.NoError(t, err)
			return scan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonStatusUnknown},
		{"stale_status_list", func(t *testing.T, f *fixture) scan {
			v := f.verifier(t, verify.AirlineCheckIn())
			f.clock.Add(8 * 24 * time.Hour)
			return scan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonStatusStale},
		{"code_for_kai_shown_at_airline", func(t *testing.T, f *fixture) scan {
			req := airlineReq
			req.Audience = verify.AudienceKAI
			return scan{f.verifier(t, verify.AirlineCheckIn()), present(t, f.man, req)}
		}, verify.ReasonWrongAudience},
		{"kai_profile_lacks_birth_date_for_airline", func(t *testing.T, f *fixture) scan {
			return scan{f.verifier(t, verify.AirlineCheckIn()), presentProfile(t, f.man, credential.ProfileKAI, airlineReq)}
		}, verify.ReasonPolicyUnmet},
		{"age_profile_lacks_name_for_kai", func(t *testing.T, f *fixture) scan {
			return scan{f.verifier(t, verify.KAIGate(verify.Ticket{})), presentProfile(t, f.man, credential.ProfileAge, kaiReq)}
		}, verify.ReasonPolicyUnmet},
		{"one_hour_share_code_at_live_gate", func(t *testing.T, f *fixture) scan {
			req := kaiReq
			req.Lifetime = qr.ShareOneHour
			return scan{f.verifier(t, verify.KAIGate(verify.Ticket{})), present(t, f.man, req)}
		}, verify.ReasonLifetimeTooLong},
		{"kai_ticket_for_someone_else", func(t *testing.T, f *fixture) scan {
			p := verify.KAIGate(verify.Ticket{Name: "SITI RAHMAWATI", NIK: "3273014503900001"})
			return scan{f.verifier(t, p), present(t, f.man, kaiReq)}
		}, verify.ReasonTicketMismatch},
		{"kai_ticket_with_right_name_wrong_nik", func(t *testing.T, f *fixture) scan {
			p := verify.KAIGate(verify.Ticket{Name: "BUDI SANTOSO", NIK: "3171011708850004"})
			return scan{f.verifier(t, p), present(t, f.man, kaiReq)}
		}, verify.ReasonTicketMismatch},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			s := tc.setup(t, f)
			res, err := s.v.VerifyText(s.text)
			if tc.want == 0 {
				require.NoError(t, err)
				require.NotNil(t, res)
				assert.NotEmpty(t, res.Claims.Name)
				assert.NotEmpty(t, res.Claims.NIK)
				return
			}
			require.Error(t, err)
			assert.Nil(t, res, "a result exists exactly when the error is nil")
			var verr *verify.Error
			require.ErrorAs(t, err, &verr)
			assert.Equal(t, tc.want, verr.Reason, "error: %v", err)
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

// TestReasonMessages: every reason has distinct messages in both
// languages and a unique key that ParseReason reads back.
func TestReasonMessages(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range verify.Reasons() {
		assert.NotEqual(t, "", r.English(), r.String())
		assert.NotEqual(t, "", r.Indonesian(), r.String())
		assert.NotEqual(t, r.English(), r.Indonesian(), r.String())
		assert.False(t, seen[r.String()], "duplicate key %s", r)
		seen[r.String()] = true
		back, ok := verify.ParseReason(r.String())
		assert.True(t, ok)
		assert.Equal(t, r, back)
	}
	assert.Equal(t, "Reason(999)", verify.Reason(999).String())
	assert.Equal(t, "Reason(0)", verify.Reason(0).String())
}

func TestVerifyResult(t *testing.T) {
	f := newFixture(t)
	v := f.verifier(t, verify.AirlineCheckIn())
	res, err := v.VerifyText(present(t, f.woman, airlineReq))
	require.NoError(t, err)
	assert.Equal(t, credential.ProfileTravel, res.Profile)
	assert.Equal(t, "3273", res.IssuerID)
	assert.Equal(t, "Disdukcapil Kota Bandung", res.IssuerName)
	assert.Equal(t, "SITI RAHMAWATI", res.Claims.Name)
	assert.Equal(t, credential.NIK("3273014503900001"), res.Claims.NIK)
	assert.Equal(t, credential.SexFemale, res.Claims.Sex)
	assert.Empty(t, res.Claims.Religion, "travel profile must not disclose religion")
	assert.Nil(t, res.Claims.Address)
	assert.Equal(t, verify.AudienceAirline, res.Audience)
	assert.Equal(t, qr.DefaultLifetime, res.Expires.Sub(res.IssuedAt))
	assert.Empty(t, res.Warnings)
}

func TestStaleWarnPolicy(t *testing.T) {
	f := newFixture(t)
	p := verify.AirlineCheckIn()
	p.WarnOnStaleStatus = true
	v, err := verify.New(f.trust, p, verify.WithClock(f.clock.Now))
	require.NoError(t, err)
	res, err := v.VerifyText(present(t, f.man, airlineReq))
	require.NoError(t, err, "warn policy accepts when status is unknown")
	assert.Equal(t, []verify.Reason{verify.ReasonStatusUnknown}, res.Warnings)

	// A revoked credential is refused even under a warn policy.
	require.NoError(t, f.jakarta.list.Set(f.man.index, status.StatusRevoked))
	require.NoError(t, v.AddStatusList(f.jakarta.statusList(t, f.clock.Now().Add(-time.Hour))))
	_, err = v.VerifyText(present(t, f.man, airlineReq))
	assert.ErrorIs(t, err, verify.ReasonRevoked)
}

func TestRevokingLostPhoneKeepsNewPhoneWorking(t *testing.T) {
	f := newFixture(t)
	newPhone := f.issue(t, f.jakarta, testkit.Man(), "man new phone")
	require.NotEqual(t, f.man.index, newPhone.index, "each device has its own index")
	require.NoError(t, f.jakarta.list.Set(f.man.index, status.StatusRevoked))
	v := f.verifier(t, verify.AirlineCheckIn())
	_, err := v.VerifyText(present(t, f.man, airlineReq))
	assert.ErrorIs(t, err, verify.ReasonRevoked)
	res, err := v.VerifyText(present(t, newPhone, airlineReq))
	require.NoError(t, err)
	assert.Equal(t, "BUDI SANTOSO", res.Claims.Name)
}

func TestAddStatusList(t *testing.T) {
	f := newFixture(t)
	v, err := verify.New(f.trust, verify.AirlineCheckIn(), verify.WithClock(f.clock.Now))
	require.NoError(t, err)
	refused := func(err error, want verify.Reason, is error) {
		t.Helper()
		var verr *verify.Error
		require.ErrorAs(t, err, &verr)
		assert.Equal(t, want, verr.Reason, "error: %v", err)
		if is != nil {
			assert.ErrorIs(t, err, is)
		}
	}
	// A list signed by Bandung's key but naming Jakarta is refused.
	bandungAsJakarta, err := credential.NewIssuer(f.jakarta.id, f.bandung.signer)
	require.NoError(t, err)
	forged, err := bandungAsJakarta.SignStatusList(status.Token{ListID: 1, IssuedAt: f.clock.Now()}, f.jakarta.list)
	require.NoError(t, err)
	refused(v.AddStatusList(forged), verify.ReasonUnknownIssuer, nil)
	// A list signed by a key outside the trust list is refused.
	rogue := newRogueIssuer(t, f.jakarta.id, testkit.P256("rogue"), nil)
	refused(v.AddStatusList(rogue.statusList(t, f.clock.Now())), verify.ReasonUnknownIssuer, nil)
	// Garbage is refused.
	refused(v.AddStatusList([]byte("not a status list")), verify.ReasonMalformed, statuslist.ErrMalformed)
	// An older list does not replace a newer one (rollback).
	require.NoError(t, v.AddStatusList(f.jakarta.statusList(t, f.clock.Now())))
	refused(v.AddStatusList(f.jakarta.statusList(t, f.clock.Now().Add(-time.Hour))), verify.ReasonStatusRollback, statuslist.ErrRollback)
}

func TestVerifyImage(t *testing.T) {
	f := newFixture(t)
	v := f.verifier(t, verify.AirlineCheckIn())
	code, img, err := f.man.wallet.PresentImage(airlineReq)
	require.NoError(t, err)
	require.NotEmpty(t, code.Text)
	res, err := v.VerifyImage(img)
	require.NoError(t, err)
	assert.Equal(t, "BUDI SANTOSO", res.Claims.Name)

	_, err = v.VerifyImage(image.NewGray(image.Rect(0, 0, 200, 200)))
	assert.ErrorIs(t, err, verify.ReasonNoCode)
}

func TestNormalizeName(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Budi Santoso", "BUDI SANTOSO"},
		{"  BUDI   SANTOSO ", "BUDI SANTOSO"},
		{"Bpk. Budi Santoso", "BUDI SANTOSO"},
		{"H. Ahmad Dahlan, S.Ag., M.Pd.", "AHMAD DAHLAN"},
		{"Dr. Ir. Siti Nurbaya", "SITI NURBAYA"},
		{"MR BUDI SANTOSO", "BUDI SANTOSO"},
		{"Ma'ruf Amin", "MARUF AMIN"},
		{"SUKARNO SUKARNO", "SUKARNO"},
		{"SUKARNO", "SUKARNO"},
		{"Dr.", "DR"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, verify.NormalizeName(tc.in), tc.in)
	}
}

func TestNewRejectsBadPolicy(t *testing.T) {
	f := newFixture(t)
	p := verify.AirlineCheckIn()
	p.MaxLifetime = 0
	_, err := verify.New(f.trust, p)
	assert.Error(t, err)
	_, err = verify.New(nil, verify.AirlineCheckIn())
	assert.Error(t, err)
	p = verify.AirlineCheckIn()
	p.ClockSkew = -time.Second
	_, err = verify.New(f.trust, p)
	assert.Error(t, err)
}

// TestSetTrustList: a new trust list reaches the verifiers made with
// WithPolicy too, and a nil one is refused and changes nothing.
func TestSetTrustList(t *testing.T) {
	f := newFixture(t)
	v := f.verifier(t, verify.AirlineCheckIn())
	gate, err := v.WithPolicy(verify.KAIGate(verify.Ticket{}))
	require.NoError(t, err)
	_, err = gate.VerifyText(present(t, f.man, kaiReq))
	require.NoError(t, err)

	require.NoError(t, v.SetTrustList(f.trustList(t, 2, f.bandung.key)))
	_, err = gate.VerifyText(present(t, f.man, kaiReq))
	assert.ErrorIs(t, err, verify.ReasonUnknownIssuer, "the shared trust list dropped Jakarta")
	_, err = v.VerifyText(present(t, f.woman, airlineReq))
	assert.NoError(t, err)

	assert.Error(t, v.SetTrustList(nil))
	_, err = gate.VerifyText(present(t, f.woman, kaiReq))
	assert.NoError(t, err, "a refused nil list keeps the one held")
	_, err = gate.VerifyText(present(t, f.man, kaiReq))
	assert.ErrorIs(t, err, verify.ReasonUnknownIssuer)
}

func TestMemoryReplayCache(t *testing.T) {
	c := verify.NewMemoryReplayCache(3)
	now := testkit.Now
	key := func(b byte) [32]byte { return [32]byte{b} }
	seen, err := c.CheckAndMark(key(1), now.Add(time.Minute), now)
	require.NoError(t, err)
	assert.False(t, seen)
	seen, _ = c.CheckAndMark(key(1), now.Add(time.Minute), now)
	assert.True(t, seen, "second sighting within lifetime")
	seen, _ = c.CheckAndMark(key(1), now.Add(3*time.Minute), now.Add(2*time.Minute))
	assert.False(t, seen, "expired entries are forgotten")
	for b := byte(2); b < 10; b++ {
		_, _ = c.CheckAndMark(key(b), now.Add(time.Duration(b)*time.Hour), now.Add(2*time.Minute))
	}
	assert.LessOrEqual(t, verify.MemoryReplayCacheLen(c), 3, "bounded")
	_, err = c.CheckAndMark(key(9), now.Add(time.Hour), now.Add(2*time.Minute))
	assert.Error(t, err, "full of live entries: fail closed")
	seen, _ = c.CheckAndMark(key(2), now.Add(time.Hour), now.Add(2*time.Minute))
	assert.True(t, seen, "no live entry is forgotten")
}
