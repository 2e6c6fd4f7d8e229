package relyingparties

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Limiter is a token bucket per relying party: Rate requests per second on
// average, bursts of up to Burst. Buckets live in memory per node, so a
// party may reach Rate × nodes in all; set Rate with that in mind.
type Limiter struct {
	rate  rate.Limit
	burst int
	clock clock.Clock

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

// NewLimiter returns a limiter; perSecond ≤ 0 disables limiting.
func NewLimiter(clk clock.Clock, perSecond float64, burst int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	r := rate.Limit(perSecond)
	if perSecond <= 0 {
		r = rate.Inf
	}
	return &Limiter{rate: r, burst: burst, clock: clk, buckets: map[string]*rate.Limiter{}}
}

// Allow takes a token from partyID's bucket or returns a rate-limited
// error saying when to retry.
func (l *Limiter) Allow(partyID string) error {
	l.mu.Lock()
	b, ok := l.buckets[partyID]
	if !ok {
		b = rate.NewLimiter(l.rate, l.burst)
		l.buckets[partyID] = b
	}
	l.mu.Unlock()
	now := l.clock.Now()
	r := b.ReserveN(now, 1)
	if !r.OK() {
		return errLimited(time.Second)
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return errLimited(d)
	}
	return nil
}

func errLimited(d time.Duration) error {
	return apperr.RateLimited("rate_limited", d,
		i18n.T("Too many verification requests for this API key; retry after the time in Retry-After.",
			"该 API 密钥的核验请求过多，请按响应中给出的等待时间稍后重试。"))
}
