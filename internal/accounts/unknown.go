package accounts

import (
	"sync"
	"time"
)

// maxUnknownNames bounds how many usernames without an account a node
// remembers failed logins for.
const maxUnknownNames = 100_000

// unknownLogins counts failed logins for usernames that have no account,
// so such a name locks after the same failures and for the same time as a
// real account: the answer "locked" then says nothing about whether an
// account exists. Counts live in memory on each node. Entries idle for
// longer than the longest lock are dropped first when the table is full; if
// it is still full, it starts afresh (the per-address login throttle still
// applies).
type unknownLogins struct {
	max  int
	idle time.Duration

	mu     sync.Mutex
	byName map[string]*unknownLogin
}

type unknownLogin struct {
	failures    int
	lockedUntil time.Time
	last        time.Time
}

func newUnknownLogins(size int, idle time.Duration) *unknownLogins {
	return &unknownLogins{max: size, idle: idle, byName: map[string]*unknownLogin{}}
}

// locked returns how much longer name is locked, or 0.
func (u *unknownLogins) locked(name string, now time.Time) time.Duration {
	u.mu.Lock()
	defer u.mu.Unlock()
	if e, ok := u.byName[name]; ok && now.Before(e.lockedUntil) {
		return e.lockedUntil.Sub(now)
	}
	return 0
}

// fail counts a failed login for name and locks it for lockFor(failures).
func (u *unknownLogins) fail(name string, now time.Time, lockFor func(int) time.Duration) {
	u.mu.Lock()
	defer u.mu.Unlock()
	e, ok := u.byName[name]
	if !ok {
		if len(u.byName) >= u.max {
			u.evict(now)
		}
		e = &unknownLogin{}
		u.byName[name] = e
	}
	e.failures++
	e.last = now
	if d := lockFor(e.failures); d > 0 {
		e.lockedUntil = now.Add(d)
	}
}

func (u *unknownLogins) evict(now time.Time) {
	for name, e := range u.byName {
		if now.Sub(e.last) > u.idle && !now.Before(e.lockedUntil) {
			delete(u.byName, name)
		}
	}
	if len(u.byName) >= u.max {
		clear(u.byName)
	}
}
