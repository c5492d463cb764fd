package kernels

import "math"

// MaxPool2Rows is the 2×2, stride-2 max-pooling of NHWC activations with
// c channels, rows output rows back to back in out, their 2·rows input
// rows back to back in in (a block of NHWC images). Output row r's
// out[o·c+ch] is the maximum of window o, max(max(a, cc), max(b, d)) with
// Go's max (a NaN wins, a tie of ±0 gives +0; of two NaNs, the second
// argument's), where a = top[2oc+ch], b = top[2oc+c+ch], cc =
// bottom[2oc+ch] and d = bottom[2oc+c+ch], top and bottom being input rows
// 2r and 2r+1.
// A row's last vectors may then run on into the next rows, which are
// done after it and overwrite what they wrote, so only the block's last
// row leaves windows to Go (one of MyNetPlus's twelve per row, which cost
// as much as the other eleven).
func MaxPool2Rows(out, in []float32, rows, c int) { maxPool2Rows(active, out, in, rows, c) }

func maxPool2Rows(p Impl, out, in []float32, rows, c int) {
	if rows <= 0 || len(out)%rows != 0 || len(in) != 4*len(out) {
		panic("kernels: MaxPool2Rows: out must be rows rows, in twice as many rows twice as long")
	}
	ow := len(out) / rows
	checkPoolRow("MaxPool2Rows", out[:ow], in[:2*ow], in[2*ow:4*ow], c)
	for r := range rows {
		top := in[4*r*ow:]
		poolRow(p, out[r*ow:], top, top[2*ow:], c, ow)
	}
}

// poolRow pools the row of ow floats at the start of out from the rows
// starting top and bottom; the vector kernels may write as far as out's
// end and read as far as top's and bottom's (at least twice as far).
func poolRow(p Impl, out, top, bottom []float32, c, ow int) {
	done := min(ow/c, poolWindows(len(out), c, vectorLanes(p)))
	maxPool2Asm(p, out, top, bottom, c, done)
	maxPool2Generic(out[done*c:ow], top[2*done*c:2*ow], bottom[2*done*c:2*ow], c)
}

// MaxUnpool2Row is the backward pass of a row of MaxPool2Rows: each window's gradient dy
// goes to the first of a, b, cc, d (MaxPool2Rows's names) equal to its
// maximum y, or to d if none is (a NaN maximum), and +0 to the other
// three; dxTop and dxBottom are laid out as top and bottom.
func MaxUnpool2Row(dxTop, dxBottom, top, bottom, y, dy []float32, c int) {
	checkPoolRow("MaxUnpool2Row", y, top, bottom, c)
	if len(dy) != len(y) || len(dxTop) != len(top) || len(dxBottom) != len(top) {
		panic("kernels: MaxUnpool2Row: dy, dxTop or dxBottom not as long as y, top and bottom")
	}
	maxUnpool2(active, dxTop, dxBottom, top, bottom, y, dy, c)
}

func maxUnpool2(p Impl, dxTop, dxBottom, top, bottom, y, dy []float32, c int) {
	done := maxUnpool2Asm(p, dxTop, dxBottom, top, bottom, y, dy, c)
	at, in := done*c, 2*done*c
	maxUnpool2Generic(dxTop[in:], dxBottom[in:], top[in:], bottom[in:], y[at:], dy[at:], c)
}

func checkPoolRow(name string, out, top, bottom []float32, c int) {
	if c <= 0 || len(out)%c != 0 || len(top) != 2*len(out) || len(bottom) != len(top) {
		panic("kernels: " + name + ": rows must be whole windows of c > 0 channels, the input rows twice as long")
	}
}

// poolWindows is how many of a row's windows of c channels the kernels
// may do with vectors of lanes floats: those after which max(c, lanes)
// floats of the outLen the kernel may write are left (see
// asm/vector/pool.go); none if there are no such kernels (lanes 0).
func poolWindows(outLen, c, lanes int) int {
	if extent := max(c, lanes); lanes > 0 && outLen >= extent {
		return (outLen-extent)/c + 1
	}
	return 0
}

func maxPool2Generic(out, top, bottom []float32, c int) {
	for o := 0; o < len(out); o += c {
		i := 2 * o
		a, b, cc, d := top[i:i+c], top[i+c:i+2*c], bottom[i:i+c], bottom[i+c:i+2*c]
		for ch := range out[o : o+c] {
			out[o+ch] = goMax(goMax(a[ch], cc[ch]), goMax(b[ch], d[ch]))
		}
	}
}

// maxUnpool2Generic chooses each window's winner with bit masks: a switch
// mispredicted on most windows.
func maxUnpool2Generic(dxTop, dxBottom, top, bottom, y, dy []float32, c int) {
	for o := 0; o < len(y); o += c {
		i := 2 * o
		ys, gs := y[o:o+c], dy[o:o+c]
		a, b, cc := top[i:i+c], top[i+c:i+2*c], bottom[i:i+c]
		da, db, dc, dd := dxTop[i:i+c], dxTop[i+c:i+2*c], dxBottom[i:i+c], dxBottom[i+c:i+2*c]
		for ch, v := range ys {
			g := math.Float32bits(gs[ch])
			ma := equalMask(v, a[ch])
			mb := equalMask(v, b[ch]) &^ ma
			mc := equalMask(v, cc[ch]) &^ (ma | mb)
			md := ^(ma | mb | mc)
			da[ch], db[ch] = math.Float32frombits(g&ma), math.Float32frombits(g&mb)
			dc[ch], dd[ch] = math.Float32frombits(g&mc), math.Float32frombits(g&md)
		}
	}
}

// equalMask is all ones if x == y, else zero.
func equalMask(x, y float32) uint32 {
	var m uint32
	if x == y {
		m = 1
	}
	return -m
}

// goMax is max(a, b) with its NaN defined: b's if b is NaN, else a's. (The
// builtin's NaN bits depend on how it was compiled.)
func goMax(a, b float32) float32 {
	switch {
	case b != b:
		return b
	case a != a:
		return a
	case a == b: // equal, or ±0: +0 unless both are −0
		return math.Float32frombits(math.Float32bits(a) & math.Float32bits(b))
	case a > b:
		return a
	}
	return b
}
