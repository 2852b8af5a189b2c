package ingest

import (
	"context"
	"fmt"
	"strings"

	"github.com/hitwage/hitwage/internal/store"
)

// keyRange is the span of record keys a requester had stored when the import first met
// the requester; ok is false when there were none.
type keyRange struct {
	lo, hi string
	ok     bool
}

// maxKeyRanges bounds the requesters an import remembers. Forgetting is safe: a range
// asked for again may include the import's own keys, which costs lookups, never a miss.
const maxKeyRanges = 100_000

// lookUp counts the tasks of b that are already stored. It asks the store only about the
// keys that can be there: those in their requester's stored key range, asked for once per
// requester, and those the file may have held in an earlier batch (seenKeys). A file of new
// tasks thus costs one small query per batch with new requesters and no key lookups; the
// counts stay exact. Records another writer stores while the import runs are not counted
// as duplicates.
func lookUp(ctx context.Context, s *store.Store, b *importBatch, ranges map[string]keyRange) error {
	if err := learnRanges(ctx, s, b, ranges); err != nil {
		return err
	}
	var keys, reqs strings.Builder
	seenReq := map[string]bool{}
	for _, k := range b.keys {
		rg := ranges[k.req]
		if !k.maybe && !(rg.ok && k.key >= rg.lo && k.key <= rg.hi) {
			continue
		}
		joinID(&keys, k.key)
		if !seenReq[k.req] {
			seenReq[k.req] = true
			joinID(&reqs, k.req)
		}
	}
	if keys.Len() == 0 {
		return nil
	}
	var n uint64
	if err := s.QueryRow(ctx, `SELECT count(DISTINCT record_key) FROM task_records
		WHERE requester_id IN (SELECT arrayJoin(splitByChar(',', {reqs:String})))
		  AND record_key IN (SELECT arrayJoin(splitByChar(',', {keys:String})))`,
		store.Args{"reqs": reqs.String(), "keys": keys.String()}, &n); err != nil {
		return fmt.Errorf("look up stored records: %w", err)
	}
	b.known = int(n)
	return nil
}

// learnRanges asks the store for the key ranges of the batch's requesters not met before.
func learnRanges(ctx context.Context, s *store.Store, b *importBatch, ranges map[string]keyRange) error {
	if len(ranges) >= maxKeyRanges {
		clear(ranges)
	}
	var reqs strings.Builder
	for _, k := range b.keys {
		if _, ok := ranges[k.req]; ok {
			continue
		}
		ranges[k.req] = keyRange{}
		joinID(&reqs, k.req)
	}
	if reqs.Len() == 0 {
		return nil
	}
	rs, err := s.Query(ctx, `SELECT requester_id, min(record_key), max(record_key) FROM task_records
		WHERE requester_id IN (SELECT arrayJoin(splitByChar(',', {reqs:String})))
		GROUP BY requester_id`, store.Args{"reqs": reqs.String()})
	if err != nil {
		return fmt.Errorf("look up stored key ranges: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var id, lo, hi string
		if err := rs.Scan(&id, &lo, &hi); err != nil {
			return fmt.Errorf("look up stored key ranges: %w", err)
		}
		ranges[id] = keyRange{lo: lo, hi: hi, ok: true}
	}
	if err := rs.Err(); err != nil {
		return fmt.Errorf("look up stored key ranges: %w", err)
	}
	return nil
}

// joinID appends id to the comma-separated list b. Keys and requester ids are letters, digits
// and ':' only (Check made sure), so a comma-joined string carries them: far cheaper to bind
// than an Array(String).
func joinID(b *strings.Builder, id string) {
	if b.Len() > 0 {
		b.WriteByte(',')
	}
	b.WriteString(id)
}
