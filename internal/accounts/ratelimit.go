package accounts

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/fprlink/fprlink/internal/clock"
)

// maxTrackedIPs bounds the limiter's memory; beyond it, addresses whose
// bucket has refilled are forgotten (they would start full anyway).
const maxTrackedIPs = 10000

// IPLimiter is a token bucket per client IP address, read against the
// injected clock so tests can move time.
type IPLimiter struct {
	clock clock.Clock
	every rate.Limit
	burst int
	mu    sync.Mutex
	byIP  map[string]*rate.Limiter
}

// NewIPLimiter allows each IP burst requests at once and one more every
// interval.
func NewIPLimiter(clk clock.Clock, interval time.Duration, burst int) *IPLimiter {
	return &IPLimiter{clock: clk, every: rate.Every(interval), burst: burst, byIP: map[string]*rate.Limiter{}}
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
		lim = rate.NewLimiter(l.every, l.burst)
		l.byIP[ip] = lim
	}
	r := lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

func (l *IPLimiter) prune(now time.Time) {
	for ip, lim := range l.byIP {
		if lim.TokensAt(now) >= float64(l.burst) {
			delete(l.byIP, ip)
		}
	}
}
