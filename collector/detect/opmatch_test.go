package detect

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// plainCustomRules are rules the engine must judge as sigma-go does: plain
// ones (its own comparison) and ones it must leave to sigma-go.
const plainCustomRules = `title: Plain, with null and non-ASCII values
id: 0b8f1f8e-0000-4000-8000-000000000001
logsource: {product: m365}
detection:
  selection:
    Operation: [Straße, KELVIN, Σίσυφος, FileDownloaded]
    ClientIP: 'null'
    RecordType: '6'
  condition: selection
---
title: Plain, booleans and numbers as text
id: 0b8f1f8e-0000-4000-8000-000000000002
logsource: {product: m365}
detection:
  selection:
    Operation: UserLoginFailed
    ErrorNumber: ['50126', '0']
    Enrichment.NewCountry: 'TRUE'
  condition: selection
---
title: Not plain, a modifier
id: 0b8f1f8e-0000-4000-8000-000000000003
logsource: {product: m365}
detection:
  selection:
    Operation|contains: Download
  condition: selection
---
title: Not plain, a filter
id: 0b8f1f8e-0000-4000-8000-000000000004
logsource: {product: m365}
detection:
  selection:
    Operation: [FileDeleted, FileDownloaded]
  filter:
    UserId: system
  condition: selection and not filter
---
title: Not plain, two event matchers
id: 0b8f1f8e-0000-4000-8000-000000000005
logsource: {product: m365}
detection:
  selection:
    - Operation: FileDeleted
    - Operation: FileDownloaded
  condition: selection
`

// TestPlainRulesMatchAsSigmaDoes: for every rule the engine judges itself
// (the built-in pack's plain rules and custom ones), its verdict is
// sigma-go's on Microsoft's samples and on variants of them (other case,
// near misses, non-ASCII case folds, absent fields, numbers and booleans);
// rules with more than plain field matchers are left to sigma-go.
func TestPlainRulesMatchAsSigmaDoes(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "custom.yml"), []byte(plainCustomRules), 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, dir)
	if errs := h.eng.LoadErrors(); len(errs) > 0 {
		t.Fatalf("custom rules not loaded: %v", errs)
	}
	events := plainTestEvents(t)
	plain := 0
	for _, r := range h.eng.rules {
		if r.Kind != SingleEvent {
			continue
		}
		if strings.HasPrefix(r.Title, "Not plain") {
			if r.plain != nil {
				t.Errorf("%s: judged by the engine, but sigma-go must decide it", r.Title)
			}
			continue
		}
		if r.plain == nil {
			continue
		}
		plain++
		// Each rule's own values, in other cases and as near misses.
		var own []Event
		for _, fm := range r.plain {
			for _, v := range fm.values {
				for _, x := range []any{v, strings.ToUpper(v), strings.ToLower(v), v + "x", " " + v, json.Number(v), nil} {
					ev := Event{}
					for _, other := range r.plain {
						ev[other.field] = other.values[0]
					}
					ev[fm.field] = x
					own = append(own, ev)
				}
			}
		}
		hits := 0
		for _, ev := range append(own, events...) {
			res, err := r.eval.Matches(context.Background(), map[string]any(ev))
			if err != nil {
				t.Fatal(err)
			}
			if got := r.matchesPlain(ev); got != res.Match {
				t.Errorf("%s on %v: the engine says %v, sigma-go %v", r.Title, ev, got, res.Match)
			}
			if res.Match {
				hits++
			}
		}
		if hits == 0 {
			t.Errorf("%s: no test event matches, so the comparison shows little", r.Title)
		}
	}
	if plain < 8 {
		t.Errorf("only %d rules are plain; the built-in pack has at least 6 and the test adds 2", plain)
	}
}

// plainTestEvents are Microsoft's samples normalised, and variants with
// odd values.
func plainTestEvents(t *testing.T) []Event {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join("..", "auditrec", "testdata", "samples", "*.json"))
	var out []Event
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := Normalize(b)
		if err != nil {
			continue // the blob sample is a list
		}
		out = append(out, ev)
	}
	if len(out) == 0 {
		t.Fatal("no samples")
	}
	odd := []Event{
		{"Operation": "strasse"}, {"Operation": "STRASSE", "ClientIP": "null"}, {"Operation": "\u212aelvin", "RecordType": json.Number("6")},
		{"Operation": "σίσυφοσ", "RecordType": "6"}, {"Operation": "FILEDOWNLOADED", "RecordType": json.Number("6")},
		{"Operation": "UserLoginFailed", "ErrorNumber": json.Number("50126"), "Enrichment.NewCountry": true},
		{"Operation": "userloginfailed", "ErrorNumber": "0", "Enrichment.NewCountry": "true"},
		{"Operation": "UserLoggedIn", "Enrichment.NewCountry": "true"}, {"Operation": "UserLoggedIn", "Enrichment.NewCountry": true},
		{"Operation": ""}, {"Operation": nil}, {},
	}
	return append(out, odd...)
}
