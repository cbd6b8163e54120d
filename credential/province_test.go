package credential_test

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
)

func TestProvinces(t *testing.T) {
	ps := credential.Provinces()
	require.Len(t, ps, 38)
	seen := map[string]bool{}
	names := map[string]bool{}
	for _, p := range ps {
		require.Len(t, p.Code, 2, p.Name)
		assert.True(t, p.Code[0] >= '1' && p.Code[0] <= '9', p.Code)
		assert.True(t, p.Code[1] >= '0' && p.Code[1] <= '9', p.Code)
		assert.False(t, seen[p.Code], "duplicate code %s", p.Code)
		assert.False(t, names[p.Name], "duplicate name %s", p.Name)
		assert.NotEmpty(t, p.Name)
		seen[p.Code], names[p.Name] = true, true

		got, ok := credential.LookupProvince(p.Code)
		assert.True(t, ok, p.Code)
		assert.Equal(t, p.Name, got)

		// Every province code starts a valid NIK.
		_, err := credential.ParseNIK(p.Code + "01011708850001")
		assert.NoError(t, err, p.Code)
	}
	assert.True(t, sort.SliceIsSorted(ps, func(i, j int) bool { return ps[i].Code < ps[j].Code }))
}

func TestLookupProvince(t *testing.T) {
	known := map[string]string{
		"11": "Aceh",
		"21": "Kepulauan Riau",
		"31": "DKI Jakarta",
		"34": "DI Yogyakarta",
		"65": "Kalimantan Utara",
		"76": "Sulawesi Barat",
		"91": "Papua",
		"92": "Papua Barat",
		"93": "Papua Selatan",
		"94": "Papua Tengah",
		"95": "Papua Pegunungan",
		"96": "Papua Barat Daya",
	}
	for code, name := range known {
		got, ok := credential.LookupProvince(code)
		assert.True(t, ok, code)
		assert.Equal(t, name, got, code)
	}
	for _, code := range []string{"", "1", "111", "00", "10", "20", "22", "37", "50", "97", "99", "3a", " 3", "+3", "\u0663\u0661" /* Arabic-Indic 31 */, "\xff\xff"} {
		name, ok := credential.LookupProvince(code)
		assert.False(t, ok, "%q", code)
		assert.Empty(t, name, "%q", code)

		// A NIK starting with it is refused.
		if len(code) == 2 {
			_, err := credential.ParseNIK(code + "01011708850001")
			assert.Error(t, err, "%q", code)
		}
	}
}
