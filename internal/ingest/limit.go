package ingest

import (
	"math"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// Limiter is a token bucket per key (a token ID): Rate requests a second on average, bursts of
// up to Burst (golang.org/x/time/rate, one per key). The keys' buckets are kept in an LRU
// bounded to maxLimited: a forgotten key starts again with a full burst. Its zero value allows
// everything.
type Limiter struct {
	Rate  float64 // requests per second; 0 means no limit
	Burst int     // bucket size; default max(1, Rate)

	once    sync.Once
	buckets *lru.Cache[string, *rate.Limiter]
}

// maxLimited is how many keys' buckets a Limiter keeps.
const maxLimited = 100_000

// NewLimiter returns a limiter of rate requests a second with bursts of burst.
func NewLimiter(rate float64, burst int) *Limiter {
	return &Limiter{Rate: rate, Burst: burst}
}

// Allow takes one request from key's bucket. When the bucket is empty it returns false and
// how long until the next request would be allowed.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	if l == nil || l.Rate <= 0 {
		return true, 0
	}
	l.once.Do(func() { l.buckets, _ = lru.New[string, *rate.Limiter](maxLimited) }) // errors only on a size <= 0
	b, ok := l.buckets.Get(key)
	if !ok {
		burst := l.Burst
		if burst < 1 {
			burst = int(math.Max(1, l.Rate))
		}
		b = rate.NewLimiter(rate.Limit(l.Rate), burst)
		if prev, found, _ := l.buckets.PeekOrAdd(key, b); found {
			b = prev
		}
	}
	if b.Allow() {
		return true, 0
	}
	// Refused: how long until a request would be allowed, without taking from the bucket.
	r := b.Reserve()
	d := r.Delay()
	r.Cancel()
	return false, max(d, time.Nanosecond)
}
