package site

import (
	"context"
	"errors"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/semaphore"
	"golang.org/x/time/rate"

	"github.com/hitwage/hitwage/internal/store"
)

// Limits bound the anonymous requests that must query the store: a requester page whose parts
// are not kept yet, a HIT group (/hits/, /api/v1/hits/), the market page's live listing charts,
// a worker's own wages (/me, /api/v1/me/wages) and research exports. The store runs few
// statements at once and cannot cancel one, so past these bounds a request is answered 429 with
// Retry-After at once instead of queueing into a time-out. Answers from memory (the directory,
// search, badges, cards, kept pages) are not limited. Zero fields take their defaults.
type Limits struct {
	// StoreSlots is how many such requests read the store at once; default the store's
	// connections less one kept for the scheduled jobs: 3 on the embedded store (4 statements
	// at once), 9 on a server (clickhouse-go's default pool of 10). Negative: no bound.
	StoreSlots int
	// QueueWait is how long a request waits for a free slot before its 429; default 1s.
	QueueWait time.Duration
	// Rate is how many such requests one client address (an IPv6 /64) may make a second, on
	// average; default 2. Negative: no per-client limit.
	Rate float64
	// Burst is how many a client may make at once above Rate; default 30.
	Burst int
	// Exports is how many research exports stream at once; default 2.
	Exports int
	// Clients is how many client addresses' rates are tracked; the least recently seen are
	// forgotten first (they start again with a full burst); default 10,000 (about 2 MB).
	Clients int
	// ClientHeader names the request header a reverse proxy in front of the site puts the
	// client's address in (X-Real-IP; or X-Forwarded-For, whose last address is the one the
	// proxy added); default "": the connection's address. Set it only behind such a proxy:
	// anyone else can write the header.
	ClientHeader string
}

// Default limits, as documented on Limits.
const (
	defaultQueueWait   = time.Second
	defaultRate        = 2
	defaultBurst       = 30
	defaultExports     = 2
	defaultClients     = 10000
	embeddedStoreConns = 4  // store.poolSize: statements the embedded store runs at once
	serverStoreConns   = 10 // clickhouse-go's default MaxOpenConns (MaxIdleConns 5 + 5)
	jobReserve         = 1  // connections left to the scheduled jobs
)

// withDefaults fills the zero fields for a store in mode m.
func (l Limits) withDefaults(m store.Mode) Limits {
	if l.StoreSlots == 0 {
		l.StoreSlots = embeddedStoreConns - jobReserve
		if m == store.Server {
			l.StoreSlots = serverStoreConns - jobReserve
		}
	}
	if l.QueueWait <= 0 {
		l.QueueWait = defaultQueueWait
	}
	if l.Rate == 0 {
		l.Rate = defaultRate
	}
	if l.Burst <= 0 {
		l.Burst = defaultBurst
	}
	if l.Exports <= 0 {
		l.Exports = defaultExports
	}
	if l.Clients <= 0 {
		l.Clients = defaultClients
	}
	return l
}

// Limiter enforces Limits.
type Limiter struct {
	cfg     Limits
	slots   *semaphore.Weighted // nil: no bound
	exports *semaphore.Weighted
	inUse   atomic.Int64   // slots held, for /metrics
	clients *ClientBuckets // nil: no per-client limit
	m       *Metrics
}

// ClientBuckets is a token bucket per client address (its ClientKey). An LRU keeps its memory
// bounded whatever the number of addresses (one IPv6 client has billions); an address forgotten
// starts again with a full burst.
type ClientBuckets struct {
	every rate.Limit
	burst int
	cache *lru.Cache[string, *rate.Limiter]
}

// NewClientBuckets keeps a bucket of burst tokens, refilled every per second, for each of up to clients addresses.
func NewClientBuckets(every rate.Limit, burst, clients int) *ClientBuckets {
	cache, _ := lru.New[string, *rate.Limiter](clients) // errors only on a size <= 0
	return &ClientBuckets{every: every, burst: burst, cache: cache}
}

// Take takes one token from key's bucket: 0 when it had one, else how long until it will
// (and then nothing is taken).
func (b *ClientBuckets) Take(key string) time.Duration {
	lim, ok := b.cache.Get(key)
	if !ok {
		lim = rate.NewLimiter(b.every, b.burst)
		if prev, found, _ := b.cache.PeekOrAdd(key, lim); found {
			lim = prev
		}
	}
	now := time.Now()
	r := lim.ReserveN(now, 1)
	d := r.DelayFrom(now)
	if d > 0 {
		r.CancelAt(now) // refused: it takes no token
	}
	return d
}

func newLimiter(l Limits, s *store.Store, m *Metrics) *Limiter {
	mode := store.Embedded
	if s != nil {
		mode = s.Mode()
	}
	l = l.withDefaults(mode)
	lm := &Limiter{cfg: l, exports: semaphore.NewWeighted(int64(l.Exports)), m: m}
	if l.StoreSlots > 0 {
		lm.slots = semaphore.NewWeighted(int64(l.StoreSlots))
	}
	if l.Rate > 0 {
		lm.clients = NewClientBuckets(rate.Limit(l.Rate), l.Burst, l.Clients)
	}
	return lm
}

// Config is the limits at work, their defaults filled in.
func (l *Limiter) Config() Limits { return l.cfg }

// Tokens is how many store-querying requests client address addr may make at once now, if its
// rate is tracked (it has made one since the least recently seen were forgotten).
func (l *Limiter) Tokens(addr string) (float64, bool) {
	if l.clients == nil {
		return 0, false
	}
	lim, ok := l.clients.cache.Peek(ClientKey(addr))
	if !ok {
		return 0, false
	}
	return lim.Tokens(), true
}

// limitError is a 429 and how long the client should wait before asking again.
type limitError struct {
	we    *Error
	after time.Duration
}

func (e *limitError) Error() string { return e.we.Message }
func (e *limitError) Unwrap() error { return e.we }

// RetryAfterSeconds is a Retry-After value: whole seconds, at least one.
func RetryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}

// RetryAfter is the Retry-After of err when it is a 429 of the limits (from a Limiter's check or
// a handler that made one), so that every such answer says when to come back.
func RetryAfter(err error) (string, bool) {
	var le *limitError
	if !errors.As(err, &le) {
		return "", false
	}
	return RetryAfterSeconds(le.after), true
}

// Why a request was limited, for the 429's code and /metrics.
const (
	limitBusy    = iota // every store slot taken for QueueWait
	limitRate           // the client is over its rate
	limitExports        // every export slot taken
	limitReasons
)

var limitReasonNames = [limitReasons]string{"busy", "rate", "exports"}

// Charge counts one store-querying request against the client's rate: a limitError when the
// client is over it.
func (l *Limiter) Charge(c *fiber.Ctx) error {
	if l.clients == nil {
		return nil
	}
	d := l.clients.Take(ClientKey(l.ClientAddr(c)))
	if d == 0 {
		return nil
	}
	l.m.limited(limitRate)
	return &limitError{we: &Error{Status: fiber.StatusTooManyRequests, Code: "rate_limited",
		Message: "Too many requests from your address for pages read from the database; try again in " + RetryAfterSeconds(d) + " s."}, after: d}
}

// ClientAddr is the request's client address: the connection's, or the last one in
// ClientHeader when it is set and the request has it.
func (l *Limiter) ClientAddr(c *fiber.Ctx) string {
	if l.cfg.ClientHeader != "" {
		if v := c.Get(l.cfg.ClientHeader); v != "" {
			return strings.TrimSpace(v[strings.LastIndexByte(v, ',')+1:])
		}
	}
	return c.IP()
}

// ClientKey is the key of a client address's bucket: the address, or its /64 for IPv6 (one
// host often holds a whole /64).
func ClientKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	if addr = addr.Unmap(); addr.Is6() {
		if p, err := addr.Prefix(64); err == nil {
			return p.String()
		}
	}
	return addr.String()
}

// Acquire takes a store slot, waiting up to QueueWait for one: a limitError when none frees.
// The slot is held until release is called.
func (l *Limiter) Acquire(ctx context.Context) (release func(), err error) {
	if l.slots == nil {
		return func() {}, nil
	}
	if !l.slots.TryAcquire(1) {
		wctx, cancel := context.WithTimeout(ctx, l.cfg.QueueWait)
		err := l.slots.Acquire(wctx, 1)
		cancel()
		if err != nil {
			l.m.limited(limitBusy)
			return nil, &limitError{we: &Error{Status: fiber.StatusTooManyRequests, Code: "busy",
				Message: "The site is busy reading its database for other visitors; try again in a second."}, after: time.Second}
		}
	}
	l.inUse.Add(1)
	var once atomic.Bool
	return func() {
		if once.CompareAndSwap(false, true) {
			l.inUse.Add(-1)
			l.slots.Release(1)
		}
	}, nil
}

// ExportSlot takes one of the export slots, without waiting (an export holds it for minutes).
func (l *Limiter) ExportSlot() (release func(), err error) {
	if !l.exports.TryAcquire(1) {
		l.m.limited(limitExports)
		return nil, &limitError{we: &Error{Status: fiber.StatusTooManyRequests, Code: "busy",
			Message: "The most research exports this site streams at once (" + strconv.Itoa(l.cfg.Exports) + ") are running; try again in a minute."}, after: time.Minute}
	}
	var once atomic.Bool
	return func() {
		if once.CompareAndSwap(false, true) {
			l.exports.Release(1)
		}
	}, nil
}
