package ingest

import (
	"math"
	"sync"
	"time"
)

// Limiter is a token bucket per key (a token ID): Rate requests a second on average,
// bursts of up to Burst. Its zero value allows everything.
type Limiter struct {
	Rate  float64 // requests per second; 0 means no limit
	Burst int     // bucket size; default max(1, Rate)

	mu      sync.Mutex
	buckets map[string]*bucket
	now     func() time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewLimiter returns a limiter of rate requests a second with bursts of burst.
func NewLimiter(rate float64, burst int) *Limiter {
	return &Limiter{Rate: rate, Burst: burst, now: time.Now}
}

// Allow takes one request from key's bucket. When the bucket is empty it returns false and
// how long until the next request would be allowed.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	if l == nil || l.Rate <= 0 {
		return true, 0
	}
	burst := float64(l.Burst)
	if burst < 1 {
		burst = math.Max(1, l.Rate)
	}
	now := time.Now()
	if l.now != nil {
		now = l.now()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: burst, last: now}
		l.buckets[key] = b
		if len(l.buckets) > 100_000 {
			l.prune(now, burst)
		}
	}
	b.tokens = math.Min(burst, b.tokens+now.Sub(b.last).Seconds()*l.Rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.Rate * float64(time.Second))
	return false, wait
}

// prune drops buckets that have refilled, so the map stays small.
func (l *Limiter) prune(now time.Time, burst float64) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.Rate >= burst {
			delete(l.buckets, k)
		}
	}
}
