package auditrec

import "testing"

func TestCanonicalResultAcceptsEveryWordOneValueFits(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantOK  bool
		label   string
		failure bool
	}{
		{"Failed", ResultFailure, true, "Failed", true},
		{"failure", ResultFailure, true, "Failed", true},
		{" FAIL ", ResultFailure, true, "Failed", true},
		{"Succeeded", ResultSuccess, true, "Succeeded", false},
		{"success", ResultSuccess, true, "Succeeded", false},
		{"PartiallySucceeded", ResultSuccess, true, "Succeeded", false},
		{"", "", false, "", false},
		{"maybe", "", false, "", false},
	}
	for _, tt := range tests {
		got, ok := CanonicalResult(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("CanonicalResult(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
		if l := ResultLabel(tt.in); l != tt.label {
			t.Errorf("ResultLabel(%q) = %q, want %q", tt.in, l, tt.label)
		}
		if f := IsFailure(tt.in); f != tt.failure {
			t.Errorf("IsFailure(%q) = %v", tt.in, f)
		}
	}
}

// The values Parse stores must be what CanonicalResult maps the GUI's words
// to, or the feed's filter finds nothing (issue 10, item 1).
func TestStoredResultsAreCanonical(t *testing.T) {
	for _, word := range []string{"Failed", "Succeeded"} {
		r, _ := CanonicalResult(word)
		if r != NormalizeResult("", word, "", "") {
			t.Errorf("%q filters for %q but a record with ResultStatus %q is stored as %q", word, r, word, NormalizeResult("", word, "", ""))
		}
	}
}
