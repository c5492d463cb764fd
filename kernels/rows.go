package kernels

import "math"

// BiasAdd is `x[r*ld+c] += bias[c]` for r < rows, c < len(bias).
func BiasAdd(x []float32, rows, ld int, bias []float32) {
	checkRows("kernels: BiasAdd: bad rows, ld or len(x)", x, rows, ld, len(bias))
	biasRows(x, rows, ld, bias, false)
}

// BiasAddReLU is BiasAdd followed by ReLU on the same elements, in one pass.
func BiasAddReLU(x []float32, rows, ld int, bias []float32) {
	checkRows("kernels: BiasAddReLU: bad rows, ld or len(x)", x, rows, ld, len(bias))
	biasRows(x, rows, ld, bias, true)
}

// biasTile is the most floats biasRows tiles a narrow bias into.
const biasTile = 512

// biasRows adds bias to every row (then ReLU, if relu). Narrow contiguous
// rows (a convolution's output channels) go through in runs of whole rows
// against the bias repeated, so the vector loop sees hundreds of floats
// per call instead of a few: the same element-wise sums, far fewer calls.
func biasRows(x []float32, rows, ld int, bias []float32, relu bool) {
	op := func(dst, b []float32) {
		if relu {
			addReLU(active, dst, dst, b)
		} else {
			add(active, dst, dst, b)
		}
	}
	cols := len(bias)
	if ld != cols || cols == 0 || cols > biasTile/8 {
		for r := 0; r < rows; r++ {
			op(x[r*ld:r*ld+cols], bias)
		}
		return
	}
	var buf [biasTile]float32
	tile := buf[:biasTile/cols*cols]
	for i := range tile {
		tile[i] = bias[i%cols]
	}
	n := rows * cols
	for lo := 0; lo < n; lo += len(tile) {
		run := x[lo:min(lo+len(tile), n)]
		op(run, tile[:len(run)])
	}
}

func checkRows(msg string, x []float32, rows, ld, cols int) {
	if rows < 0 || cols > ld || (rows > 0 && len(x) < (rows-1)*ld+cols) {
		panic(msg)
	}
}

// SoftmaxCrossEntropy takes logits (rows × cols, leading dimension ld) and
// labels, and returns the mean cross-entropy loss of softmax(logits). If grad
// is not nil it receives d(loss)/d(logits) = (softmax − onehot)/rows with the
// same layout. It works in float64 (exp and log on at most a few thousand
// values per batch; the GEMMs dominate), and is pure Go on every path.
func SoftmaxCrossEntropy(logits []float32, rows, cols, ld int, labels []int32, grad []float32) float32 {
	checkRows("kernels: SoftmaxCrossEntropy: bad rows, cols, ld or len(logits)", logits, rows, ld, cols)
	if len(labels) < rows || cols < 1 {
		panic("kernels: SoftmaxCrossEntropy: len(labels) < rows or cols < 1")
	}
	if grad != nil && len(grad) < len(logits) {
		panic("kernels: SoftmaxCrossEntropy: len(grad) < len(logits)")
	}
	for _, y := range labels[:rows] {
		if y < 0 || int(y) >= cols {
			panic("kernels: SoftmaxCrossEntropy: label out of range")
		}
	}
	var total float64
	for r := 0; r < rows; r++ {
		total += softmaxRow(logits[r*ld:r*ld+cols], int(labels[r]), rows, gradRow(grad, r*ld, cols))
	}
	return float32(total / float64(rows))
}

func gradRow(grad []float32, off, cols int) []float32 {
	if grad == nil {
		return nil
	}
	return grad[off : off+cols]
}

// softmaxRow returns −log softmax(z)[y] and writes (softmax − onehot)/rows.
func softmaxRow(z []float32, y, rows int, g []float32) float64 {
	m := float64(z[0])
	for _, v := range z[1:] {
		m = math.Max(m, float64(v))
	}
	var se float64
	for _, v := range z {
		se += math.Exp(float64(v) - m)
	}
	lse := m + math.Log(se)
	for i := range g {
		p := math.Exp(float64(z[i]) - lse)
		if i == y {
			p--
		}
		g[i] = float32(p / float64(rows))
	}
	return lse - float64(z[y])
}

// Argmax returns the index of the first largest element (NaN never wins; an
// all-NaN slice gives 0), or -1 for an empty slice.
func Argmax(x []float32) int {
	best := -1
	for i, v := range x {
		if v == v && (best < 0 || v > x[best]) {
			best = i
		}
	}
	if best < 0 && len(x) > 0 {
		return 0 // all NaN
	}
	return best
}

// ArgmaxRows writes the argmax of each row of x (rows × cols, leading
// dimension ld) to out.
func ArgmaxRows(out []int32, x []float32, rows, cols, ld int) {
	checkRows("kernels: ArgmaxRows: bad rows, cols, ld or len(x)", x, rows, ld, cols)
	if len(out) < rows {
		panic("kernels: ArgmaxRows: len(out) < rows")
	}
	for r := 0; r < rows; r++ {
		out[r] = int32(Argmax(x[r*ld : r*ld+cols]))
	}
}
