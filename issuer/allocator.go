package issuer

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/bits"
	"regexp"
	"strconv"
	"sync"
)

// reListID keeps list ids safe to put in a URI path segment.
var reListID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// feistelRounds is well above the three or four rounds a Feistel network
// needs to be a pseudorandom permutation; rounds are cheap here.
const feistelRounds = 8

// IndexPermutation maps the n-th document of a status list to a slot that
// cannot be told from issue order without the key: a keyed Feistel
// permutation over the next power of four, with cycle walking down to the
// list size. Because it is a bijection, distinct sequence numbers never
// collide, so the store only needs a per-list counter. Herd privacy in the
// IETF Token Status List draft depends on indexes not being guessable.
type IndexPermutation struct {
	key      []byte
	size     int
	halfBits uint
}

// NewIndexPermutation returns a permutation of [0, size) keyed by key, which
// must hold at least 16 secret bytes and stay fixed for the life of a list.
func NewIndexPermutation(key []byte, size int) (*IndexPermutation, error) {
	if len(key) < 16 || size < 4 || size > 1<<30 {
		return nil, fmt.Errorf("%w: permutation key ≥ 16 bytes and 4 ≤ size ≤ 2^30", ErrConfig)
	}
	half := uint(bits.Len(uint(size-1))+1) / 2
	return &IndexPermutation{key: append([]byte(nil), key...), size: size, halfBits: half}, nil
}

// Size returns the number of entries per list.
func (p *IndexPermutation) Size() int { return p.size }

// Index returns the slot of the seq-th document (0-based) of list listID.
func (p *IndexPermutation) Index(listID string, seq int) (int, error) {
	if seq < 0 || seq >= p.size {
		return 0, ErrAllocatorFull
	}
	mac := hmac.New(sha256.New, p.key)
	x := uint64(seq)
	// Cycle walking: the domain is < 4·size, so on average fewer than four
	// passes land inside [0, size).
	for {
		x = p.encrypt(mac, listID, x)
		if x < uint64(p.size) {
			return int(x), nil
		}
	}
}

func (p *IndexPermutation) encrypt(mac hashWriter, listID string, x uint64) uint64 {
	mask := uint64(1)<<p.halfBits - 1
	l, r := x>>p.halfBits, x&mask
	var buf [8]byte
	for round := range feistelRounds {
		mac.Reset()
		binary.BigEndian.PutUint64(buf[:], uint64(round)<<56|r)
		_, _ = mac.Write([]byte(listID))
		_, _ = mac.Write(buf[:])
		sum := mac.Sum(nil)
		f := binary.BigEndian.Uint64(sum[:8]) & mask
		l, r = r, l^f
	}
	return l<<p.halfBits | r
}

type hashWriter interface {
	Reset()
	Write([]byte) (int, error)
	Sum([]byte) []byte
}

// MemoryAllocator allocates slots in memory, filling lists "1", "2", … in
// permuted order. It serves tests and single-process tools; a service backs
// Allocator with its database (a per-list counter plus IndexPermutation).
type MemoryAllocator struct {
	perm *IndexPermutation

	mu     sync.Mutex
	listNo int
	seq    int
}

// NewMemoryAllocator returns an allocator over lists of perm.Size() entries.
func NewMemoryAllocator(perm *IndexPermutation) *MemoryAllocator {
	return &MemoryAllocator{perm: perm, listNo: 1}
}

// Allocate returns the next slot.
func (a *MemoryAllocator) Allocate(_ context.Context) (StatusSlot, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.seq == a.perm.Size() {
		a.listNo, a.seq = a.listNo+1, 0
	}
	id := strconv.Itoa(a.listNo)
	idx, err := a.perm.Index(id, a.seq)
	if err != nil {
		return StatusSlot{}, err
	}
	a.seq++
	return StatusSlot{ListID: id, Index: idx}, nil
}
