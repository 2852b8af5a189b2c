package lookup

import (
	"sort"
	"strings"
	"unicode"

	"github.com/hitwage/hitwage/internal/platform"
)

// Search finds a platform's requesters by id (exact or prefix) or name (prefix, word prefix,
// substring, then fuzzy: a small edit distance to a name word), best matches first.
func (d *Directory) Search(p platform.ID, q string, limit int) []*Requester {
	q = strings.TrimSpace(q)
	if q == "" || limit <= 0 {
		return nil
	}
	sn := d.snap.Load()
	for _, id := range []string{strings.ToUpper(q), strings.ToLower(q)} { // ids are upper case on MTurk, lower on Prolific
		if r, ok := sn.byID[platform.Key(p, id)]; ok {
			return []*Requester{r}
		}
	}
	lq := strings.ToLower(q)
	type hit struct {
		r    *Requester
		rank int
	}
	var hits []hit
	rq := []rune(lq)
	for i, r := range sn.sorted {
		if r.Platform != p {
			continue
		}
		if rank := matchRank(sn.keys[i], lq, rq); rank > 0 {
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

// searchKey is what a search compares of one requester, lowered once per Refresh rather than
// on every query.
type searchKey struct {
	id, name  string   // lower case
	words     []string // the name's words (letters and digits)
	wordRunes [][]rune // the words as runes, for the edit distance
}

func newSearchKey(r *Requester) searchKey {
	name := strings.ToLower(r.Name)
	k := searchKey{id: strings.ToLower(r.PlatformID), name: name,
		words: strings.FieldsFunc(name, func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) })}
	for _, w := range k.words {
		k.wordRunes = append(k.wordRunes, []rune(w))
	}
	return k
}

// matchRank ranks one requester for the lower-case query lq (rq: its runes); 0 is no match.
func matchRank(k searchKey, lq string, rq []rune) int {
	name, words := k.name, k.words
	switch {
	case strings.HasPrefix(k.id, lq):
		return 6
	case strings.HasPrefix(name, lq):
		return 5
	}
	for _, w := range words {
		if strings.HasPrefix(w, lq) {
			return 4
		}
	}
	if strings.Contains(name, lq) {
		return 3
	}
	if len(rq) < 3 {
		return 0
	}
	maxDist := 1
	if len(rq) >= 6 {
		maxDist = 2
	}
	for _, rw := range k.wordRunes {
		// Compare with the word, and with its start when the query is shorter (typo in a prefix).
		if editDistance(rw, rq) <= maxDist {
			return 2
		}
		if len(rw) > len(rq) && editDistance(rw[:len(rq)], rq) <= maxDist {
			return 1
		}
	}
	return 0
}

// editDistance is the Levenshtein distance between ra and rb.
func editDistance(ra, rb []rune) int {
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
func (d *Directory) Ranked(p platform.ID, n int, minReporters uint64, worst bool) []*Requester {
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
		if r.Platform == p && r.Wages.Reporters >= minReporters {
			out = append(out, r)
		}
	}
	return out
}

// byWage returns the requesters of byName that have an effective wage, highest first (lowest
// first when asc is set), equal wages in byName's order.
// byWage orders the requesters with an effective wage by it, converted into their platform's
// currency through rates (a platform's requesters may pay in several).
func byWage(byName []*Requester, asc bool, rates *platform.Rates) []*Requester {
	var out []*Requester
	for _, r := range byName {
		if r.Wages.EffectiveHourly != nil {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := inOwn(out[i], rates), inOwn(out[j], rates)
		if asc {
			return a < b
		}
		return a > b
	})
	return out
}

// inOwn is a requester's effective hourly wage in its platform's currency.
func inOwn(r *Requester, rates *platform.Rates) float64 {
	x, ok := rates.Rate(r.Wages.Currency, platform.CurrencyOf(r.Platform))
	if !ok {
		x = 1 // a figure is only ever in a currency of the table (ingest checks it)
	}
	return *r.Wages.EffectiveHourly * x
}
