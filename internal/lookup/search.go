package lookup

import (
	"sort"
	"strings"
	"unicode"
)

// Search finds requesters by id (exact or prefix) or name (prefix, word prefix, substring,
// then fuzzy: a small edit distance to a name word), best matches first.
func (d *Directory) Search(q string, limit int) []*Requester {
	q = strings.TrimSpace(q)
	if q == "" || limit <= 0 {
		return nil
	}
	sn := d.snap.Load()
	if r, ok := sn.byID[strings.ToUpper(q)]; ok {
		return []*Requester{r}
	}
	lq := strings.ToLower(q)
	type hit struct {
		r    *Requester
		rank int
	}
	var hits []hit
	for _, r := range sn.sorted {
		if rank := matchRank(r, lq); rank > 0 {
			hits = append(hits, hit{r, rank})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].rank != hits[j].rank {
			return hits[i].rank > hits[j].rank
		}
		return hits[i].r.Wages.Records > hits[j].r.Wages.Records
	})
	out := make([]*Requester, 0, min(limit, len(hits)))
	for i := 0; i < len(hits) && i < limit; i++ {
		out = append(out, hits[i].r)
	}
	return out
}

func matchRank(r *Requester, lq string) int {
	name := strings.ToLower(r.Name)
	switch {
	case strings.HasPrefix(strings.ToLower(r.ID), lq):
		return 6
	case strings.HasPrefix(name, lq):
		return 5
	}
	words := strings.FieldsFunc(name, func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) })
	for _, w := range words {
		if strings.HasPrefix(w, lq) {
			return 4
		}
	}
	if strings.Contains(name, lq) {
		return 3
	}
	if len([]rune(lq)) < 3 {
		return 0
	}
	maxDist := 1
	if len([]rune(lq)) >= 6 {
		maxDist = 2
	}
	for _, w := range words {
		// Compare with the word, and with its start when the query is shorter (typo in a prefix).
		if editDistance(w, lq) <= maxDist {
			return 2
		}
		if rw := []rune(w); len(rw) > len([]rune(lq)) && editDistance(string(rw[:len([]rune(lq))]), lq) <= maxDist {
			return 1
		}
	}
	return 0
}

// editDistance is the Levenshtein distance between a and b, by runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Ranked returns up to n requesters with at least minReporters reporters and an effective
// wage, best payers first (or worst first when worst is set). It walks the order the last
// Refresh sorted, so a page view sorts nothing.
func (d *Directory) Ranked(n int, minReporters uint64, worst bool) []*Requester {
	sn := d.snap.Load()
	order := sn.best
	if worst {
		order = sn.worst
	}
	var out []*Requester
	for _, r := range order {
		if len(out) == n {
			break
		}
		if r.Wages.Reporters >= minReporters {
			out = append(out, r)
		}
	}
	return out
}

// byWage returns the requesters of byName that have an effective wage, highest first (lowest
// first when asc is set), equal wages in byName's order.
func byWage(byName []*Requester, asc bool) []*Requester {
	var out []*Requester
	for _, r := range byName {
		if r.Wages.EffectiveHourly != nil {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := *out[i].Wages.EffectiveHourly, *out[j].Wages.EffectiveHourly
		if asc {
			return a < b
		}
		return a > b
	})
	return out
}
