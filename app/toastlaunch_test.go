package app

import (
	"slices"
	"testing"
)

func TestToastLaunchOpensTheWindow(t *testing.T) {
	tests := []struct {
		args, want []string
	}{
		{[]string{"-Embedding"}, []string{"gui"}},
		{[]string{"/Embedding"}, []string{"gui"}},
		{[]string{"-embedding"}, []string{"gui"}},
		{[]string{"status", "--json"}, []string{"status", "--json"}},
		{nil, nil},
	}
	for _, tc := range tests {
		if got := toastLaunchArgs(tc.args); !slices.Equal(got, tc.want) {
			t.Errorf("toastLaunchArgs(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}
