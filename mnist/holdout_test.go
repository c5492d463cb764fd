package mnist

import (
	"bytes"
	"slices"
	"testing"
)

// numbered is a set whose example i has every pixel and its label equal
// to i mod 251 and i: each example is recognizable after a split.
func numbered(n int) *Set {
	s := &Set{Raw: make([]byte, n*Pixels), Labels: make([]int32, n)}
	for i := range n {
		for p := range Pixels {
			s.Raw[i*Pixels+p] = byte(i % 251)
		}
		s.Labels[i] = int32(i)
	}
	return s
}

func TestHoldoutPartitionsTheSet(t *testing.T) {
	s := numbered(1000)
	kept, held, err := s.Holdout(300)
	if err != nil {
		t.Fatal(err)
	}
	if kept.Len() != 700 || held.Len() != 300 {
		t.Fatalf("kept %d, held %d: want 700, 300", kept.Len(), held.Len())
	}
	seen := make([]bool, 1000)
	for _, part := range []*Set{kept, held} {
		for k, l := range part.Labels {
			if seen[l] {
				t.Fatalf("example %d in both parts", l)
			}
			seen[l] = true
			if k > 0 && part.Labels[k-1] >= l {
				t.Fatalf("examples out of order: %d before %d", part.Labels[k-1], l)
			}
			img := part.Raw[k*Pixels : (k+1)*Pixels]
			if !bytes.Equal(img, s.Raw[int(l)*Pixels:(int(l)+1)*Pixels]) {
				t.Fatalf("example %d's pixels not carried with its label", l)
			}
		}
	}
	inFirstHalf := 0
	for _, l := range held.Labels {
		if l < 500 {
			inFirstHalf++
		}
	}
	if inFirstHalf < 100 || inFirstHalf > 200 { // a shuffle, not the head or the tail
		t.Fatalf("%d of 300 held-out examples in the first half: not a shuffle", inFirstHalf)
	}
}

func TestHoldoutIsFixed(t *testing.T) {
	_, a, _ := numbered(1000).Holdout(50)
	_, b, _ := numbered(1000).Holdout(50)
	if !slices.Equal(a.Labels, b.Labels) {
		t.Fatal("two holdouts of the same set differ")
	}
	_, all, _ := numbered(1000).Holdout(999)
	if all.Len() != 999 {
		t.Fatalf("held %d, want 999", all.Len())
	}
	for _, n := range []int{-1, 1000, 5000} {
		if _, _, err := numbered(1000).Holdout(n); err == nil {
			t.Errorf("Holdout(%d) of 1000: no error", n)
		}
	}
}
