package presentation

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
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
// loopback interface, a host, port or path outside the spec's rules, bad
// percent-encoding).
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
	if u.User != nil {
		// "https://dukcapil.go.id@evil.example/" reads as one host and
		// goes to another.
		return nil, fmt.Errorf("%w: user information in the address", ErrLink)
	}
	if err := checkHost(u.Host); err != nil {
		return nil, err
	}
	if !pathOK(u.EscapedPath()) {
		return nil, fmt.Errorf("%w: path %q", ErrLink, u.EscapedPath())
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !loopback(u.Host) {
			return nil, fmt.Errorf("%w: plain http off the loopback interface", ErrLink)
		}
	default:
		return nil, fmt.Errorf("%w: scheme %q", ErrLink, u.Scheme)
	}
	return u, nil
}

// checkHost checks the host and optional port of a page address, as
// written (docs/wire-format.md, "Share links"): a DNS name of labels of
// 1 to 63 letters, digits and hyphens, neither first nor last a hyphen,
// at most 253 bytes, whose last label is not all digits; or an IPv4
// address in dotted-quad form (four decimal numbers 0 to 255, no leading
// zeros); or an IPv6 address in brackets that is not an IPv4-mapped one
// (write those in dotted quad) and has no zone. A port, if the host has a
// ":" after it, is 1 to 5 digits with a value from 1 to 65535.
// Percent-encoded and international names are refused rather than
// normalised.
func checkHost(hostport string) error {
	host, port := hostport, ""
	if strings.HasPrefix(hostport, "[") {
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return fmt.Errorf("%w: host %q", ErrLink, hostport)
		}
		host, port = hostport[:end+1], hostport[end+1:]
		if port != "" && port[0] != ':' {
			return fmt.Errorf("%w: host %q", ErrLink, hostport)
		}
	} else if i := strings.IndexByte(hostport, ':'); i >= 0 {
		host, port = hostport[:i], hostport[i:]
	}
	if port != "" && !portOK(port[1:]) {
		return fmt.Errorf("%w: port %q", ErrLink, port)
	}
	if !hostOK(host) {
		return fmt.Errorf("%w: host %q", ErrLink, host)
	}
	return nil
}

func portOK(p string) bool {
	if p == "" || len(p) > 5 || !allDigits(p) {
		return false
	}
	n := 0
	for i := 0; i < len(p); i++ {
		n = n*10 + int(p[i]-'0')
	}
	return n >= 1 && n <= 65535
}

func hostOK(host string) bool {
	if strings.HasPrefix(host, "[") {
		inner := strings.TrimSuffix(host[1:], "]")
		if len(inner) != len(host)-2 || strings.ContainsAny(inner, "%.") {
			return false // no zone; no embedded IPv4 (IPv4-mapped or not)
		}
		ip := net.ParseIP(inner)
		return ip != nil && ip.To4() == nil
	}
	if host == "" || len(host) > 253 {
		return false
	}
	labels := strings.Split(host, ".")
	if allDigits(labels[len(labels)-1]) {
		return dottedQuad(host)
	}
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// dottedQuad reports whether s is four decimal numbers from 0 to 255
// without leading zeros, joined by dots.
func dottedQuad(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if len(p) > 3 || !allDigits(p) || len(p) > 1 && p[0] == '0' {
			return false
		}
		if n, _ := strconv.Atoi(p); n > 255 {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// pathOK reports whether p, a page address's path as written, is empty,
// "/", or segments of A-Z a-z 0-9 - . _ ~ each after a "/", with an
// optional "/" at the end: no percent-encoding (%2F, %2E), no empty
// segment ("//") and no dot-segment ("." or ".."), so that the path a
// link names is the path a browser opens.
func pathOK(p string) bool {
	if p == "" || p == "/" {
		return true
	}
	if p[0] != '/' {
		return false
	}
	segs := strings.Split(strings.TrimSuffix(p[1:], "/"), "/")
	for _, seg := range segs {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0) {
				return false
			}
		}
	}
	return true
}

// loopback reports whether hostport (checked by checkHost) names the
// loopback interface as the spec lists it: localhost, an IPv4 address in
// 127.0.0.0/8, or [::1].
func loopback(hostport string) bool {
	host := hostport
	if strings.HasPrefix(hostport, "[") {
		host = hostport[:strings.IndexByte(hostport, ']')+1]
	} else if i := strings.IndexByte(hostport, ':'); i >= 0 {
		host = hostport[:i]
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	if strings.HasPrefix(host, "[") {
		ip := net.ParseIP(host[1 : len(host)-1])
		return ip != nil && ip.To4() == nil && ip.Equal(net.IPv6loopback)
	}
	return dottedQuad(host) && strings.HasPrefix(host, "127.")
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
