package web_test

import (
	"context"
	"testing"

	"github.com/hitwage/hitwage/internal/ingest"
	"github.com/hitwage/hitwage/internal/store"
)

// relayedStudies is a participant/studies answer as Prolific's app fetched it (own values): one
// listing in the 2026 schema, one in the 2020 schema (reward in pence), one without a researcher.
const relayedStudies = `{"results": [
 {"id": "6d1b2c3d4e5f60718293a4b1", "name": "Memory <b>game</b>", "study_reward": {"amount": 150, "currency": "GBP"},
  "study_average_reward_per_hour": {"amount": 1200, "currency": "GBP"}, "researcher": {"id": "5d1b2c3d4e5f60718293a4b1", "name": "Memory Lab", "country": "GB"},
  "estimated_completion_time": 8, "maximum_allowed_time": 40, "average_completion_time_in_seconds": 420,
  "total_available_places": 100, "places_taken": 10, "published_at": "2026-12-06T10:00:00.000000Z"},
 {"id": "6d1b2c3d4e5f60718293a4b2", "name": "Old schema", "reward": 90, "average_reward_per_hour": 600,
  "researcher": {"id": "5d1b2c3d4e5f60718293a4b1", "name": "Memory Lab", "institution": {"name": "A University"}},
  "estimated_completion_time": 9, "total_available_places": 20, "places_taken": 20},
 {"id": "6d1b2c3d4e5f60718293a4b3", "name": "No researcher", "study_reward": {"amount": 100, "currency": "GBP"}}
], "_links": {}}`

// A userscript relays the studies list it saw: the listings become the researcher's listing
// snapshots (exact amounts, times in seconds); a listing without its researcher is left out; a
// body that is no studies list is a 400 naming the body; a token is needed.
func TestRelayStudies(t *testing.T) {
	e := newIngestEnv(t, ingest.Config{})
	decodeErr(t, e.do(t, "POST", "/api/v1/studies", "", relayedStudies), 401, "unauthorized")
	a := e.do(t, "POST", "/api/v1/studies", e.token, relayedStudies)
	if a.status != 200 || string(a.body) != `{"received":3,"stored":2,"left_out":1}` {
		t.Fatalf("relay: %d %s", a.status, a.body)
	}
	var n uint64
	err := e.s.QueryRow(context.Background(), `SELECT count() FROM listing_snapshots WHERE requester_id = 'prolific:5d1b2c3d4e5f60718293a4b1'
		AND source = 'prolific-studies' AND ((hit_set_id = '6d1b2c3d4e5f60718293a4b1' AND reward = 1.5 AND advertised_hourly = 12
		AND estimated_seconds = 480 AND average_seconds = 420 AND places = 100 AND assignable_hits = 90 AND title = 'Memory <b>game</b>')
		OR (hit_set_id = '6d1b2c3d4e5f60718293a4b2' AND reward = 0.9 AND advertised_hourly = 6 AND currency = 'GBP' AND assignable_hits = 0))`, store.Args{}, &n)
	if err != nil || n != 2 {
		t.Errorf("%d listings as sent (%v), want 2", n, err)
	}
	// Relayed listings are no crawl of MTurk's market.
	if err := e.s.QueryRow(context.Background(), "SELECT count() FROM market_crawls", nil, &n); err != nil || n != 0 {
		t.Errorf("%d market crawls after a relay (%v), want none", n, err)
	}
	er := decodeErr(t, e.do(t, "POST", "/api/v1/studies", e.token, `{"results": [{"id": 3}]}`), 400, "bad_request")
	if er.Error.Field != "body" {
		t.Errorf("bad body names %q", er.Error.Field)
	}
}
