package credential_test

import (
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/codec"
)

func TestDateCBOR(t *testing.T) {
	tests := []struct {
		date string
		hex  string
	}{
		{"1985-08-17", "1a012ee641"},
		{"2000-02-29", "1a01312de5"},
		{"1800-01-01", "1a0112a8e5"},
		{"9999-12-31", "1a05f5bebf"},
	}
	for _, tc := range tests {
		t.Run(tc.date, func(t *testing.T) {
			d := mustDate(tc.date)
			b, err := codec.Marshal(d)
			require.NoError(t, err)
			assert.Equal(t, tc.hex, hex.EncodeToString(b))
			var got credential.Date
			require.NoError(t, codec.Unmarshal(b, &got))
			assert.Equal(t, d, got)
			assert.Equal(t, tc.date, got.String())
		})
	}
}

func TestDateCBORRejects(t *testing.T) {
	for _, n := range []uint64{20230231, 20230229, 19001329, 20231300, 20230100, 99999999, 17991231, 100000000, 1} {
		b, err := codec.Marshal(n)
		require.NoError(t, err)
		var d credential.Date
		assert.ErrorIs(t, codec.Unmarshal(b, &d), credential.ErrInvalidDate, "%d", n)
	}
	for _, h := range []string{"20", "6131", "f5", "c11a012ee641"} { // negative, text, true, tagged
		var d credential.Date
		assert.Error(t, codec.Unmarshal(unhex(h), &d), h)
	}
	// 0 is the zero Date ("no date"); KTP fields omit it, so a 0 on the
	// wire is refused by the canonical check (see TestStrictDecoding).
	var d credential.Date
	require.NoError(t, codec.Unmarshal([]byte{0}, &d))
	assert.True(t, d.IsZero())
	b, err := codec.Marshal(credential.Date{})
	require.NoError(t, err)
	assert.Equal(t, []byte{0}, b)
	_, err = codec.Marshal(credential.Date{Year: 2023, Month: 2, Day: 29})
	assert.ErrorIs(t, err, credential.ErrInvalidDate)
}

func TestNewDateAndParseDate(t *testing.T) {
	_, err := credential.NewDate(2023, time.February, 31)
	assert.ErrorIs(t, err, credential.ErrInvalidDate)
	_, err = credential.NewDate(2023, time.February, 29)
	assert.ErrorIs(t, err, credential.ErrInvalidDate)
	d, err := credential.NewDate(2024, time.February, 29)
	require.NoError(t, err)
	assert.Equal(t, "2024-02-29", d.String())
	_, err = credential.NewDate(0, 0, 0)
	assert.ErrorIs(t, err, credential.ErrInvalidDate)
	for _, s := range []string{"0", "99999999", "2023-02-31", "2023-02-29", "1985-8-17", "17-08-1985", "1799-12-31", ""} {
		_, err := credential.ParseDate(s)
		assert.ErrorIs(t, err, credential.ErrInvalidDate, s)
	}
	assert.Equal(t, 17, mustDate("2009-11-23").AgeOn(mustDate("2026-11-23")))
	assert.Equal(t, 16, mustDate("2009-11-24").AgeOn(mustDate("2026-11-23")))
	assert.Equal(t, 16, mustDate("2008-02-29").AgeOn(mustDate("2025-02-28")))
	assert.Equal(t, 17, mustDate("2008-02-29").AgeOn(mustDate("2025-03-01")))
	assert.True(t, mustDate("2020-12-31").Before(mustDate("2021-01-01")))
	assert.False(t, mustDate("2021-01-01").Before(mustDate("2021-01-01")))
}

func TestValidityCBOR(t *testing.T) {
	tests := []struct {
		v   credential.Validity
		hex string
	}{
		{credential.Lifetime, "f5"},
		{credential.ValidUntil(mustDate("2030-06-30")), "1a0135c356"},
	}
	for _, tc := range tests {
		t.Run(tc.v.String(), func(t *testing.T) {
			b, err := codec.Marshal(tc.v)
			require.NoError(t, err)
			assert.Equal(t, tc.hex, hex.EncodeToString(b))
			var got credential.Validity
			require.NoError(t, codec.Unmarshal(b, &got))
			assert.Equal(t, tc.v, got)
		})
	}
	// null leaves a Validity unchanged (the cbor library's rule for null);
	// in a credential it is refused by the canonical check (TestStrictDecoding).
	for _, h := range []string{"f4", "6131", "1a0134b057", "1a05f5e0ff"} { // false, text, 31 Feb, 99999999
		var v credential.Validity
		assert.Error(t, codec.Unmarshal(unhex(h), &v), h)
	}
	_, err := codec.Marshal(credential.Validity{Lifetime: true, Until: mustDate("2030-01-01")})
	assert.ErrorIs(t, err, credential.ErrInvalidValue)
}

func TestDateValidityJSON(t *testing.T) {
	type doc struct {
		D credential.Date     `json:"d"`
		V credential.Validity `json:"v"`
	}
	tests := []struct {
		in   doc
		json string
	}{
		{doc{mustDate("1985-08-17"), credential.Lifetime}, `{"d":"1985-08-17","v":"SEUMUR HIDUP"}`},
		{doc{mustDate("2024-02-29"), credential.ValidUntil(mustDate("2030-06-30"))}, `{"d":"2024-02-29","v":"2030-06-30"}`},
		{doc{}, `{"d":"","v":""}`},
	}
	for _, tc := range tests {
		b, err := json.Marshal(tc.in)
		require.NoError(t, err)
		assert.JSONEq(t, tc.json, string(b))
		var got doc
		require.NoError(t, json.Unmarshal(b, &got))
		assert.Equal(t, tc.in, got)
	}
	for _, s := range []string{`"seumur hidup"`, `"Seumur Hidup"`, `"lifetime"`, `"LIFETIME"`} {
		var v credential.Validity
		require.NoError(t, json.Unmarshal([]byte(s), &v), s)
		assert.Equal(t, credential.Lifetime, v)
	}
	for _, s := range []string{`"2023-02-29"`, `"forever"`, `"20230101"`, `17`} {
		var v credential.Validity
		assert.Error(t, json.Unmarshal([]byte(s), &v), s)
		var d credential.Date
		assert.Error(t, json.Unmarshal([]byte(s), &d), s)
	}
}

// TestKTPJSON round-trips the sample records through JSON, the form of
// person records and scanner output.
func TestKTPJSON(t *testing.T) {
	for _, p := range people {
		k := p.ktp()
		b, err := json.Marshal(k)
		require.NoError(t, err)
		var got credential.KTP
		require.NoError(t, json.Unmarshal(b, &got))
		assert.Equal(t, k, got, p.name)
	}
}
