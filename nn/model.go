package nn

import (
	"fmt"
	"math"
	"slices"
	"sync/atomic"

	"github.com/zofo/zofo/kernels"
)

// layer is one stage of a Sequential model.
type layer interface {
	outSize() int
	forward(x []float32, rows int, train bool) []float32
	backward(dy []float32, rows int, needDX bool) []float32
}

// Sequential is a feed-forward model whose layers share one Params.
type Sequential struct {
	Name    string
	In      int // input size per example
	Threads int // goroutines per GEMM (results are the same for any count)
	params  *Params
	layers  []layer
	dlogits []float32
	seed    uint64
	noise   uint64 // keys the dropout masks: one value per training step

	last     lastForward    // what the last pass left, for kept layers
	spaces   [2]*workspace  // an MLP's activations, one set per goroutine
	queries  queryScratch   // queryLosses' activations
	reused   atomic.Int32   // passes that took a layer's kept product
	coords   *mlpCache      // CoordinateDifferences' forward pass and tables
	tangents tangentScratch // Slope's tangents
}

// SetNoiseKey keys the dropout masks of the following training forwards;
// the training loop sets it once per step, so all the losses a step
// evaluates see one mask, and a run repeats exactly.
func (m *Sequential) SetNoiseKey(k uint64) { m.noise = k }

// Parallelism is the goroutines the model's passes use: Threads, at least 1.
func (m *Sequential) Parallelism() int { return max(m.Threads, 1) }

// evalRows is the most rows one evaluation forward of a CNN takes. A row's
// logits are the same bits whatever rows share its pass, and a 1000-row
// CNN pass does not stay in cache (MyNetPlus's first im2col alone is 58
// MB). Per 10,000 images, buffers grown, one thread (train's
// BenchmarkEvaluate, Zen 5): 128 rows took MyNetPlus 0.27 s and ConvNet
// 0.91 s, 32 rows 0.23 and 0.77 s.
const evalRows = 32

// mlpEvalRows is evalRows for an MLP, whose passes are far smaller: MyNet's
// evaluation took 16.0 ms per 10,000 images in parts of 32, 15.0 in parts
// of 64 and 14.6 in parts of 256 (BenchmarkEvaluate, Zen 5).
const mlpEvalRows = 256

// EvalRows is the rows an evaluation forward of the model should take.
func (m *Sequential) EvalRows() int {
	if m.linears() != nil {
		return mlpEvalRows
	}
	return evalRows
}

// Params returns the model's parameters and gradients.
func (m *Sequential) Params() *Params { return m.params }

// Classes is the number of outputs.
func (m *Sequential) Classes() int { return m.layers[len(m.layers)-1].outSize() }

// Forward runs the model on rows examples (x holds rows × In values) and
// returns the logits (rows × Classes), valid until the next call.
func (m *Sequential) Forward(x []float32, rows int, train bool) []float32 {
	return m.forwardFrom(carry{}, x, rows, train)
}

// Loss is the mean softmax cross-entropy of logits against labels.
func Loss(logits []float32, labels []int32, rows, classes int) float32 {
	return kernels.SoftmaxCrossEntropy(logits, rows, classes, classes, labels, nil)
}

// Backward computes the loss of the last Forward (which must have been a
// training forward on these labels) and its gradient with respect to every
// parameter, written to Params().Grad. It returns the loss.
func (m *Sequential) Backward(logits []float32, labels []int32, rows int) float32 {
	c := m.Classes()
	m.params.ensureGrad()
	m.dlogits = grow(m.dlogits, rows*c)
	loss := kernels.SoftmaxCrossEntropy(logits, rows, c, c, labels, m.dlogits)
	dy := m.dlogits
	for i := len(m.layers) - 1; i >= 0; i-- {
		dy = m.layers[i].backward(dy, rows, i > 0)
	}
	return loss
}

// Loss is the training-mode loss on a batch (one forward pass).
func (m *Sequential) Loss(x []float32, y []int32, rows int) float32 {
	return Loss(m.Forward(x, rows, true), y, rows, m.Classes())
}

// Gradient is Loss plus backpropagation into Params().Grad.
func (m *Sequential) Gradient(x []float32, y []int32, rows int) float32 {
	return m.Backward(m.Forward(x, rows, true), y, rows)
}

// Correct counts the rows whose largest logit is the label.
func Correct(logits []float32, labels []int32, rows, classes int) int {
	n := 0
	for r := 0; r < rows; r++ {
		if kernels.Argmax(logits[r*classes:(r+1)*classes]) == int(labels[r]) {
			n++
		}
	}
	return n
}

// NewMyNet is the study's MLP: 784 → int(128·s) → ReLU → int(64·s) → ReLU →
// 10, on logits (the study's extra softmax before the loss is not copied).
func NewMyNet(scale float64, seed uint64) (*Sequential, error) {
	h1, h2 := int(128*scale), int(64*scale)
	if scale <= 0 || math.IsNaN(scale) || h2 < 1 {
		return nil, fmt.Errorf("nn: MyNet scale %v gives hidden widths %d, %d (want ≥ 1)", scale, h1, h2)
	}
	return NewMLP("mynet", 784, []int{h1, h2}, 10, seed), nil
}

// NewMLP is in → hidden[0] → … → classes, ReLU after each hidden layer,
// PyTorch's default initialization; its layers are named fc1, fc2, ….
func NewMLP(name string, in int, hidden []int, classes int, seed uint64) *Sequential {
	var l layout
	var layers []layer
	width := in
	for i, h := range append(slices.Clip(hidden), classes) {
		layers = append(layers, newLinear(&l, fmt.Sprintf("fc%d", i+1), width, h, i < len(hidden), InitPyTorch))
		width = h
	}
	return finish(name, in, &l, layers, seed)
}

// finish allocates the parameters, binds the layers and initializes.
func finish(name string, in int, l *layout, layers []layer, seed uint64) *Sequential {
	m := &Sequential{Name: name, In: in, Threads: 1, params: l.alloc(), layers: layers, seed: seed}
	for i, ly := range layers {
		if b, ok := ly.(interface{ bind(*Sequential, int) }); ok {
			b.bind(m, i)
		}
	}
	initParams(m.params, seed)
	return m
}

func (f *Linear) bind(m *Sequential, i int) { f.model, f.index = m, i }
