package nn

import "fmt"

// A ZO step that perturbs one tensor at a time changes only the layers
// from that tensor's on, so the layers before it can keep their outputs
// of the last forward. Every layer is a deterministic function of its
// input, parameters and the step's noise key, so a loss computed from a
// kept output has the bits a full forward would give.

// lastForward is what LossFrom needs to know about the last forward.
type lastForward struct {
	outs  [][]float32 // each layer's output
	x     *float32    // the input's first element
	rows  int
	train bool
	noise uint64
}

// Layers is the number of layers.
func (m *Sequential) Layers() int { return len(m.layers) }

// LayerOf is the first layer that reads a parameter in [lo, hi) of
// Params().Data, or Layers() if none does.
func (m *Sequential) LayerOf(lo, hi int) int {
	for i, l := range m.layers {
		owner, ok := l.(interface{ tensors() []int })
		if !ok {
			continue
		}
		for _, t := range owner.tensors() {
			if ts := m.params.Tensors[t]; ts.Off < hi && lo < ts.Off+ts.Len {
				return i
			}
		}
	}
	return len(m.layers)
}

// LossFrom is the training-mode loss on a batch, with the layers before
// first reusing their outputs of the last forward. The caller guarantees
// that their parameters have not changed since; the batch, the row count
// and the noise key are checked.
func (m *Sequential) LossFrom(first int, x []float32, y []int32, rows int) float32 {
	last := &m.last
	if first > 0 && (first > len(last.outs) || !last.train || last.rows != rows || last.x != head(x) || last.noise != m.noise) {
		panic(fmt.Sprintf("nn: LossFrom(%d): the last forward was not a training forward of this batch", first))
	}
	return Loss(m.forwardFrom(first, x, rows, true), y, rows, m.Classes())
}

// forwardFrom runs the layers from first, the ones before it kept.
func (m *Sequential) forwardFrom(first int, x []float32, rows int, train bool) []float32 {
	if len(x) < rows*m.In {
		panic(fmt.Sprintf("nn: Forward: %d inputs for %d rows of %d", len(x), rows, m.In))
	}
	last := &m.last
	last.x, last.rows, last.train, last.noise = head(x), rows, train, m.noise
	if cap(last.outs) < len(m.layers) {
		last.outs = make([][]float32, len(m.layers))
	}
	last.outs = last.outs[:len(m.layers)]
	in := x
	if first > 0 {
		in = last.outs[first-1]
	}
	for i := first; i < len(m.layers); i++ {
		in = m.layers[i].forward(in, rows, train)
		last.outs[i] = in
	}
	return in
}

// forget drops the kept outputs: the layers' buffers are about to hold
// something else (LossAt's perturbed points).
func (m *Sequential) forget() { m.last.outs = m.last.outs[:0] }

func head(x []float32) *float32 {
	if len(x) == 0 {
		return nil
	}
	return &x[0]
}

func (f *Linear) tensors() []int { return []int{f.w, f.b} }

func (c *Conv2d) tensors() []int { return []int{c.w, c.b} }
