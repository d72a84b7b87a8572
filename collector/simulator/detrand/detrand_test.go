package detrand

import (
	"regexp"
	"testing"
)

// TestStreamsAreReproducible: the same seed gives the same values (so the
// same tenant and records), another seed other values.
func TestStreamsAreReproducible(t *testing.T) {
	draw := func(seed uint64) []uint64 {
		r := New(seed)
		return []uint64{r.Next(), uint64(r.Intn(1000)), uint64(r.Dur(1 << 40)), r.Next()}
	}
	a, b, c := draw(Hash(7, 1)), draw(Hash(7, 1)), draw(Hash(7, 2))
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, value %d differs: %d vs %d", i, a[i], b[i])
		}
	}
	if a[0] == c[0] && a[3] == c[3] {
		t.Fatalf("different seeds gave the same stream %v", a)
	}
}

// TestGUIDsLookLikeEntraIDs: every GUID is lower-case 8-4-4-4-12 hex with the
// version-4 and variant bits a collector may validate.
func TestGUIDsLookLikeEntraIDs(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	r := New(42)
	for i := 0; i < 200; i++ {
		if g := r.GUID(); !re.MatchString(g) {
			t.Fatalf("GUID %q is not a version-4 GUID", g)
		}
	}
	if g := GUIDFrom(StringHash("x")); g != GUIDFrom(StringHash("x")) || !re.MatchString(g) {
		t.Fatalf("GUIDFrom is not stable or not a GUID: %q", g)
	}
}

// TestWeightedNeverPicksAZeroWeight: a choice with weight 0 never happens.
func TestWeightedNeverPicksAZeroWeight(t *testing.T) {
	tests := []struct {
		name    string
		weights []int
		never   int
	}{
		{"first zero", []int{0, 3, 1}, 0},
		{"middle zero", []int{5, 0, 1}, 1},
		{"last zero", []int{1, 1, 0}, 2},
	}
	for _, tc := range tests {
		r := New(9)
		for i := 0; i < 2000; i++ {
			if Weighted(&r, tc.weights) == tc.never {
				t.Fatalf("%s: picked index %d of %v", tc.name, tc.never, tc.weights)
			}
		}
	}
}
