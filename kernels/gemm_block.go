package kernels

import "sync"

// workspace holds the packed panels and an edge tile; pooled because the
// training loop calls small GEMMs thousands of times a second.
type workspace struct {
	a    [16 * kc]float32
	b    [kc * nc]float32
	tile [16 * nr]float32
}

var workspaces = sync.Pool{New: func() any { return new(workspace) }}

// gemmBlock computes region r of C.
func gemmBlock(p Impl, g *gemmArgs, r region) {
	ws := workspaces.Get().(*workspace)
	defer workspaces.Put(ws)
	mr := microRows(p)
	for jc := r.j0; jc < r.j1; jc += nc {
		nb := min(nc, r.j1-jc)
		for pc := 0; pc < g.k; pc += kc {
			kb := min(kc, g.k-pc)
			packB(ws.b[:], g, pc, kb, jc, nb)
			beta := g.beta
			if pc > 0 {
				beta = 1 // later K blocks accumulate onto the first
			}
			for ic := r.i0; ic < r.i1; ic += mr {
				mb := min(mr, r.i1-ic)
				packA(ws.a[:], g, ic, mb, mr, pc, kb)
				rowOfTiles(p, g, ws, ic, mb, mr, jc, nb, kb, beta)
			}
		}
	}
}

// rowOfTiles runs the micro-kernel across one packed A micro-panel.
func rowOfTiles(p Impl, g *gemmArgs, ws *workspace, ic, mb, mr, jc, nb, kb int, beta float32) {
	for jr := 0; jr < nb; jr += nr {
		cols := min(nr, nb-jr)
		bp := ws.b[jr*kb : jr*kb+kb*nr]
		off := ic*g.ldc + jc + jr
		if mb == mr && cols == nr {
			microKernel(p, kb, ws.a[:], bp, g.c[off:], g.ldc, g.alpha, beta)
			continue
		}
		// Edge tile: compute the full tile aside, then merge with the same
		// two products and one add as the kernel's own epilogue.
		microKernel(p, kb, ws.a[:], bp, ws.tile[:], nr, 1, 0)
		mergeTile(g.c[off:], g.ldc, ws.tile[:], mb, cols, g.alpha, beta)
	}
}

func mergeTile(c []float32, ldc int, t []float32, rows, cols int, alpha, beta float32) {
	for i := 0; i < rows; i++ {
		ci, ti := c[i*ldc:i*ldc+cols], t[i*nr:i*nr+cols]
		for j, v := range ti {
			if beta == 0 {
				ci[j] = float32(alpha * v)
			} else {
				ci[j] = float32(alpha*v) + float32(beta*ci[j])
			}
		}
	}
}

// packA writes op(A)[ic:ic+mb, pc:pc+kb] k-major: dst[kk*mr+r], rows past mb
// zero.
func packA(dst []float32, g *gemmArgs, ic, mb, mr, pc, kb int) {
	dst = dst[:kb*mr]
	if mb < mr {
		clear(dst)
	}
	if g.transA {
		for kk := 0; kk < kb; kk++ {
			src := g.a[(pc+kk)*g.lda+ic:]
			copy(dst[kk*mr:kk*mr+mb], src[:mb])
		}
		return
	}
	for r := 0; r < mb; r++ {
		row := g.a[(ic+r)*g.lda+pc:]
		row = row[:kb]
		for kk, v := range row {
			dst[kk*mr+r] = v
		}
	}
}

// packB writes op(B)[pc:pc+kb, jc:jc+nb] as nr-wide panels, each k-major:
// panel q holds dst[q*kb*nr + kk*nr + j]; columns past nb are zero.
func packB(dst []float32, g *gemmArgs, pc, kb, jc, nb int) {
	for q := 0; q*nr < nb; q++ {
		panel := dst[q*kb*nr : (q+1)*kb*nr]
		cols := min(nr, nb-q*nr)
		if cols < nr {
			clear(panel)
		}
		j0 := jc + q*nr
		if g.transB {
			for j := 0; j < cols; j++ {
				col := g.b[(j0+j)*g.ldb+pc:]
				col = col[:kb]
				for kk, v := range col {
					panel[kk*nr+j] = v
				}
			}
			continue
		}
		for kk := 0; kk < kb; kk++ {
			copy(panel[kk*nr:kk*nr+cols], g.b[(pc+kk)*g.ldb+j0:])
		}
	}
}

// microKernel is C[0:mr, 0:nr] = alpha·Σₖ a[k]⊗b[k] + beta·C with a and b
// packed k-major; beta == 0 does not read C.
func microKernel(p Impl, k int, a, b, c []float32, ldc int, alpha, beta float32) {
	if microKernelAsm(p, k, a, b, c, ldc, alpha, beta) {
		return
	}
	microKernelGeneric(k, a, b, c, ldc, alpha, beta)
}

// microKernelGeneric is the 4×16 reference micro-kernel.
func microKernelGeneric(k int, a, b, c []float32, ldc int, alpha, beta float32) {
	var acc [4][nr]float32
	for kk := 0; kk < k; kk++ {
		bk := (*[nr]float32)(b[kk*nr:])
		for r := range acc {
			ar := a[kk*4+r]
			for j, bv := range bk {
				acc[r][j] += ar * bv
			}
		}
	}
	for r := range acc {
		ci := c[r*ldc : r*ldc+nr]
		for j, v := range acc[r] {
			if beta == 0 {
				ci[j] = float32(alpha * v)
			} else {
				ci[j] = float32(alpha*v) + float32(beta*ci[j])
			}
		}
	}
}
