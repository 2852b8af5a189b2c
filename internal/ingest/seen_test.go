package ingest

import (
	"fmt"
	"hash/maphash"
	"testing"
)

func TestSeenKeysNeverMissesAndRarelyClaims(t *testing.T) {
	s := newSeenKeys()
	const n = 200_000 // enough to chain several filters
	for i := 0; i < n; i++ {
		s.add(fmt.Sprintf("3HWASG%024d", i))
	}
	for i := 0; i < n; i++ {
		if !s.contains(fmt.Sprintf("3HWASG%024d", i)) {
			t.Fatalf("key %d was added but is not contained", i)
		}
	}
	claimed := 0
	for i := n; i < 2*n; i++ {
		if s.contains(fmt.Sprintf("3HWASG%024d", i)) {
			claimed++
		}
	}
	// Each filter aims at 1%; a key not added is tested against every filter of the chain.
	if rate := float64(claimed) / n; rate > 0.05 {
		t.Fatalf("%.1f%% of keys never added are claimed", 100*rate)
	}
	if len(s.filters) < 2 {
		t.Fatalf("%d filters for %d keys: the chain did not grow", len(s.filters), n)
	}
}

func TestSeenKeysStayBounded(t *testing.T) {
	s := newSeenKeys()
	// Fill the chain up to its bound without hashing millions of keys: mark filters full.
	for s.total() < maxSeenBits/2 {
		s.add("x")
		s.last().n = s.last().cap
		s.add("y")
	}
	before := s.total()
	for i := 0; i < 10; i++ {
		s.last().n = s.last().cap
		s.add(fmt.Sprint(i))
	}
	if s.total() > maxSeenBits || s.total() != before {
		t.Fatalf("chain grew from %d to %d bits (bound %d)", before, s.total(), maxSeenBits)
	}
	if !s.contains("x") || !s.contains("9") {
		t.Fatal("a full chain must still contain what was added")
	}
	if s.met("z") || !s.met("z") {
		t.Fatal("met must report a key new the first time only")
	}
}

// add records key (the import only calls met, which also asks).
func (s *seenKeys) add(key string) { s.addHash(maphash.String(s.seed, key)) }

// contains reports whether key may have been added.
func (s *seenKeys) contains(key string) bool { return s.containsHash(maphash.String(s.seed, key)) }
