package qr

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/internal/testkit"
)

func TestCodeShareLink(t *testing.T) {
	creds, dev := issueCreds(t, "ES256", "woman", testkit.Woman())
	w, err := NewWallet(dev, credList(creds), WithClock(func() time.Time { return testkit.Now }), WithRand(testkit.NewReader("link")))
	require.NoError(t, err)
	cases := []struct {
		name     string
		lifetime time.Duration
		base     string
		prefix   string // "": refused
	}{
		{"five_minutes", ShareFiveMinutes, "https://verify.example.id/S/", "HTTPS://VERIFY.EXAMPLE.ID/S/#IKD1:"},
		{"one_hour", ShareOneHour, "https://verify.example.id", "HTTPS://VERIFY.EXAMPLE.ID/#IKD1:"},
		{"loopback_http_for_local_tests", ShareOneHour, "http://127.0.0.1:8080/", "HTTP://127.0.0.1:8080/#IKD1:"},
		{"live_code_has_no_link", 0, "https://verify.example.id/S/", ""},
		{"sixty_seconds_is_live", DefaultLifetime, "https://verify.example.id/S/", ""},
		{"plain_http_elsewhere", ShareOneHour, "http://verify.example.id/", ""},
		{"base_with_fragment", ShareOneHour, "https://verify.example.id/#x", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, err := w.Present(Request{Lifetime: tc.lifetime})
			require.NoError(t, err)
			link, err := code.ShareLink(tc.base)
			if tc.prefix == "" {
				assert.ErrorIs(t, err, errOptions)
				assert.Empty(t, link)
				return
			}
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(link, tc.prefix), link)
			text, err := presentation.ParseLink(link)
			require.NoError(t, err)
			assert.Equal(t, code.Text, text, "the link carries the code's text")
			assert.NotContains(t, link, " ", "a link holds no raw space")
		})
	}
}
