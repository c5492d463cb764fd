package kernels

import (
	"math"
	"sync"
)

// BiasAdd is `x[r*ld+c] += bias[c]` for r < rows, c < len(bias).
func BiasAdd(x []float32, rows, ld int, bias []float32) {
	checkRows("kernels: BiasAdd: bad rows, ld or len(x)", x, rows, ld, len(bias))
	biasRows(x, rows, ld, bias, false)
}

// BiasAddTo is `dst[r*ld+c] = x[r*ld+c] + bias[c]` (then ReLU, if relu):
// BiasAdd into a separate output, the same bits, so x can keep a layer's
// product for a later pass that moves only the bias.
func BiasAddTo(dst, x []float32, rows, ld int, bias []float32, relu bool) {
	checkRows("kernels: BiasAddTo: bad rows, ld or len(x)", x, rows, ld, len(bias))
	checkRows("kernels: BiasAddTo: bad rows, ld or len(dst)", dst, rows, ld, len(bias))
	biasRowsTo(dst, x, rows, ld, bias, relu)
}

// biasTile is the most floats biasRows tiles a narrow bias into.
const biasTile = 512

// biasRows adds bias to every row (then ReLU, if relu). Narrow contiguous
// rows (a convolution's output channels) go through in runs of whole rows
// against the bias repeated, so the vector loop sees hundreds of floats
// per call instead of a few: the same element-wise sums, far fewer calls.
func biasRows(x []float32, rows, ld int, bias []float32, relu bool) {
	biasRowsTo(x, x, rows, ld, bias, relu)
}

// biasRowsTo is biasRows from x into dst (which may be x).
func biasRowsTo(dst, x []float32, rows, ld int, bias []float32, relu bool) {
	op := func(lo, hi int, b []float32) {
		if relu {
			addReLU(active, dst[lo:hi], x[lo:hi], b)
		} else {
			add(active, dst[lo:hi], x[lo:hi], b)
		}
	}
	cols := len(bias)
	if ld != cols || cols == 0 || cols > biasTile/8 {
		for r := 0; r < rows; r++ {
			op(r*ld, r*ld+cols, bias)
		}
		return
	}
	unit := cols // a tile of whole rows, and of whole vectors (16 floats) if it fits
	if l := cols * 16 / gcd(cols, 16); l <= biasTile {
		unit = l
	}
	var buf [biasTile]float32
	tile := buf[:biasTile/unit*unit]
	for i := range tile {
		tile[i] = bias[i%cols]
	}
	n := rows * cols
	for lo := 0; lo < n; lo += len(tile) {
		hi := min(lo+len(tile), n)
		op(lo, hi, tile[:hi-lo])
	}
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func checkRows(msg string, x []float32, rows, ld, cols int) {
	if rows < 0 || cols > ld || (rows > 0 && len(x) < (rows-1)*ld+cols) {
		panic(msg)
	}
}

// SoftmaxCrossEntropy takes logits (rows × cols, leading dimension ld) and
// labels, and returns the mean cross-entropy loss of softmax(logits). If grad
// is not nil it receives d(loss)/d(logits) = (softmax − onehot)/rows with the
// same layout. It works in float64, row by row as softmaxRow would, with
// the batch's exponentials made at once by Exp64 (math.Exp's bits; 640
// scalar calls a batch were 5–7% of a ZO step).
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
	s := softmaxPool.Get().(*softmaxScratch)
	defer softmaxPool.Put(s)
	s.grow(rows, cols)
	row := func(r int) []float32 { return logits[r*ld : r*ld+cols] }
	for r := range rows { // e = z − max z, row by row
		s.shift[r] = rowMax(row(r))
		subtractFrom(s.e[r*cols:(r+1)*cols], row(r), s.shift[r])
	}
	Exp64(s.e)
	var total float64
	for r := range rows { // lse = m + log Σ e^(z−m), the terms in order
		var se float64
		for _, v := range s.e[r*cols : (r+1)*cols] {
			se += v
		}
		s.shift[r] += math.Log(se)
		total += s.shift[r] - float64(logits[r*ld+int(labels[r])])
	}
	if grad != nil {
		softmaxGrad(s, logits, rows, cols, ld, labels, grad)
	}
	return float32(total / float64(rows))
}

// softmaxGrad writes (softmax − onehot)/rows, softmax = e^(z − lse) with
// lse in s.shift.
func softmaxGrad(s *softmaxScratch, logits []float32, rows, cols, ld int, labels []int32, grad []float32) {
	for r := range rows {
		subtractFrom(s.e[r*cols:(r+1)*cols], logits[r*ld:r*ld+cols], s.shift[r])
	}
	Exp64(s.e)
	for r := range rows {
		for i, p := range s.e[r*cols : (r+1)*cols] {
			if i == int(labels[r]) {
				p--
			}
			grad[r*ld+i] = float32(p / float64(rows))
		}
	}
}

// rowMax is the largest of z in float64, as math.Max folds it.
func rowMax(z []float32) float64 {
	m := float64(z[0])
	for _, v := range z[1:] {
		m = mathMax(m, float64(v))
	}
	return m
}

// mathMax is math.Max, bit for bit, inlined: the call into math's
// assembly was 1.4% of a ZO step. A strict order (so no NaN) is
// math.Max's answer too, +Inf included; ties (±0) and NaN go to it.
func mathMax(x, y float64) float64 {
	if x > y {
		return x
	}
	if y > x {
		return y
	}
	return math.Max(x, y)
}

// subtractFrom sets dst[i] = float64(z[i]) − m.
func subtractFrom(dst []float64, z []float32, m float64) {
	for i, v := range z {
		dst[i] = float64(v) - m
	}
}

// softmaxScratch holds a batch's exponentials and each row's shift.
type softmaxScratch struct{ e, shift []float64 }

var softmaxPool = sync.Pool{New: func() any { return new(softmaxScratch) }}

func (s *softmaxScratch) grow(rows, cols int) {
	if cap(s.e) < rows*cols {
		s.e = make([]float64, rows*cols)
	}
	if cap(s.shift) < rows {
		s.shift = make([]float64, rows)
	}
	s.e, s.shift = s.e[:rows*cols], s.shift[:rows]
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
