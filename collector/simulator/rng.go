package simulator

import "time"

// mix64 is the splitmix64 finaliser: a fast, well-distributed hash of one word.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// hashOf combines several words into one deterministic hash.
func hashOf(words ...uint64) uint64 {
	h := uint64(0x6a09e667f3bcc908)
	for _, w := range words {
		h = mix64(h ^ w)
	}
	return h
}

// rng is a tiny deterministic generator (splitmix64 stream). It is a value
// type so generating a record allocates nothing.
type rng struct{ s uint64 }

func newRng(seed uint64) rng { return rng{s: seed} }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n); n must be > 0.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// float returns a number in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return p > 0 && r.float() < p }

// dur returns a duration in [0, d).
func (r *rng) dur(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(r.next() % uint64(d))
}

// pick returns one element of a non-empty slice.
func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }

// weighted returns an index chosen by integer weights (sum must be > 0).
func weighted(r *rng, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.intn(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

const hexDigits = "0123456789abcdef"

// appendGUID appends a version-4 style GUID built from two random words.
func appendGUID(b []byte, hi, lo uint64) []byte {
	var raw [16]byte
	for i := 0; i < 8; i++ {
		raw[i] = byte(hi >> (56 - 8*i))
		raw[8+i] = byte(lo >> (56 - 8*i))
	}
	raw[6] = raw[6]&0x0f | 0x40
	raw[8] = raw[8]&0x3f | 0x80
	for i, c := range raw {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&0x0f])
	}
	return b
}

// guidFrom returns a deterministic GUID string for a hash seed.
func guidFrom(seed uint64) string {
	r := newRng(seed)
	return string(appendGUID(make([]byte, 0, 36), r.next(), r.next()))
}

// randGUID draws a GUID from the stream.
func (r *rng) guid() string {
	return string(appendGUID(make([]byte, 0, 36), r.next(), r.next()))
}

// appendGUIDr appends a GUID drawn from the stream.
func appendGUIDr(b []byte, r *rng) []byte { return appendGUID(b, r.next(), r.next()) }

// stringHash hashes a string (FNV-1a) for seeding.
func stringHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// appendUpperHex appends n hex digits (upper case) of v.
func appendUpperHex(b []byte, v uint64, n int) []byte {
	const up = "0123456789ABCDEF"
	for i := n - 1; i >= 0; i-- {
		b = append(b, up[(v>>(4*uint(i)))&0xf])
	}
	return b
}

// appendRecordTime appends t as the audit-record time format YYYY-MM-DDTHH:MM:SS (UTC, no zone).
func appendRecordTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	b = append4(b, y)
	b = append(b, '-')
	b = append2(b, int(mo))
	b = append(b, '-')
	b = append2(b, d)
	b = append(b, 'T')
	b = append2(b, h)
	b = append(b, ':')
	b = append2(b, mi)
	b = append(b, ':')
	return append2(b, s)
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

func append4(b []byte, v int) []byte {
	return append(b, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}
