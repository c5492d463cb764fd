package team

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Parallel runs every part exactly once, for any number of parts, from
// several callers at once, and when called from inside a part (a worker
// then offered its own task takes it back instead of waiting on itself).
func TestParallel(t *testing.T) {
	var wg sync.WaitGroup
	for caller := 0; caller < 4; caller++ {
		wg.Go(func() {
			for parts := 0; parts <= 9; parts++ {
				for round := 0; round < 50; round++ {
					counts := make([]atomic.Int32, parts)
					var inner atomic.Int32
					Parallel(parts, func(i int) {
						counts[i].Add(1)
						if i == parts-1 && round%10 == 0 {
							Parallel(3, func(int) { inner.Add(1) })
						}
					})
					for i := range counts {
						if n := counts[i].Load(); n != 1 {
							t.Errorf("parts=%d: part %d ran %d times", parts, i, n)
						}
					}
					if parts > 0 && round%10 == 0 && inner.Load() != 3 {
						t.Errorf("parts=%d: nested call ran %d parts, want 3", parts, inner.Load())
					}
				}
			}
		})
	}
	wg.Wait()
	// Idle workers park after spinFor and still wake for the next call.
	time.Sleep(3 * spinFor)
	var ran atomic.Int32
	Parallel(2, func(int) { ran.Add(1) })
	if ran.Load() != 2 {
		t.Errorf("after the workers parked: %d parts ran, want 2", ran.Load())
	}
}
