package detect

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzNormalize: any bytes give an Event or an error, never a panic.
//
//	go test -run '^$' -fuzz FuzzNormalize -fuzztime 30s ./collector/detect/
func FuzzNormalize(f *testing.F) {
	samples, _ := filepath.Glob(filepath.Join("..", "auditrec", "testdata", "samples", "*.json"))
	for _, p := range samples {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"ModifiedProperties":[{"Name":"x","NewValue":"[1,{\"a\":[]}]"}],"Parameters":[{"Name":"","Value":null},7]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := Normalize(b)
		if err == nil && ev == nil {
			t.Fatal("nil event without an error")
		}
	})
}

// FuzzRuleFile: a user's rule file never crashes the loader; every
// document becomes a rule or a reported error.
//
//	go test -run '^$' -fuzz FuzzRuleFile -fuzztime 30s ./collector/detect/
func FuzzRuleFile(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("rules", "*.yml"))
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("title: x\nid: y\ndetection:\n  a: {Operation|contains|all: [1, 2]}\n  condition: 1 of a* and not (a or"))
	f.Add([]byte("correlation: {type: temporal, rules: [a, a], timespan: 0s}\ntitle: t\nid: i"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rules, _ := parseFile(b, "fuzz.yml", "fuzz.yml")
		for _, r := range rules {
			if r.ID == "" || r.Title == "" {
				t.Fatalf("loaded a rule without id/title: %+v", r)
			}
		}
	})
}
