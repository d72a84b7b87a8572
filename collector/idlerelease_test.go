package collector

import "testing"

// The release comes at the end of a burst, once: when the last poll in
// flight returns having stored records since the previous release.
func TestIdleReleaseOncePerBurst(t *testing.T) {
	type step struct {
		begin  bool  // a poll starts (else one ends)
		stored int64 // records stored so far, when a poll ends
		want   bool  // release now
	}
	b := func() step { return step{begin: true} }
	e := func(stored int64, want bool) step { return step{stored: stored, want: want} }
	tests := []struct {
		name  string
		steps []step
	}{
		{"the first poll of a quiet start releases once", []step{b(), e(0, true), b(), e(0, false), b(), e(0, false)}},
		{"a backfill releases when its last type is done, not before",
			[]step{b(), b(), b(), e(900, false), e(1500, false), e(2000, true)}},
		{"a poll of one type while another still backfills does not release",
			[]step{b(), b(), e(100, false), b(), e(100, false), e(5000, true)}},
		{"steady polls that store nothing release nothing", []step{b(), e(7, true), b(), e(7, false), b(), b(), e(7, false), e(7, false)}},
		{"each later burst releases once", []step{b(), e(7, true), b(), e(9, true), b(), e(9, false), b(), b(), e(9, false), e(12, true)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newIdleRelease()
			for i, s := range tc.steps {
				if s.begin {
					r.begin()
					continue
				}
				if got := r.end(s.stored); got != s.want {
					t.Fatalf("step %d (a poll ends, %d stored): release = %v, want %v", i, s.stored, got, s.want)
				}
			}
		})
	}
}
