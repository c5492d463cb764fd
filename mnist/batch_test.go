package mnist

import (
	"fmt"
	"slices"
	"testing"
)

// tinySet has n ≤ 256 examples, each one's id in its first pixel, to
// follow it, and in its last, to see the whole row was normalized.
func tinySet(n int) *Set {
	s := &Set{Raw: make([]byte, n*Pixels), Labels: make([]int32, n)}
	for i := 0; i < n; i++ {
		s.Raw[i*Pixels] = byte(i)
		s.Raw[(i+1)*Pixels-1] = byte(i)
		s.Labels[i] = int32(i % Classes)
	}
	return s
}

// idOf is the example id in a normalized row of tinySet.
func idOf(row []float32) int {
	for p := range 256 {
		if v := float32((float64(p)/255 - Mean) / Std); row[0] == v && row[Pixels-1] == v {
			return p
		}
	}
	panic("row is not a tinySet example")
}

// seen returns the example ids of one epoch in batch order.
func seen(b *Batcher) []int {
	var ids []int
	for i := 0; i < b.Len(); i++ {
		x, y := b.Batch(i)
		for r := range y {
			id := idOf(x[r*Pixels : (r+1)*Pixels])
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
	for threads := 1; threads <= 3; threads++ {
		b := NewBatcher(tinySet(25), 20, 1, false)
		b.Threads = threads
		ids := seen(b)
		for i, id := range ids {
			if id != i || len(ids) != 25 {
				t.Fatalf("threads %d: unshuffled order %v", threads, ids)
			}
		}
	}
	if h := tinySet(25).Head(5); h.Len() != 5 || h.Raw[4*Pixels] != 4 {
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

// BenchmarkBatch times gathering shuffled batches of 64 from the real
// training set (the rows scattered over it, as training reads them) and
// normalizing the test set in batches of 1000, at 1 and 2 threads:
// go test -run '^$' -bench Batch ./mnist
func BenchmarkBatch(b *testing.B) {
	dir, canonical, err := Locate("")
	if err != nil {
		b.Skip(err)
	}
	train, test, err := Load(dir, canonical)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		set     *Set
		size    int
		shuffle bool
	}{{"shuffled-64", train, 64, true}, {"in-order-1000", test, 1000, false}} {
		for threads := 1; threads <= 2; threads++ {
			b.Run(fmt.Sprintf("%s/threads=%d", c.name, threads), func(b *testing.B) {
				batches := NewBatcher(c.set, c.size, 1, c.shuffle)
				batches.Threads = threads
				i := 0
				for b.Loop() {
					batches.Batch(i % batches.Len())
					i++
				}
			})
		}
	}
}
