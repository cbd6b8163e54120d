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
		{"http_on_loopback_127_8", "http://127.3.4.5:65535/a-b/c_d/", "HTTP://127.3.4.5:65535/a-b/c_d/#IKD1:6BF%2569%20VD92EX0"},
		{"https_on_ipv6", "https://[2001:db8::1]/S", "HTTPS://[2001:DB8::1]/S#IKD1:6BF%2569%20VD92EX0"},
		{"https_on_ipv4", "https://10.0.0.1:1/", "HTTPS://10.0.0.1:1/#IKD1:6BF%2569%20VD92EX0"},
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
		// Issue 19 look, finding 8: hosts, ports and paths outside the spec.
		"port_too_large":           "https://verify.example.id:99999/",
		"port_zero":                "https://verify.example.id:0/",
		"empty_port":               "https://verify.example.id:/",
		"port_with_letters":        "https://verify.example.id:8o/",
		"label_only_hyphen":        "https://-.-/",
		"label_starts_with_hyphen": "https://-verify.example.id/",
		"empty_label":              "https://A..B/",
		"trailing_dot":             "https://verify.example.id./",
		"label_too_long":           "https://" + strings.Repeat("a", 64) + ".id/",
		"five_part_ipv4":           "https://1.2.3.4.5/",
		"short_ipv4":               "http://127.1/",
		"ipv4_octet_over_255":      "https://1.2.3.256/",
		"ipv4_leading_zero":        "http://127.0.0.01/",
		"ipv4_mapped_loopback":     "http://[::FFFF:127.0.0.1]/",
		"ipv6_zone":                "http://[fe80::1%25eth0]/",
		"http_on_other_ipv6":       "http://[::2]/",
		"underscore_in_host":       "https://a_b.example.id/",
		"dot_dot_path":             "https://verify.example.id/S/../../X/",
		"dot_path":                 "https://verify.example.id/./S/",
		"encoded_slash_and_dots":   "https://verify.example.id/S/%2F%2E%2E/",
		"empty_segment":            "https://verify.example.id//S/",
		"quote_in_path":            "https://verify.example.id/S'/",
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
		"https://[::1/#x", "https://a/#%zz", "HTTPS://A/#" + linkText, "https://a/#" + strings.Repeat("%20", 100),
		"https://a:99999/#x", "https://a:/#x", "https://-.-/#x", "https://A..B/#x", "https://1.2.3.4.5/#x",
		"http://[::FFFF:127.0.0.1]/#x", "https://a/S/../../X/#x", "https://a/S/%2F%2E%2E/#x", "http://127.0.0.1:65535/#x"} {
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
