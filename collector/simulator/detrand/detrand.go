// Package detrand is the simulator's deterministic randomness: a splitmix64
// stream and word hash, so every generated value is a pure function of the
// seed and where it is used, plus the byte appenders (GUIDs, hex, record
// times) that render those values without allocating.
package detrand

import "time"

// mix64 is the splitmix64 finaliser: a fast, well-distributed hash of one word.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Hash combines several words into one deterministic hash.
func Hash(words ...uint64) uint64 {
	h := uint64(0x6a09e667f3bcc908)
	for _, w := range words {
		h = mix64(h ^ w)
	}
	return h
}

// Rng is a tiny deterministic generator (splitmix64 stream). It is a value
// type so generating a record allocates nothing.
type Rng struct{ s uint64 }

// New starts a stream at seed.
func New(seed uint64) Rng { return Rng{s: seed} }

// Next returns the next word of the stream.
func (r *Rng) Next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Intn returns a number in [0, n); n must be > 0.
func (r *Rng) Intn(n int) int { return int(r.Next() % uint64(n)) }

// Float returns a number in [0, 1).
func (r *Rng) Float() float64 { return float64(r.Next()>>11) / (1 << 53) }

// Chance reports true with probability p.
func (r *Rng) Chance(p float64) bool { return p > 0 && r.Float() < p }

// Dur returns a duration in [0, d).
func (r *Rng) Dur(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(r.Next() % uint64(d))
}

// Pick returns one element of a non-empty slice.
func Pick[T any](r *Rng, xs []T) T { return xs[r.Intn(len(xs))] }

// Weighted returns an index chosen by integer weights (sum must be > 0).
func Weighted(r *Rng, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.Intn(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

const hexDigits = "0123456789abcdef"

// AppendGUID appends a version-4 style GUID built from two random words.
func AppendGUID(b []byte, hi, lo uint64) []byte {
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

// GUIDFrom returns a deterministic GUID string for a hash seed.
func GUIDFrom(seed uint64) string {
	r := New(seed)
	return string(AppendGUID(make([]byte, 0, 36), r.Next(), r.Next()))
}

// GUID draws a GUID from the stream.
func (r *Rng) GUID() string {
	return string(AppendGUID(make([]byte, 0, 36), r.Next(), r.Next()))
}

// AppendRandGUID appends a GUID drawn from the stream.
func AppendRandGUID(b []byte, r *Rng) []byte { return AppendGUID(b, r.Next(), r.Next()) }

// StringHash hashes a string (FNV-1a) for seeding.
func StringHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// AppendUpperHex appends n hex digits (upper case) of v.
func AppendUpperHex(b []byte, v uint64, n int) []byte {
	const up = "0123456789ABCDEF"
	for i := n - 1; i >= 0; i-- {
		b = append(b, up[(v>>(4*uint(i)))&0xf])
	}
	return b
}

// AppendRecordTime appends t as the audit-record time format YYYY-MM-DDTHH:MM:SS (UTC, no zone).
func AppendRecordTime(b []byte, t time.Time) []byte {
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
