package presentation

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// A share link carries a presentation's QR text in the fragment of a URL
// of the verifier's web page: https://<host>/<path>#<text>. Browsers never
// send the fragment to the server, so the page's server never holds the
// holder's data; the link dies with the presentation's lifetime. See
// docs/wire-format.md, "Share links".

// MaxLink is the longest share link, in bytes, that [ParseLink] reads: the
// longest text and 1 KiB of scheme, host and path.
const MaxLink = 4296*3 + 1024

// ErrLink reports a text that starts like a share link but is not a valid
// one (no fragment, a query, user information, a plain http URL off the
// loopback interface, bad percent-encoding).
var ErrLink = errors.New("qr: invalid share link")

// IsLink reports whether text starts with "https://" or "http://", in any
// case: whether it is to be read as a share link rather than a QR text.
func IsLink(text string) bool {
	return hasFoldPrefix(text, "https://") || hasFoldPrefix(text, "http://")
}

func hasFoldPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// FormatLink returns the share link of QR text text on the verifier page
// at base ("https://verify.example.id/S/"). The scheme and host are
// written in upper case, which URLs allow (RFC 3986 §3.1, §3.2.2), so that
// with an upper-case path everything but the "#" is in the QR alphanumeric
// set; the text's space and "%" are percent-encoded (%20, %25), as a
// fragment requires, and stay in that set. base must be an absolute https
// URL with a host and no user information, query or fragment; plain http
// is allowed only for a loopback host (localhost, 127.0.0.0/8, ::1), which
// browsers treat as secure, for tests and local demos.
func FormatLink(base, text string) (string, error) {
	u, err := checkBase(base)
	if err != nil {
		return "", err
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	return strings.ToUpper(u.Scheme) + "://" + strings.ToUpper(u.Host) + path + "#" + escapeFragment(text), nil
}

// ParseLink returns the QR text in a share link's fragment, percent-
// decoded. It returns an error wrapping [ErrLink] for a link longer than
// [MaxLink], one whose part before the "#" is not a base [FormatLink]
// accepts, one without a fragment or with an empty one, and bad
// percent-encoding. It does not check the text: [Decode] does.
func ParseLink(link string) (string, error) {
	if len(link) > MaxLink {
		return "", fmt.Errorf("%w: %d bytes > %d", ErrLink, len(link), MaxLink)
	}
	base, frag, ok := strings.Cut(link, "#")
	if !ok || frag == "" {
		return "", fmt.Errorf("%w: no presentation after #", ErrLink)
	}
	if _, err := checkBase(base); err != nil {
		return "", err
	}
	text, err := url.PathUnescape(frag)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrLink, err)
	}
	return text, nil
}

func checkBase(base string) (*url.URL, error) {
	if strings.ContainsAny(base, "#?") {
		return nil, fmt.Errorf("%w: the page address has a query or fragment", ErrLink)
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrLink, err)
	}
	if u.Host == "" || u.Opaque != "" {
		return nil, fmt.Errorf("%w: no host", ErrLink)
	}
	if !hostChars(u.Host) {
		return nil, fmt.Errorf("%w: host %q", ErrLink, u.Host)
	}
	if u.User != nil {
		// "https://dukcapil.go.id@evil.example/" reads as one host and
		// goes to another.
		return nil, fmt.Errorf("%w: user information in the address", ErrLink)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !loopback(u.Hostname()) {
			return nil, fmt.Errorf("%w: plain http off the loopback interface", ErrLink)
		}
	default:
		return nil, fmt.Errorf("%w: scheme %q", ErrLink, u.Scheme)
	}
	return u, nil
}

// hostChars reports whether host (with its port) holds only what a DNS
// name, an IP address and a port are written with; percent-encoded and
// international names are refused rather than normalised.
func hostChars(host string) bool {
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-.:[]", c) >= 0) {
			return false
		}
	}
	return true
}

func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// escapeFragment percent-encodes the two base45 characters a fragment
// cannot hold as they are (RFC 3986 §3.5): space and "%". Every other
// base45 character (0-9 A-Z $ * + - . / :) is a fragment character.
func escapeFragment(text string) string {
	var b strings.Builder
	b.Grow(len(text) + 16)
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case ' ':
			b.WriteString("%20")
		case '%':
			b.WriteString("%25")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
