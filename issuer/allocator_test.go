package issuer

import (
	"context"
	"errors"
	"testing"
)

func TestIndexPermutationIsBijective(t *testing.T) {
	for _, size := range []int{4, 5, 1000, 4096} {
		perm, err := NewIndexPermutation([]byte("0123456789abcdef"), size)
		if err != nil {
			t.Fatal(err)
		}
		seen := make(map[int]bool, size)
		for seq := range size {
			idx, err := perm.Index("list-1", seq)
			if err != nil || idx < 0 || idx >= size || seen[idx] {
				t.Fatalf("size %d seq %d: idx %d err %v (duplicate=%v)", size, seq, idx, err, seen[idx])
			}
			seen[idx] = true
		}
		if _, err := perm.Index("list-1", size); !errors.Is(err, ErrAllocatorFull) {
			t.Fatalf("seq beyond size: %v", err)
		}
	}
}

// Consecutive documents must not land in consecutive slots, and the order
// must depend on the key and the list.
func TestIndexPermutationHidesIssueOrder(t *testing.T) {
	a, _ := NewIndexPermutation([]byte("0123456789abcdef"), 1<<20)
	b, _ := NewIndexPermutation([]byte("fedcba9876543210"), 1<<20)
	adjacent, sameAsOtherKey, sameAsOtherList := 0, 0, 0
	prev, _ := a.Index("1", 0)
	for seq := 1; seq < 200; seq++ {
		x, _ := a.Index("1", seq)
		if d := x - prev; d == 1 || d == -1 {
			adjacent++
		}
		if y, _ := b.Index("1", seq); y == x {
			sameAsOtherKey++
		}
		if z, _ := a.Index("2", seq); z == x {
			sameAsOtherList++
		}
		prev = x
	}
	if adjacent > 2 || sameAsOtherKey > 2 || sameAsOtherList > 2 {
		t.Fatalf("indexes look ordered: adjacent=%d otherKey=%d otherList=%d", adjacent, sameAsOtherKey, sameAsOtherList)
	}
}

func TestMemoryAllocatorMovesToNextList(t *testing.T) {
	perm, _ := NewIndexPermutation([]byte("0123456789abcdef"), 4)
	alloc := NewMemoryAllocator(perm)
	seen := map[StatusSlot]bool{}
	for range 8 {
		s, err := alloc.Allocate(context.Background())
		if err != nil || seen[s] {
			t.Fatalf("slot %+v err %v", s, err)
		}
		seen[s] = true
	}
	if !seen[StatusSlot{ListID: "2", Index: 0}] && !seen[StatusSlot{ListID: "2", Index: 3}] {
		t.Fatalf("second list not used: %v", seen)
	}
	if _, err := NewIndexPermutation([]byte("short"), 10); !errors.Is(err, ErrConfig) {
		t.Fatalf("short key: %v", err)
	}
}
