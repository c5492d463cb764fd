// Package nn holds zofo's models on one contiguous parameter buffer: a ZO
// perturbation or an optimizer update is one kernel call over the whole
// model, and a per-tensor variant is a slice of it.
package nn

import (
	"fmt"
	"unsafe"
)

// Tensor is one named parameter tensor inside a Params buffer.
type Tensor struct {
	Name  string // PyTorch state_dict name, e.g. "fc1.weight"
	Shape []int  // PyTorch shape, e.g. [128, 784]
	Off   int    // offset in Params.Data (a multiple of 16: 64-byte aligned)
	Len   int
	// FanIn and FanOut drive initialization; Init says which rule.
	FanIn, FanOut int
	Init          InitRule
	// torch, if set, maps an element's index in PyTorch order to its index
	// in our layout (ours is [in,out] for linear layers). A function, not a
	// table: a table would hold as many entries as the weights themselves.
	torch func(j int) int
}

// InitRule is how a tensor is initialized.
type InitRule uint8

// The initialization rules: PyTorch's defaults (Kaiming-uniform with a=√5
// for weights, uniform ±1/√fan_in for biases), Xavier-uniform, zeros.
const (
	InitPyTorch InitRule = iota
	InitXavier
	InitZero
)

// Params is a model's parameters in one 64-byte-aligned buffer, with the
// gradient in a second buffer of the same layout. Grad is allocated by the
// first backward pass (or GradView), so inference and ZO training never
// hold it.
type Params struct {
	Data, Grad []float32
	Tensors    []Tensor
}

// ensureGrad allocates the gradient buffer on first use.
func (p *Params) ensureGrad() {
	if p.Grad == nil {
		p.Grad = alignedFloats(len(p.Data))
	}
}

// View returns tensor i's parameters; GradView its gradient.
func (p *Params) View(i int) []float32 {
	t := p.Tensors[i]
	return p.Data[t.Off : t.Off+t.Len]
}

// GradView returns tensor i's gradient.
func (p *Params) GradView(i int) []float32 {
	p.ensureGrad()
	t := p.Tensors[i]
	return p.Grad[t.Off : t.Off+t.Len]
}

// Count is the number of parameters (padding excluded).
func (p *Params) Count() int {
	n := 0
	for _, t := range p.Tensors {
		n += t.Len
	}
	return n
}

// layout collects tensors before the buffer is allocated.
type layout struct{ tensors []Tensor }

// add registers a tensor and returns its index; each starts on a 64-byte
// boundary so per-tensor kernels see aligned slices.
func (l *layout) add(t Tensor) int {
	end := 0
	if n := len(l.tensors); n > 0 {
		last := l.tensors[n-1]
		end = last.Off + last.Len
	}
	t.Off = (end + 15) &^ 15
	t.Len = 1
	for _, d := range t.Shape {
		t.Len *= d
	}
	l.tensors = append(l.tensors, t)
	return len(l.tensors) - 1
}

func (l *layout) alloc() *Params {
	last := l.tensors[len(l.tensors)-1]
	n := last.Off + last.Len
	return &Params{Data: alignedFloats(n), Tensors: l.tensors}
}

// alignedFloats returns n zeroed float32s starting on a 64-byte boundary.
func alignedFloats(n int) []float32 {
	buf := make([]float32, n+16)
	off := 0
	for uintptr(unsafe.Pointer(&buf[off]))%64 != 0 {
		off++
	}
	return buf[off : off+n : off+n]
}

func (t Tensor) String() string { return fmt.Sprintf("%s%v", t.Name, t.Shape) }

// floatBytes is x's memory as bytes, for bit-for-bit comparisons.
func floatBytes(x []float32) []byte {
	if len(x) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&x[0])), 4*len(x))
}
