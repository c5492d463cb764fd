package nn

import "github.com/zofo/zofo/kernels"

// A convolution of a single-channel input (the first layer of both CNNs)
// builds colsᵀ (K·K × pixels) instead of cols: row (ky, kx) of one output
// row is then a contiguous run of an input row, Wo floats copied at once
// instead of K floats per pixel, and the GEMMs read colsᵀ in place with the
// same k order (so the same bits) as through cols.

func (c *Conv2d) singleChannel() bool { return c.Cin == 1 }

// rowsT moves every output row's inputs between colsᵀ and x (see rowT),
// the examples split over the model's threads; for each element of x the
// kernel offsets still come in the same order, so adding gives the same bits.
func (c *Conv2d) rowsT(cols, x []float32, rows int, add bool) {
	ld := ldT(rows * c.Ho * c.Wo)
	forRows(c.model.Parallelism(), rows, c.K*c.K*c.Ho*c.Wo, func(r0, r1 int) {
		for k := 0; k < c.K*c.K; k++ {
			ky, kx := k/c.K, k%c.K
			for n := r0; n < r1; n++ {
				for oy := 0; oy < c.Ho; oy++ {
					at := k*ld + (n*c.Ho+oy)*c.Wo
					c.rowT(cols[at:at+c.Wo], x, n, oy+ky-c.Pad, kx-c.Pad, add)
				}
			}
		}
	})
}

// rowT moves one output row's inputs for a kernel offset between out and
// x: input row iy, columns ox+dx for ox < Wo, zeros (or nothing, adding)
// outside the image.
func (c *Conv2d) rowT(out, x []float32, n, iy, dx int, add bool) {
	if iy < 0 || iy >= c.H {
		if !add {
			clear(out)
		}
		return
	}
	lo, hi := max(0, -dx), min(c.Wo, c.W-dx) // the ox whose input is inside
	if lo >= hi {
		if !add {
			clear(out)
		}
		return
	}
	src := x[(n*c.H+iy)*c.W+lo+dx : (n*c.H+iy)*c.W+hi+dx]
	if add {
		kernels.Add(src, src, out[lo:hi])
		return
	}
	clear(out[:lo])
	copy(out[lo:hi], src)
	clear(out[hi:])
}

// ldT is colsᵀ's row stride for pix output pixels: pix, unless that puts
// every row in one L1 set (a multiple of 4 KiB, as 64 or 128 MNIST images
// make it), which keeps the GEMMs from reading colsᵀ in place: they then
// packed it, a copy as large as colsᵀ on every forward.
func ldT(pix int) int {
	if pix%1024 == 0 {
		return pix + 16
	}
	return pix
}

// forwardT is Y = colsᵀᵀ·W for a single-channel input, colsᵀ built
// first if the input is fresh.
func (c *Conv2d) forwardT(x []float32, rows int, y []float32) {
	p, kk, pix := c.model.params, c.K*c.K, rows*c.Ho*c.Wo
	c.buildCols(x, rows)
	kernels.GemmParallel(c.model.Threads, true, false, pix, c.Cout, kk, 1, c.cols, ldT(pix), p.View(c.w), c.Cout, 0, y, c.Cout)
}
