package presentation

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// linkText is a QR text with both characters a fragment must escape.
const linkText = Prefix + "6BF%69 VD92EX0"

func TestFormatLink(t *testing.T) {
	cases := []struct {
		name, base, want string
	}{
		{"https_host_upper_cased_path_kept", "https://verify.example.id/S/", "HTTPS://VERIFY.EXAMPLE.ID/S/#IKD1:6BF%2569%20VD92EX0"},
		{"empty_path_becomes_slash", "https://verify.example.id", "HTTPS://VERIFY.EXAMPLE.ID/#IKD1:6BF%2569%20VD92EX0"},
		{"port_kept", "https://verify.example.id:8443/v", "HTTPS://VERIFY.EXAMPLE.ID:8443/v#IKD1:6BF%2569%20VD92EX0"},
		{"http_on_loopback_v4", "http://127.0.0.1:8080/", "HTTP://127.0.0.1:8080/#IKD1:6BF%2569%20VD92EX0"},
		{"http_on_localhost", "http://localhost/", "HTTP://LOCALHOST/#IKD1:6BF%2569%20VD92EX0"},
		{"http_on_loopback_v6", "http://[::1]:80/", "HTTP://[::1]:80/#IKD1:6BF%2569%20VD92EX0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			link, err := FormatLink(tc.base, linkText)
			require.NoError(t, err)
			assert.Equal(t, tc.want, link)
			text, err := ParseLink(link)
			require.NoError(t, err)
			assert.Equal(t, linkText, text, "a link reads back to its text")
		})
	}
}

func TestFormatLinkRefusesBadBase(t *testing.T) {
	for name, base := range map[string]string{
		"plain_http_off_loopback": "http://verify.example.id/",
		"user_information":        "https://dukcapil.go.id@evil.example/",
		"query":                   "https://verify.example.id/?a=1",
		"fragment":                "https://verify.example.id/#x",
		"no_host":                 "https:///path",
		"relative":                "/S/",
		"other_scheme":            "ftp://verify.example.id/",
		"opaque":                  "https:verify.example.id",
		"bad_escape_in_path":      "https://verify.example.id/%zz",
		"percent_in_host":         "https://%25/",
		"international_host":      "https://dukcapil.gó.id/",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := FormatLink(base, linkText)
			assert.ErrorIs(t, err, ErrLink)
		})
	}
}

func TestParseLink(t *testing.T) {
	cases := []struct {
		name, link, want string
		err              bool
	}{
		{"lower_case_link", "https://verify.example.id/s/#IKD1:6BF%2569%20VD92EX0", linkText, false},
		{"space_left_unescaped_by_a_chat_app", "https://verify.example.id/#IKD1:6BF%2569 VD92EX0", linkText, false},
		{"other_characters_escaped", "https://verify.example.id/#%49KD1:6BF%2569%20VD92EX0", linkText, false},
		{"no_fragment", "https://verify.example.id/", "", true},
		{"empty_fragment", "https://verify.example.id/#", "", true},
		{"bad_percent_escape", "https://verify.example.id/#IKD1:%2", "", true},
		{"query_before_fragment", "https://verify.example.id/?q=1#" + linkText, "", true},
		{"user_information", "https://a@verify.example.id/#" + linkText, "", true},
		{"plain_http_elsewhere", "http://verify.example.id/#" + linkText, "", true},
		{"too_long", "https://verify.example.id/#" + strings.Repeat("A", MaxLink), "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text, err := ParseLink(tc.link)
			if tc.err {
				assert.ErrorIs(t, err, ErrLink)
				assert.Empty(t, text)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, text)
		})
	}
}

func TestIsLink(t *testing.T) {
	for s, want := range map[string]bool{
		"https://a/#x": true, "HTTPS://A/#X": true, "http://localhost/": true, "HtTp://x": true,
		linkText: false, "https:/": false, "": false, "ftp://a/": false,
	} {
		assert.Equal(t, want, IsLink(s), s)
	}
}

// FuzzParseLink: a link parses to a text or to an error wrapping ErrLink,
// never both; a text read from a link formats back, under the same base,
// to a link that reads to the same text.
func FuzzParseLink(f *testing.F) {
	for _, pres := range fuzzPresentations(f) {
		link, err := FormatLink("https://verify.example.id/S/", Encode(pres))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(link)
	}
	for _, s := range []string{"https://a/#", "http://127.0.0.1/#IKD1:%", "https://a@b/#x", "https://a/?#x",
		"https://[::1/#x", "https://a/#%zz", "HTTPS://A/#" + linkText, "https://a/#" + strings.Repeat("%20", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, link string) {
		text, err := ParseLink(link)
		if err != nil {
			if text != "" {
				t.Fatalf("text and error: %v", err)
			}
			if !errors.Is(err, ErrLink) {
				t.Fatalf("error does not wrap ErrLink: %v", err)
			}
			return
		}
		if !IsLink(link) {
			t.Fatalf("ParseLink read %q, which IsLink rejects", link)
		}
		base, _, _ := strings.Cut(link, "#")
		if again, err := FormatLink(base, text); err == nil && !strings.ContainsAny(text, "#") {
			back, err := ParseLink(again)
			if err != nil || back != text {
				t.Fatalf("format→parse changed %q to %q (%v)", text, back, err)
			}
		}
	})
}
