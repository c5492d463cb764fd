package mnist

import (
	"slices"
	"testing"
)

func tinySet(n int) *Set {
	s := &Set{Images: make([]float32, n*Pixels), Labels: make([]int32, n)}
	for i := 0; i < n; i++ {
		s.Images[i*Pixels] = float32(i) // the example's id, to follow it
		s.Labels[i] = int32(i % Classes)
	}
	return s
}

// seen returns the example ids of one epoch in batch order.
func seen(b *Batcher) []int {
	var ids []int
	for i := 0; i < b.Len(); i++ {
		x, y := b.Batch(i)
		for r := range y {
			id := int(x[r*Pixels])
			if y[r] != int32(id%Classes) {
				panic("label does not follow its image")
			}
			ids = append(ids, id)
		}
	}
	return ids
}

func TestBatcherCoversEachExampleOnce(t *testing.T) {
	set := tinySet(130)
	b := NewBatcher(set, 64, 7, true)
	if b.Len() != 3 {
		t.Fatalf("Len = %d, want 3 (the last batch partial)", b.Len())
	}
	if _, y := b.Batch(2); len(y) != 2 {
		t.Errorf("last batch has %d examples, want 2", len(y))
	}
	e0 := seen(b)
	sorted := slices.Sorted(slices.Values(e0))
	for i, id := range sorted {
		if id != i {
			t.Fatalf("epoch order is not a permutation: %v", sorted)
		}
	}
	b.Epoch(1)
	e1 := seen(b)
	if slices.Equal(e0, e1) {
		t.Error("epochs 0 and 1 have the same order")
	}
	again := NewBatcher(set, 64, 7, true)
	again.Epoch(1)
	if !slices.Equal(e1, seen(again)) {
		t.Error("same seed and epoch, different order")
	}
}

func TestBatcherInOrder(t *testing.T) {
	ids := seen(NewBatcher(tinySet(25), 10, 1, false))
	for i, id := range ids {
		if id != i {
			t.Fatalf("unshuffled order %v", ids)
		}
	}
	if h := tinySet(25).Head(5); h.Len() != 5 || h.Images[4*Pixels] != 4 {
		t.Errorf("Head(5) = %d examples", h.Len())
	}
}

// Gathering on several goroutines gives the same batches.
func TestBatcherThreadsSameBatches(t *testing.T) {
	set := tinySet(200)
	want := seen(NewBatcher(set, 64, 3, true))
	for threads := 2; threads <= 9; threads++ {
		b := NewBatcher(set, 64, 3, true)
		b.Threads = threads
		if got := seen(b); !slices.Equal(got, want) {
			t.Fatalf("threads %d: order %v, want %v", threads, got, want)
		}
	}
}
