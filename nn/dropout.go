package nn

import (
	"github.com/zofo/zofo/kernels"
	"github.com/zofo/zofo/kernels/rng"
)

// Dropout zeroes each value (or, per channel, each example's whole
// channel: Dropout2d) with probability ½ in training, scaling the kept
// ones by 2. The mask is 1 + z for a Rademacher direction keyed by the
// model's seed, this layer and the training step, so every loss evaluated
// in one step (a ZO step makes several) sees the same mask.
type Dropout struct {
	Size       int
	PerChannel bool
	C          int // channels, with PerChannel (NHWC: the fastest index)
	id         uint64
	model      *Sequential
	mask       []float32
	maskFor    [2]uint64 // the seed and noise stream mask was drawn for,
	maskRows   int       // and its rows (0: none)
	y, dx      []float32
}

func (d *Dropout) bind(m *Sequential, _ int) { d.model = m }

func (d *Dropout) outSize() int { return d.Size }

func (d *Dropout) forward(x []float32, rows int, train bool) []float32 {
	if !train {
		d.mask, d.maskRows = d.mask[:0], 0
		return x
	}
	n := rows * d.Size
	d.y = grow(d.y, n)
	d.draw(rows)
	kernels.Mul(d.y, x[:n], d.mask)
	return d.y
}

// draw sets mask to the step's 0-or-2 factors, unless it already holds
// them: every loss of a ZO step shares the mask, so only the first draws.
func (d *Dropout) draw(rows int) {
	of := [2]uint64{d.model.seed ^ d.id*0x9e3779b97f4a7c15, d.model.noise}
	if d.maskRows == rows && d.maskFor == of {
		return
	}
	d.mask, d.maskFor, d.maskRows = grow(d.mask, rows*d.Size), of, rows
	key := rng.NewKey(of[0], of[1])
	if !d.PerChannel {
		rng.Fill(rng.Rademacher, d.mask, key, 0)
	} else {
		d.spread(rows, key)
	}
	for i, m := range d.mask {
		d.mask[i] = m + 1 // ±1 → 0 or 2
	}
}

// spread draws one value per (example, channel) and repeats it over the
// example's pixels, in place from the last example down: example n's draws
// sit at or before its own slot, in slots not yet written.
func (d *Dropout) spread(rows int, key rng.Key) {
	rng.Fill(rng.Rademacher, d.mask[:rows*d.C], key, 0)
	draws := make([]float32, d.C)
	for n := rows - 1; n >= 0; n-- {
		copy(draws, d.mask[n*d.C:(n+1)*d.C])
		ex := d.mask[n*d.Size : (n+1)*d.Size]
		for p := 0; p < len(ex); p += d.C {
			copy(ex[p:p+d.C], draws)
		}
	}
}

func (d *Dropout) backward(dy []float32, rows int, needDX bool) []float32 {
	if !needDX || len(d.mask) == 0 {
		return dy
	}
	d.dx = grow(d.dx, len(d.mask))
	kernels.Mul(d.dx, dy[:len(d.mask)], d.mask)
	return d.dx
}
