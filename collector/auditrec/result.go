package auditrec

import "strings"

// CanonicalResult maps any spelling of an audit result to the value the
// store holds: the normalised values themselves, the words the GUI shows
// ("Succeeded", "Failed") and what an admin types on the command line
// ("fail", "failures", "ok"). It is the one place where result words are
// normalised for the feed, the CLI and exports; ok is false when s names
// neither a success nor a failure.
func CanonicalResult(s string) (result string, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case ResultFailure, "failed", "fail", "failures", "false", "error", "errors":
		return ResultFailure, true
	case ResultSuccess, "succeeded", "succeed", "successes", "true", "ok", "partiallysucceeded":
		return ResultSuccess, true
	}
	return "", false
}

// ResultLabel is the word shown for a stored result: "Succeeded", "Failed",
// or "" when the record did not say.
func ResultLabel(result string) string {
	switch r, _ := CanonicalResult(result); r {
	case ResultFailure:
		return "Failed"
	case ResultSuccess:
		return "Succeeded"
	}
	return ""
}

// IsFailure reports whether a stored (or typed) result means failure.
func IsFailure(result string) bool {
	r, ok := CanonicalResult(result)
	return ok && r == ResultFailure
}
