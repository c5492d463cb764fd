package mnist

import (
	"github.com/zofo/zofo/internal/splitmix"
	"github.com/zofo/zofo/internal/team"
	"github.com/zofo/zofo/kernels"
)

// minRowsPerPart is the fewest rows worth a goroutine of their own: about
// a microsecond of gathering, as long as the hand-off.
const minRowsPerPart = 8

// Batcher serves normalized mini-batches of a set: shuffled per epoch for
// training, or in order (train.Evaluate normalizes its own smaller parts,
// and checks itself against these). The last batch of an epoch may be
// smaller.
type Batcher struct {
	set     *Set
	size    int
	seed    uint64
	shuffle bool
	order   []int32
	x       []float32
	y       []int32

	// Threads is how many goroutines gather a batch's rows (at least one).
	// A gather reads 64 rows scattered over the set, waiting on memory:
	// two cores wait in parallel, and each then holds half the batch.
	// In order they normalize parts of the batch.
	Threads int
}

// NewBatcher serves batches of size from set; with shuffle, epoch e's
// order depends only on (seed, e), so a resumed run sees the same batches.
func NewBatcher(set *Set, size int, seed uint64, shuffle bool) *Batcher {
	if size < 1 {
		panic("mnist: batch size < 1")
	}
	b := &Batcher{set: set, size: size, seed: seed, shuffle: shuffle,
		order: make([]int32, set.Len()), x: make([]float32, size*Pixels), y: make([]int32, size)}
	b.Epoch(0)
	return b
}

// Len is the number of batches in an epoch.
func (b *Batcher) Len() int { return (b.set.Len() + b.size - 1) / b.size }

// Epoch sets the order of epoch e (a no-op without shuffle).
func (b *Batcher) Epoch(e int) {
	for i := range b.order {
		b.order[i] = int32(i)
	}
	if !b.shuffle {
		return
	}
	// Fisher–Yates over a splitmix64 stream: fixed here, so the same seed
	// gives the same batches on every Go release (math/rand's Shuffle
	// makes no such promise).
	s := b.seed ^ uint64(e)*0xd1342543de82ef95
	for i := len(b.order) - 1; i > 0; i-- {
		j := int(splitmix.Next(&s) % uint64(i+1))
		b.order[i], b.order[j] = b.order[j], b.order[i]
	}
}

// Batch returns batch i of the current epoch: images (rows × Pixels),
// normalized, and labels, to be read only. The slices are reused by the
// next call.
func (b *Batcher) Batch(i int) (x []float32, y []int32) {
	lo := i * b.size
	hi := min(lo+b.size, len(b.order))
	if !b.shuffle {
		b.inParts(hi-lo, func(r0, r1 int) {
			Normalize(b.x[r0*Pixels:r1*Pixels], b.set.Raw[(lo+r0)*Pixels:(lo+r1)*Pixels])
		})
		return b.x[:(hi-lo)*Pixels], b.set.Labels[lo:hi]
	}
	rows := b.order[lo:hi]
	b.inParts(len(rows), func(r0, r1 int) {
		for r := r0; r < r1; r++ { // every row's misses at once
			kernels.Prefetch(b.image(rows[r]))
			b.y[r] = b.set.Labels[rows[r]]
		}
		for r := r0; r < r1; r++ {
			Normalize(b.x[r*Pixels:(r+1)*Pixels], b.image(rows[r]))
		}
	})
	return b.x[:len(rows)*Pixels], b.y[:len(rows)]
}

// image is example idx's pixel bytes.
func (b *Batcher) image(idx int32) []byte {
	return b.set.Raw[int(idx)*Pixels : (int(idx)+1)*Pixels]
}

// inParts runs part(r0, r1) over rows split among up to Threads
// goroutines, each given at least minRowsPerPart rows.
func (b *Batcher) inParts(rows int, part func(r0, r1 int)) {
	parts := max(min(b.Threads, rows/minRowsPerPart), 1)
	team.Parallel(parts, func(p int) { part(p*rows/parts, (p+1)*rows/parts) })
}
