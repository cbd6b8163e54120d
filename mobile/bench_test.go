package mobile

import (
	"image"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// BenchmarkBinding measures what the binding adds to the calls it wraps,
// each against its baseline in the same run:
//
//   - NextCode (sign through the DeviceSigner adapter, which checks the
//     signature; render and read back; encode the PNG) against
//     qr.Wallet.PresentImage with the same key as a crypto.Signer;
//   - VerifyFrame (check the sizes, wrap the bytes, convert the result)
//     against verify.Verifier.VerifyImage of the same *image.Gray.
//
// go test -run '^$' -bench BenchmarkBinding -count 6 ./mobile
func BenchmarkBinding(b *testing.B) {
	f := newFixture(b, &Policy{Name: PolicyShare})
	b.Run("NextCode", func(b *testing.B) {
		for b.Loop() {
			if _, err := f.wallet.NextCode("", ""); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline_qr.PresentImage", func(b *testing.B) {
		qw, err := qr.NewWallet(f.signer.key, [][]byte{f.creds["kai"]}, qr.WithClock(f.clock.now))
		require.NoError(b, err)
		for b.Loop() {
			if _, _, err := qw.PresentImage(qr.Request{}); err != nil {
				b.Fatal(err)
			}
		}
	})

	code, err := f.wallet.NextCode("", "")
	require.NoError(b, err)
	const w, h, stride = 640, 480, 704
	pix := frameOf(b, code.PNG, w, h, stride, 100, 60)
	b.Run("VerifyFrame", func(b *testing.B) {
		for b.Loop() {
			if _, err := f.scanner.VerifyFrame(pix, w, h, stride); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline_verify.VerifyImage", func(b *testing.B) {
		list, err := keys.ParseTrustList(f.trust, f.office.root.Public(), keys.WithClock(f.clock.now))
		require.NoError(b, err)
		v, err := verify.New(list, verify.ShareReceiver(), verify.WithClock(f.clock.now))
		require.NoError(b, err)
		require.NoError(b, v.AddStatusList(f.office.statusList(b, status.StatusValid, time.Hour)))
		img := &image.Gray{Pix: pix, Stride: stride, Rect: image.Rect(0, 0, w, h)}
		for b.Loop() {
			_, _ = v.VerifyImage(img) // replayed after the first: the same work up to the last check
		}
	})
}
