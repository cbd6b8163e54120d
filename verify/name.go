package verify

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Ticket names are compared deliberately, not by folding whatever can be
// folded: a booking that the gate reads as "BUDI SANTOSO" must be one that
// a person reading it would read so too, and a name the rules do not
// understand matches nothing (the gate then refuses with
// ReasonTicketMismatch and the operator compares by eye). The comparable
// form of a name is built in this order:
//
//  1. Invalid UTF-8 is not understood.
//  2. NFKC (Unicode compatibility normalisation): fullwidth "ＢＵＤＩ",
//     ligatures ("ﬁ"), the long s, no-break and ideographic spaces and
//     fullwidth punctuation become the letters, spaces and punctuation
//     they stand for, and a letter followed by a combining mark becomes
//     one precomposed letter (E + ◌́ = É). Compatibility forms are the same
//     text by Unicode's definition, and booking systems produce them
//     (CJK input methods, copy and paste from PDFs and web forms).
//  3. The part before the first comma is the name; everything after it
//     must be academic or professional degrees (the degrees table), one
//     or more per comma-separated item, with or without dots; anything
//     else there (a second person, "SANTOSO, BUDI") is not understood.
//  4. In the name, only these are understood: ASCII letters (compared in
//     upper case), other letters of the Latin script (compared in upper
//     case as distinct letters: É is not E; the Turkish dotless ı, whose
//     upper case is the ASCII I, is not understood), spaces, dots and
//     hyphens (word separators: "M.RIZKI" is "M RIZKI") and apostrophes
//     (' ’ ‘ ` ʼ, dropped: "MA'RUF" is "MARUF"). Letters of any other
//     script (Cyrillic А, Greek Ο, which look like Latin A and O), so
//     mixed scripts too, combining marks left after NFKC, digits,
//     invisible characters (zero-width space and joiner, soft hyphen),
//     control characters and other punctuation are not understood.
//  5. Leading titles (the titles table) are dropped while more than one
//     word remains, whether written "K.H." or "KH", "DR.IR." or "DR. IR.".
//  6. A name of two equal words ("SUKARNO SUKARNO", how airlines book a
//     mononym) is the single word.
//
// Two names match when both are understood and their comparable forms are
// equal.

// titles are honorifics and titles that booking systems and cards add or
// drop before a name (upper case, without dots): Bapak, Ibu, Saudara(i),
// Tuan, Nyonya, Nona; Haji, Hajjah, Kyai Haji; Doktor, Doktorandus(a),
// dokter gigi, Insinyur, Profesor; the IATA passenger titles. Titles of
// nobility (R., R.A., R.M., Tb., T.) are not dropped: they are often part
// of the registered name.
var titles = map[string]bool{
	"BPK": true, "BAPAK": true, "IBU": true, "SDR": true, "SDRI": true, "SAUDARA": true, "SAUDARI": true,
	"TN": true, "TUAN": true, "NY": true, "NYONYA": true, "NN": true, "NONA": true,
	"H": true, "HJ": true, "KH": true,
	"DR": true, "DRS": true, "DRA": true, "DRG": true, "IR": true, "PROF": true,
	"MR": true, "MRS": true, "MS": true, "MSTR": true, "MISS": true,
}

// degrees are the academic and professional degrees understood after a
// comma, upper case without dots, spaces or hyphens ("S.Kom." is SKOM,
// "Dipl.-Ing." DIPLING): Indonesian diplomas (A.Md. and its fields),
// bachelors (S.x, applied S.Tr.x), masters (M.x), doctorates (Dr., Ph.D.),
// professions (Ir., dr., drg., Apt., Ns., Ak.), medical specialists
// (Sp.x) and common foreign degrees. A word here is never read as a
// person: an unknown degree makes the ticket not match, which the
// operator resolves by eye; add it here.
var degrees = setOf(
	// Diplomas (ahli pratama, ahli muda, ahli madya).
	"AP", "AMA", "AMAPD", "AMD", "AMDKOM", "AMDKEB", "AMDKEP", "AMDFARM", "AMDT", "AMDAK", "AMDPAR",
	"AMDKES", "AMDGZ", "AMK",
	// Bachelors (sarjana) and applied bachelors (sarjana terapan).
	"SE", "SH", "SKOM", "ST", "SPD", "SSI", "SSOS", "SAG", "SPSI", "SFARM", "SKED", "SKEP", "SKEB",
	"SIKOM", "SAK", "SHUM", "SIP", "SP", "SPT", "SPI", "SHUT", "SGZ", "SKM", "SSN", "SDS", "STH",
	"SPDI", "SHI", "SEI", "SSY", "SKEL", "SARS", "SSTAT", "SMAT", "SKES", "SAP", "SAB", "SS", "SFIL",
	"SGEO", "SKG", "SKH", "STP", "SPWK", "SPDSD", "SST", "SSTP", "STR", "STRT", "STRKOM", "STRKES",
	"STRKEP", "STRPAR", "STRAK",
	// Masters (magister) and applied masters.
	"MM", "MBA", "MSI", "MT", "MKOM", "MPD", "MH", "MHUM", "MAG", "MSC", "MA", "MENG", "MKES", "MAK",
	"ME", "MFARM", "MPSI", "MKN", "MSN", "MARS", "MP", "MAP", "MSTAT", "MPHIL", "MED", "MIKOM",
	"MSOS", "MTH", "MTR", "MKM", "MIP", "MPH", "MPDI", "MHI", "MEI", "MSY", "MKEP", "MKEB", "MGZ",
	"MPWK", "MTI", "MPA", "MS", "LLM",
	// Doctorates.
	"DR", "PHD", "DSC", "EDD", "DBA",
	// Professions.
	"IR", "DRG", "APT", "NS", "AK", "BD", "LC",
	// Medical specialists (dokter spesialis).
	"SPA", "SPB", "SPPD", "SPOG", "SPJP", "SPM", "SPKK", "SPDV", "SPTHT", "SPTHTKL", "SPS", "SPN",
	"SPRAD", "SPAN", "SPKJ", "SPP", "SPU", "SPOT", "SPBS", "SPF", "SPKFR", "SPPK", "SPPA", "SPMK",
	"SPGK", "SPBP", "SPBA", "SPBTKV", "SPJ",
	// Common foreign degrees.
	"BA", "BSC", "BENG", "BBA", "BCOM", "MD", "MCOM", "LLB", "DIPLING",
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// sameName reports whether two names are the same under the rules above;
// a name that is not understood is the same as none.
func sameName(a, b string) bool {
	ka, kb := normalizeName(a), normalizeName(b)
	return ka != "" && ka == kb
}

// normalizeName returns the comparable form of a person's name, or "" if
// it is not understood (see the rules above).
func normalizeName(s string) string {
	if !utf8.ValidString(s) {
		return ""
	}
	s = norm.NFKC.String(s)
	name, rest, _ := strings.Cut(s, ",")
	if !onlyDegrees(rest) {
		return ""
	}
	cleaned, ok := cleanName(name)
	if !ok {
		return ""
	}
	tokens := strings.Fields(cleaned)
	for len(tokens) > 1 && isTitle(tokens[0]) {
		tokens = tokens[1:]
	}
	var words []string
	for _, tok := range tokens {
		words = append(words, strings.FieldsFunc(tok, func(r rune) bool { return r == '.' || r == '-' })...)
	}
	for len(words) > 1 && titles[words[0]] {
		words = words[1:]
	}
	if len(words) == 2 && words[0] == words[1] {
		words = words[:1]
	}
	return strings.Join(words, " ")
}

// cleanName returns s in upper case with apostrophes dropped, keeping
// letters, spaces, dots and hyphens, and false if s holds anything else
// (rule 4).
func cleanName(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z', r == ' ', r == '.', r == '-':
			b.WriteRune(r)
		case r == '\'' || r == '’' || r == '‘' || r == '`' || r == 'ʼ':
			// "MA'RUF" = "MARUF"
		case r >= utf8.RuneSelf && unicode.IsLetter(r) && unicode.Is(unicode.Latin, r):
			u := unicode.ToUpper(r)
			if u < utf8.RuneSelf {
				return "", false // ı (dotless i) would become I
			}
			b.WriteRune(u)
		default:
			return "", false
		}
	}
	return b.String(), true
}

// isTitle reports whether a space-separated token is a title or titles
// glued with dots: "K.H." (KH), "DR.IR." (DR and IR).
func isTitle(tok string) bool {
	if titles[strings.ReplaceAll(tok, ".", "")] {
		return true
	}
	parts := strings.FieldsFunc(tok, func(r rune) bool { return r == '.' })
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if !titles[p] {
			return false
		}
	}
	return true
}

// onlyDegrees reports whether s, what follows a name's first comma, is a
// list of known degrees (rule 3): comma-separated items, each empty, one
// degree ("S. Kom." or "S.Kom.") or degrees separated by spaces ("S.E.
// M.M.").
func onlyDegrees(s string) bool {
	for _, item := range strings.Split(s, ",") {
		for _, r := range item {
			if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '.' || r == ' ' || r == '-') {
				return false
			}
		}
		item = strings.ToUpper(item)
		if squashed := squash(item); squashed == "" || degrees[squashed] {
			continue
		}
		for _, w := range strings.Fields(item) {
			if !degrees[squash(w)] {
				return false
			}
		}
	}
	return true
}

// squash drops the dots, spaces and hyphens of a degree: "S. Kom." → SKOM.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
}
