package credential

// province is one of Indonesia's 38 provinces (provinsi), identified by its
// two-digit Kemendagri (Ministry of Home Affairs) region code: the first two
// digits of every NIK issued there. [KTP.Validate] compares it with the
// province of the address.
type province struct {
	// code is the two-digit Kemendagri code, for example "31".
	code string
	// name is the official name, for example "DKI Jakarta".
	name string
}

// provinces lists the 38 provinces sorted by code.
//
// Source: the Kemendagri region codes (Kepmendagri No. 300.2.2-2138 Tahun
// 2025 on the codes and data of administrative regions), as transcribed in
// github.com/cahyadsn/wilayah, db/wilayah.sql (MIT). The four provinces split
// from Papua and Papua Barat in 2022 (UU 14, 15 and 16 of 2022 and UU 29 of
// 2022) are 93 Papua Selatan, 94 Papua Tengah, 95 Papua Pegunungan and 96
// Papua Barat Daya; the Indonesian Wikipedia infoboxes ("Kode Kemendagri")
// agree for 93 and 95. A person registered before the split keeps a NIK
// beginning 91 or 92: the NIK does not change when a province is divided,
// so a NIK's province code says where it was issued, not where the holder
// lives now.
//
// Names follow the common Kemendagri short forms ("DKI Jakarta", "DI
// Yogyakarta"). Jakarta's legal name since UU 2/2024 is "Daerah Khusus
// Jakarta"; its code is unchanged.
var provinces = [...]province{
	{"11", "Aceh"},
	{"12", "Sumatera Utara"},
	{"13", "Sumatera Barat"},
	{"14", "Riau"},
	{"15", "Jambi"},
	{"16", "Sumatera Selatan"},
	{"17", "Bengkulu"},
	{"18", "Lampung"},
	{"19", "Kepulauan Bangka Belitung"},
	{"21", "Kepulauan Riau"},
	{"31", "DKI Jakarta"},
	{"32", "Jawa Barat"},
	{"33", "Jawa Tengah"},
	{"34", "DI Yogyakarta"},
	{"35", "Jawa Timur"},
	{"36", "Banten"},
	{"51", "Bali"},
	{"52", "Nusa Tenggara Barat"},
	{"53", "Nusa Tenggara Timur"},
	{"61", "Kalimantan Barat"},
	{"62", "Kalimantan Tengah"},
	{"63", "Kalimantan Selatan"},
	{"64", "Kalimantan Timur"},
	{"65", "Kalimantan Utara"},
	{"71", "Sulawesi Utara"},
	{"72", "Sulawesi Tengah"},
	{"73", "Sulawesi Selatan"},
	{"74", "Sulawesi Tenggara"},
	{"75", "Gorontalo"},
	{"76", "Sulawesi Barat"},
	{"81", "Maluku"},
	{"82", "Maluku Utara"},
	{"91", "Papua"},
	{"92", "Papua Barat"},
	{"93", "Papua Selatan"},
	{"94", "Papua Tengah"},
	{"95", "Papua Pegunungan"},
	{"96", "Papua Barat Daya"},
}

// provinceIndex maps a two-digit code, read as a number 0–99, to its index
// in provinces plus one (0: no province). A 100-byte table makes the lookup
// in ParseNIK allocation-free and constant-time.
var provinceIndex = func() (idx [100]uint8) {
	for i, p := range provinces {
		idx[(p.code[0]-'0')*10+(p.code[1]-'0')] = uint8(i + 1)
	}
	return idx
}()

// lookupProvince returns the province with the two-digit Kemendagri code
// (for example "31"), and false if code is not exactly two ASCII digits
// naming one of the 38 provinces.
func lookupProvince(code string) (province, bool) {
	if len(code) != 2 {
		return province{}, false
	}
	a, b := code[0], code[1]
	if a < '0' || a > '9' || b < '0' || b > '9' {
		return province{}, false
	}
	i := provinceIndex[(a-'0')*10+(b-'0')]
	if i == 0 {
		return province{}, false
	}
	return provinces[i-1], true
}
