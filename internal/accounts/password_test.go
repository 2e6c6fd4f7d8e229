package accounts

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
)

func TestHashAndVerify(t *testing.T) {
	h, err := hashPassword("a long passphrase", fastArgon)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q", h)
	}
	if !verifyPassword("a long passphrase", h) || verifyPassword("a long passphrasf", h) {
		t.Fatal("verify wrong")
	}
	h2, _ := hashPassword("a long passphrase", fastArgon)
	if h == h2 {
		t.Fatal("salt not random")
	}
	for name, bad := range map[string]string{
		"empty": "", "bcrypt": "$2a$10$abc", "huge memory": "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5",
		"wrong version": strings.Replace(h, "v=19", "v=16", 1), "bad base64": h[:len(h)-3] + "!!!",
	} {
		if verifyPassword("a long passphrase", bad) {
			t.Errorf("%s: verified", name)
		}
	}
}

func TestNormalizeUsername(t *testing.T) {
	good := map[string]string{" Alice ": "alice", "a.b-c_d": "a.b-c_d", "007": "007"}
	for in, want := range good {
		if got, err := NormalizeUsername(in); err != nil || got != want {
			t.Errorf("%q → %q %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "ab", ".alice", "alice!", "ålice", strings.Repeat("a", 33)} {
		if _, err := NormalizeUsername(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestIPLimiterForgetsFullBuckets(t *testing.T) {
	clk := clock.NewFake(testNow)
	l := NewIPLimiter(clk, time.Second, 1)
	for i := 0; i < maxTrackedIPs; i++ {
		l.Allow(string(rune(i)))
	}
	clk.Advance(time.Second)
	l.Allow("new")
	if len(l.byIP) != 1 {
		t.Fatalf("%d addresses tracked", len(l.byIP))
	}
}

// TestIPLimiterStaysBoundedUnderRotation: addresses that each empty their
// bucket and never return cannot grow the table past its cap; past it, new
// addresses share one bucket, so they stay limited, while the addresses
// already tracked keep their own.
func TestIPLimiterStaysBoundedUnderRotation(t *testing.T) {
	clk := clock.NewFake(testNow)
	l := NewIPLimiter(clk, time.Minute, 1)
	addr := func(i int) string { return fmt.Sprintf("2001:db8:%x:%x::/64", i>>16, i&0xffff) }
	for i := 0; i < 3*maxTrackedIPs; i++ {
		l.Allow(addr(i))
		if len(l.byIP) > maxTrackedIPs+1 {
			t.Fatalf("%d addresses tracked after %d", len(l.byIP), i+1)
		}
	}
	if ok, wait := l.Allow(addr(5 * maxTrackedIPs)); ok || wait <= 0 {
		t.Fatal("an address past the cap is not limited")
	}
	if ok, _ := l.Allow(addr(0)); ok {
		t.Fatal("a tracked address lost its bucket")
	}
	clk.Advance(time.Minute)
	if ok, _ := l.Allow(addr(5 * maxTrackedIPs)); !ok {
		t.Fatal("a new address is limited after the table refilled")
	}
	if len(l.byIP) != 1 {
		t.Fatalf("%d addresses tracked after the buckets refilled", len(l.byIP))
	}
}

func FuzzNormalizeUsername(f *testing.F) {
	for _, s := range []string{"alice", " A.B ", "", "-x", "ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := NormalizeUsername(s)
		if err != nil {
			return
		}
		again, err := NormalizeUsername(u)
		if err != nil || again != u || len(u) < 3 || len(u) > 32 {
			t.Fatalf("%q → %q not stable", s, u)
		}
	})
}

func FuzzCheckPassword(f *testing.F) {
	f.Add("alice", "correct horse battery")
	f.Add("bob", "short")
	f.Add("", "\xff\xfe invalid utf-8 xx")
	f.Fuzz(func(t *testing.T, user, pw string) {
		if CheckPassword(user, pw) == nil && len([]rune(pw)) < MinPasswordLen {
			t.Fatalf("short password %q accepted", pw)
		}
	})
}

func FuzzDecodeHash(f *testing.F) {
	h, _ := hashPassword("x", fastArgon)
	f.Add(h)
	f.Add("$argon2id$v=19$m=1,t=1,p=1$$")
	f.Fuzz(func(t *testing.T, s string) {
		p, _, _, ok := decodeHash(s)
		if ok && (p.MemoryKiB > 1<<20 || p.Time > 16) {
			t.Fatalf("accepted costly params %+v", p)
		}
	})
}
