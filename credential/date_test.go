package credential_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want credential.Date
	}{
		{"1985-08-17", credential.Date{Year: 1985, Month: time.August, Day: 17}},
		{"2024-02-29", credential.Date{Year: 2024, Month: time.February, Day: 29}},
		{"2000-02-29", credential.Date{Year: 2000, Month: time.February, Day: 29}},
		{"1800-01-01", credential.Date{Year: 1800, Month: time.January, Day: 1}},
		{"9999-12-31", credential.Date{Year: 9999, Month: time.December, Day: 31}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			d, err := credential.ParseDate(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, d)
			assert.Equal(t, tc.in, d.String())
			assert.False(t, credential.DateIsZero(d))
			assert.True(t, credential.DateValid(d))
		})
	}
	for _, s := range []string{
		"", "0", "99999999", "20230101", "2023-02-31", "2023-02-29", "1900-02-29", "2023-13-01", "2023-00-10",
		"2023-01-00", "1985-8-17", "17-08-1985", "1985/08/17", " 1985-08-17", "1985-08-17T00:00:00Z",
		"1799-12-31", "0000-01-01",
	} {
		d, err := credential.ParseDate(s)
		assert.ErrorIs(t, err, credential.ErrInvalidValue, "%q", s)
		assert.True(t, credential.DateIsZero(d), "%q", s)
	}
}

func TestDate(t *testing.T) {
	assert.True(t, credential.DateIsZero(credential.Date{}))
	assert.Empty(t, credential.Date{}.String())
	assert.False(t, credential.DateValid(credential.Date{}))
	for _, d := range []credential.Date{
		{Year: 2023, Month: time.February, Day: 29},
		{Year: 2023, Month: time.April, Day: 31},
		{Year: 2023, Month: 13, Day: 1},
		{Year: 2023, Month: 0, Day: 1},
		{Year: 2023, Month: 1, Day: 0},
		{Year: 1799, Month: 12, Day: 31},
		{Year: 10000, Month: 1, Day: 1},
		{Year: -1, Month: 1, Day: 1},
	} {
		assert.False(t, credential.DateValid(d), "%+v", d)
	}

	assert.Equal(t, 17, credential.AgeOn(mustDate("2009-11-23"), mustDate("2026-11-23")))
	assert.Equal(t, 16, credential.AgeOn(mustDate("2009-11-24"), mustDate("2026-11-23")))
	assert.Equal(t, 16, credential.AgeOn(mustDate("2008-02-29"), mustDate("2025-02-28")))
	assert.Equal(t, 17, credential.AgeOn(mustDate("2008-02-29"), mustDate("2025-03-01")))
	assert.True(t, credential.DateBefore(mustDate("2020-12-31"), mustDate("2021-01-01")))
	assert.False(t, credential.DateBefore(mustDate("2021-01-01"), mustDate("2021-01-01")))

	wib := time.FixedZone("WIB", 7*3600)
	instant := time.Date(2026, 11, 22, 20, 0, 0, 0, time.UTC) // 03:00 the next day in Jakarta
	assert.Equal(t, mustDate("2026-11-22"), credential.DateOf(instant))
	assert.Equal(t, mustDate("2026-11-23"), credential.DateOf(instant.In(wib)))
}
