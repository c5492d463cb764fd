package nn

import "github.com/zofo/zofo/internal/team"

// minParallelFloats is the least work (floats moved) worth a second
// goroutine: a few microseconds, several times the hand-off.
const minParallelFloats = 1 << 15

// forRows runs f over examples [0, rows) in up to threads contiguous
// ranges at once. The passes that use it treat each example on its own
// and write only its outputs, so the result is the same bits however the
// rows are split: --threads changes speed, never numbers.
func forRows(threads, rows, floatsPerRow int, f func(r0, r1 int)) {
	parts := min(threads, rows, rows*floatsPerRow/minParallelFloats)
	if parts < 2 {
		f(0, rows)
		return
	}
	team.Parallel(parts, func(i int) { f(rows*i/parts, rows*(i+1)/parts) })
}
