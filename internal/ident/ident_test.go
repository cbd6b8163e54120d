package ident_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ikdgo/ikd/internal/ident"
)

func TestValidIssuerID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"3171", true},
		{"00", true},
		{"disdukcapil-3171", true},
		{"a.b_c-D9", true},
		{strings.Repeat("a", ident.MaxIssuerID), true},
		{strings.Repeat("a", ident.MaxIssuerID+1), false},
		{"", false},
		{"31:71", false},
		{"31 71", false},
		{"jakarta/pusat", false},
		{"é", false},
		{"3171\n", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ident.ValidIssuerID(tt.id), "%q", tt.id)
	}
}
