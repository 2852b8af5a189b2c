package ingest

import "hash/maphash"

// seenKeys remembers which record keys an import has met, approximately: contains never
// misses a key that was added and rarely claims one that was not. The import looks up in
// the store only the keys it may have met, so a file of new tasks costs no lookups, while
// a repeat anywhere in the file is still found and counted exactly. It is a chain of Bloom
// filters, each twice the size of the one before, so a small file costs a few KiB and a
// large one stays under maxSeenBits (8 million keys at full precision); past that, false
// claims (more lookups) grow instead.
type seenKeys struct {
	seed    maphash.Seed
	filters []bloom
}

// bloom is one Bloom filter of len(bits)*64 bits that holds up to cap keys at about a 0.1%
// false-positive rate (16 bits and 6 probes a key).
type bloom struct {
	bits []uint64
	n    int
	cap  int
}

const (
	firstSeenBits = 1 << 16 // 8 KiB
	maxSeenBits   = 1 << 27 // 16 MiB across the chain
	seenProbes    = 6
)

func newSeenKeys() *seenKeys { return &seenKeys{seed: maphash.MakeSeed()} }

// met records key and reports whether it may have been added before, hashing it once.
func (s *seenKeys) met(key string) bool {
	h := maphash.String(s.seed, key)
	was := s.containsHash(h)
	s.addHash(h)
	return was
}

func (s *seenKeys) addHash(h uint64) {
	if len(s.filters) == 0 {
		s.grow(firstSeenBits)
	} else if f := s.last(); f.n >= f.cap && s.total()+2*len(f.bits)*64 <= maxSeenBits {
		s.grow(2 * len(f.bits) * 64)
	}
	f := s.last()
	m := uint64(len(f.bits) * 64)
	h1, h2 := h, h>>32|1
	for i := uint64(0); i < seenProbes; i++ {
		b := (h1 + i*h2) % m
		f.bits[b/64] |= 1 << (b % 64)
	}
	f.n++
}

func (s *seenKeys) containsHash(h uint64) bool {
	h1, h2 := h, h>>32|1
	for _, f := range s.filters {
		m := uint64(len(f.bits) * 64)
		all := true
		for i := uint64(0); i < seenProbes && all; i++ {
			b := (h1 + i*h2) % m
			all = f.bits[b/64]&(1<<(b%64)) != 0
		}
		if all {
			return true
		}
	}
	return false
}

func (s *seenKeys) grow(bits int) {
	s.filters = append(s.filters, bloom{bits: make([]uint64, bits/64), cap: bits / 16})
}

func (s *seenKeys) last() *bloom { return &s.filters[len(s.filters)-1] }

func (s *seenKeys) total() int {
	n := 0
	for _, f := range s.filters {
		n += len(f.bits) * 64
	}
	return n
}
