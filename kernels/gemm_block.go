package kernels

import (
	"sync"

	"github.com/zofo/zofo/internal/roundf"
)

// workspace holds the packed panels and an edge tile; pooled because the
// training loop calls small GEMMs thousands of times a second.
type workspace struct {
	a     [16 * kc]float32
	b     [kc * nc]float32
	bEdge [kc * nr]float32
	tile  [16 * nr]float32
}

var workspaces = sync.Pool{New: func() any { return new(workspace) }}

// operand is where a micro-kernel reads A or B: data[0] is the tile's
// element (0, 0) and step the distance between consecutive k, or, for A
// read in place row-major, between consecutive rows.
type operand struct {
	data     []float32
	step     int
	rowMajor bool
}

// inPlace reports whether a matrix with leading dimension ld can be read
// without packing: not on the generic path, and not when rows are a
// multiple of 4 KiB apart (they would all fall in one L1 set).
func inPlace(p Impl, ld int) bool { return hasStridedKernels(p) && ld%1024 != 0 }

// blockJob is one kc×nc block of one region: the state rowOfTiles shares.
type blockJob struct {
	p              Impl
	g              *gemmArgs
	ws             *workspace
	mr             int
	aDirect        bool
	bDirect        bool
	pc, kb, jc, nb int
	beta           float32
	edgePacked     bool // ws.bEdge holds this block's partial B panel
}

// gemmBlock computes region r of C.
func gemmBlock(p Impl, g *gemmArgs, r region) {
	ws := workspaces.Get().(*workspace)
	defer workspaces.Put(ws)
	if narrow(p, g, r) {
		gemmNarrow(p, g, r, ws)
		return
	}
	gemmTiles(p, g, r, ws)
}

// gemmTiles computes region r of C in mr×16 tiles.
func gemmTiles(p Impl, g *gemmArgs, r region, ws *workspace) {
	j := blockJob{p: p, g: g, ws: ws, mr: microRows(p), aDirect: inPlace(p, g.lda),
		bDirect: !g.transB && inPlace(p, g.ldb)}
	for j.jc = r.j0; j.jc < r.j1; j.jc += nc {
		j.nb = min(nc, r.j1-j.jc)
		for j.pc = 0; j.pc < g.k; j.pc += kc {
			j.kb = min(kc, g.k-j.pc)
			j.edgePacked = false
			if !j.bDirect {
				packB(ws.b[:], g, j.pc, j.kb, j.jc, j.nb)
			}
			j.beta = g.beta
			if j.pc > 0 {
				j.beta = 1 // later K blocks accumulate onto the first
			}
			for ic := r.i0; ic < r.i1; ic += j.mr {
				j.rowOfTiles(ic, min(j.mr, r.i1-ic))
			}
		}
	}
}

// narrow reports whether region r runs on the transposed micro-kernels:
// C as wide as one of them (10 or 20 columns fill 10 or 20 of the 16 or
// 32 lanes of the usual tiles), the whole width in r, and B read in
// place: MyNetPlus's weight gradients, and the classifiers with 10
// outputs.
func narrow(p Impl, g *gemmArgs, r region) bool {
	return hasNarrowKernel(p, g.n) && r.j0 == 0 && r.j1 == g.n && !g.transB
}

// gemmNarrow computes rows [r.i0, r.i1) of C sixteen at a time, in the
// same K blocks as the tiles (beta 1 after the first), each block from a
// k-major 16-row panel of op(A): Aᵀ itself when it is given and can be
// read in place, else packed.
func gemmNarrow(p Impl, g *gemmArgs, r region, ws *workspace) {
	for pc := 0; pc < g.k; pc += kc {
		kb, beta := min(kc, g.k-pc), g.beta
		if pc > 0 {
			beta = 1
		}
		for ic := r.i0; ic < r.i1; ic += 16 {
			mb := min(16, r.i1-ic)
			a, as := ws.a[:kb*16], 16
			if g.transA && inPlace(p, g.lda) {
				a, as = g.a[pc*g.lda+ic:], g.lda
			} else {
				packA(ws.a[:], g, ic, mb, 16, pc, kb)
			}
			narrowKernelAsm(p, g.n, kb, a, as, g.b[pc*g.ldb:], g.ldb, g.c[ic*g.ldc:], g.ldc, g.alpha, beta, mb)
		}
	}
}

// rowOfTiles runs the micro-kernel across the block's columns for rows
// [ic, ic+mb).
func (j *blockJob) rowOfTiles(ic, mb int) {
	g, ws := j.g, j.ws
	full := mb == j.mr
	a := j.aOperand(ic, mb)
	for jr := 0; jr < j.nb; jr += nr {
		cols := min(nr, j.nb-jr)
		b := j.bOperand(jr, cols)
		off := ic*g.ldc + j.jc + jr
		if full && (cols == nr || hasMaskedStores(j.p)) {
			microKernel(j.p, j.kb, a, b, g.c[off:], g.ldc, g.alpha, j.beta, cols)
			continue
		}
		// Edge tile: compute it aside, then merge with the same two
		// products and one add as the kernel's own epilogue.
		microKernel(j.p, j.kb, a, b, ws.tile[:], nr, 1, 0, cols)
		mergeTile(g.c[off:], g.ldc, ws.tile[:], mb, cols, g.alpha, j.beta)
	}
}

func (j *blockJob) aOperand(ic, mb int) operand {
	g := j.g
	switch {
	case !j.aDirect || mb < j.mr:
		packA(j.ws.a[:], g, ic, mb, j.mr, j.pc, j.kb)
		return operand{data: j.ws.a[:j.kb*j.mr], step: j.mr}
	case g.transA:
		return operand{data: g.a[j.pc*g.lda+ic:], step: g.lda}
	default:
		return operand{data: g.a[ic*g.lda+j.pc:], step: g.lda, rowMajor: true}
	}
}

func (j *blockJob) bOperand(jr, cols int) operand {
	g := j.g
	switch {
	case !j.bDirect:
		return operand{data: j.ws.b[jr*j.kb : (jr+nr)*j.kb], step: nr}
	case cols == nr || hasMaskedLoads(j.p):
		return operand{data: g.b[j.pc*g.ldb+j.jc+jr:], step: g.ldb}
	default: // a partial panel read in place: pack it once per block
		if !j.edgePacked {
			packB(j.ws.bEdge[:], g, j.pc, j.kb, j.jc+jr, cols)
			j.edgePacked = true
		}
		return operand{data: j.ws.bEdge[:j.kb*nr], step: nr}
	}
}

func mergeTile(c []float32, ldc int, t []float32, rows, cols int, alpha, beta float32) {
	for i := 0; i < rows; i++ {
		storeRow(c[i*ldc:i*ldc+cols], t[i*nr:i*nr+cols], alpha, beta)
	}
}

// storeRow is the micro-kernel epilogue: alpha·acc, plus beta·C unless
// beta is zero (C then not read). Alpha 1 with beta 0 or 1, the common
// cases, skip the products (exact either way).
func storeRow(c, acc []float32, alpha, beta float32) {
	switch {
	case alpha == 1 && beta == 0:
		copy(c, acc)
		return
	case alpha == 1 && beta == 1:
		for j, v := range acc {
			c[j] = v + c[j]
		}
		return
	}
	for j, v := range acc {
		if beta == 0 {
			c[j] = roundf.Mul(alpha, v)
		} else {
			c[j] = roundf.Mul(alpha, v) + roundf.Mul(beta, c[j])
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
	transposeRows(dst, g.a[ic*g.lda+pc:], g.lda, mb, mr, kb)
}

// transposeRows writes rows×kb of src (row stride ld) k-major with width w:
// dst[kk*w+r] = src[r*ld+kk]. Full 16-row panels go to the assembly.
func transposeRows(dst, src []float32, ld, rows, w, kb int) {
	done := 0
	if rows == 16 && w == 16 {
		done = packT16Asm(dst, src, ld, kb)
	}
	for r := 0; r < rows; r++ {
		row := src[r*ld+done : r*ld+kb]
		for kk, v := range row {
			dst[(done+kk)*w+r] = v
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
			transposeRows(panel, g.b[j0*g.ldb+pc:], g.ldb, cols, nr, kb)
			continue
		}
		for kk := 0; kk < kb; kk++ {
			copy(panel[kk*nr:kk*nr+cols], g.b[(pc+kk)*g.ldb+j0:])
		}
	}
}

// microKernel is C[0:mr, 0:cols] = alpha·Σₖ A[:,k]⊗B[k,:] + beta·C; beta == 0
// does not read C. Paths without masked kernels compute all nr columns
// (B then packed and zero-padded).
func microKernel(p Impl, k int, a, b operand, c []float32, ldc int, alpha, beta float32, cols int) {
	if microKernelAsm(p, k, a, b, c, ldc, alpha, beta, cols) {
		return
	}
	microKernelGeneric(k, a.data, b.data, c, ldc, alpha, beta)
}

// microKernelGeneric is the 4×16 reference micro-kernel on packed panels.
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
		storeRow(c[r*ldc:r*ldc+nr], acc[r][:], alpha, beta)
	}
}
