package api

import (
	"net"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
)

// InquiryLimit is how often one client address may make an anonymous
// application inquiry: one every Every on average, up to Burst at once.
// The inquiry answers with personal data to whoever knows three facts, so
// guessing them must be slow.
type InquiryLimit struct {
	Every time.Duration
	Burst int
}

// DefaultInquiryLimit lets a person check a few applications, or retype a
// mistyped number, without waiting, and holds a guesser to ten a minute.
func DefaultInquiryLimit() InquiryLimit { return InquiryLimit{Every: 6 * time.Second, Burst: 5} }

// Bounds of the per-address table.
const (
	limiterSweepEvery = time.Minute
	// limiterMaxAddresses caps memory under a flood from many addresses;
	// past it, new addresses share one overflow bucket, so the service
	// degrades to a global limit rather than to no limit.
	limiterMaxAddresses = 1 << 16
	limiterOverflowKey  = "*"
)

// addressLimiter keeps one token bucket per client address. Time comes
// from the caller (the injected clock), so tests can step through it.
type addressLimiter struct {
	limit InquiryLimit

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newAddressLimiter(l InquiryLimit) *addressLimiter {
	if l.Every <= 0 || l.Burst <= 0 {
		l = DefaultInquiryLimit()
	}
	return &addressLimiter{limit: l, buckets: map[string]*bucket{}}
}

// wait takes a token for key at now and returns zero, or how long the
// caller must wait before a token is free (the token is then not taken).
func (l *addressLimiter) wait(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= limiterMaxAddresses {
			key = limiterOverflowKey
			b = l.buckets[key]
		}
		if b == nil {
			b = &bucket{lim: rate.NewLimiter(rate.Every(l.limit.Every), l.limit.Burst)}
			l.buckets[key] = b
		}
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d
	}
	return 0
}

// sweep forgets addresses idle long enough for their bucket to be full
// again: a full bucket behaves exactly like a new one, so nothing is lost.
func (l *addressLimiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < limiterSweepEvery {
		return
	}
	l.lastSweep = now
	refill := l.limit.Every * time.Duration(l.limit.Burst)
	for k, b := range l.buckets {
		if now.Sub(b.seen) > refill {
			delete(l.buckets, k)
		}
	}
}

// addressKey is the bucket of a client address. An IPv6 client usually
// holds a whole /64, so it is limited per /64 rather than per address.
func addressKey(ip string) string {
	parsed := net.ParseIP(ip)
	if parsed == nil {
		return ip
	}
	if v4 := parsed.To4(); v4 != nil {
		return v4.String()
	}
	return parsed.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

var msgTooManyInquiries = i18n.T(
	"Too many inquiries from your network. Wait a moment and try again.",
	"您所在网络的查询过于频繁，请稍后再试。")

// limitInquiries refuses an inquiry over the address's limit with 429 and
// Retry-After. It keys on the client address: the connection's, unless
// that is one of Deps.TrustedProxies, whose X-Forwarded-For then names the
// client. X-Forwarded-For from anyone else is ignored, since any client can
// write it.
func (h applicationsHandler) limitInquiries() gin.HandlerFunc {
	return func(c *gin.Context) {
		if d := h.limiter.wait(addressKey(c.ClientIP()), h.clock.Now()); d > 0 {
			h.fail(c, apperr.RateLimited("too_many_inquiries", d, msgTooManyInquiries))
			return
		}
		c.Next()
	}
}
