package accounts

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/fprlink/fprlink/internal/clock"
)

// Bounds of the limiter's table.
const (
	// maxTrackedIPs caps its memory under a flood from many addresses.
	// Past it, addresses whose bucket has refilled are forgotten (they
	// would start full anyway); when none has, new addresses share one
	// overflow bucket, so the service degrades to a global limit rather
	// than to no limit or to unbounded memory.
	maxTrackedIPs = 10000
	overflowKey   = "*"
)

// IPLimiter is a token bucket per client address, read against the
// injected clock so tests can move time. The key is what the caller counts
// as one client, such as an IPv4 address or an IPv6 /64.
type IPLimiter struct {
	clock  clock.Clock
	every  rate.Limit
	burst  int
	refill time.Duration // how long an emptied bucket takes to be full

	mu        sync.Mutex
	byIP      map[string]*rate.Limiter
	lastPrune time.Time
}

// NewIPLimiter allows each IP burst requests at once and one more every
// interval.
func NewIPLimiter(clk clock.Clock, interval time.Duration, burst int) *IPLimiter {
	return &IPLimiter{clock: clk, every: rate.Every(interval), burst: burst,
		refill: interval * time.Duration(burst), byIP: map[string]*rate.Limiter{}}
}

// Allow takes a token for ip, or says how long until one is available.
func (l *IPLimiter) Allow(ip string) (bool, time.Duration) {
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.byIP[ip]
	if !ok {
		if len(l.byIP) >= maxTrackedIPs {
			l.prune(now)
		}
		if len(l.byIP) >= maxTrackedIPs {
			ip = overflowKey
			lim = l.byIP[ip]
		}
		if lim == nil {
			lim = rate.NewLimiter(l.every, l.burst)
			l.byIP[ip] = lim
		}
	}
	r := lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// prune forgets the addresses whose bucket is full again. A full table is
// scanned at most once per refill time, so that a flood of new addresses
// does not pay for a scan each: in between, they share the overflow
// bucket.
func (l *IPLimiter) prune(now time.Time) {
	if !l.lastPrune.IsZero() && now.Sub(l.lastPrune) < l.refill {
		return
	}
	l.lastPrune = now
	for ip, lim := range l.byIP {
		if lim.TokensAt(now) >= float64(l.burst) {
			delete(l.byIP, ip)
		}
	}
}
