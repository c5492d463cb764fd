package nn

import (
	"fmt"
	"io"
	"slices"

	"codeberg.org/sbinet/npyio/npz"

	"github.com/zofo/zofo/internal/durable"
)

// Save writes the parameters as a NumPy .npz archive with PyTorch
// state_dict names and layouts (fc1.weight is [out, in]), so numpy.load or
// torch can read them. The file appears whole or not at all.
func (m *Sequential) Save(path string) error {
	err := durable.WriteFile(path, func(f io.Writer) error {
		w := npz.NewWriter(f)
		for i, t := range m.params.Tensors {
			if err := w.Write(t.Name, nest(torchOrder(t, m.params.View(i)), t.Shape)); err != nil {
				return err
			}
		}
		return w.Close()
	})
	if err != nil {
		return fmt.Errorf("nn: save %s: %w", path, err)
	}
	return nil
}

// Load reads parameters written by Save (or by numpy from a PyTorch
// state_dict): every tensor must be present with its exact shape.
func (m *Sequential) Load(path string) error {
	r, err := npz.Open(path)
	if err != nil {
		return fmt.Errorf("nn: load %s: %w", path, err)
	}
	defer r.Close()
	for i, t := range m.params.Tensors {
		h := r.Header(t.Name)
		if h == nil {
			return fmt.Errorf("nn: load %s: no tensor %q", path, t.Name)
		}
		if !slices.Equal(h.Descr.Shape, t.Shape) {
			return fmt.Errorf("nn: load %s: %s has shape %v, want %v", path, t.Name, h.Descr.Shape, t.Shape)
		}
		var flat []float32
		if err := r.Read(t.Name, &flat); err != nil {
			return fmt.Errorf("nn: load %s: %s: %w", path, t.Name, err)
		}
		w := m.params.View(i)
		for j, v := range flat {
			w[t.ours(j)] = v
		}
	}
	return nil
}

// torchOrder returns the tensor's values in PyTorch element order.
func torchOrder(t Tensor, ours []float32) []float32 {
	out := make([]float32, t.Len)
	for j := range out {
		out[j] = ours[t.ours(j)]
	}
	return out
}

// nest shapes flat data as nested slices, which npyio writes with that
// shape (1 to 4 dimensions: what the models have).
func nest(flat []float32, shape []int) any {
	switch len(shape) {
	case 1:
		return flat
	case 2:
		out := make([][]float32, shape[0])
		for i := range out {
			out[i] = flat[i*shape[1] : (i+1)*shape[1]]
		}
		return out
	case 3:
		return nestOf[[][]float32](flat, shape)
	case 4:
		return nestOf[[][][]float32](flat, shape)
	}
	panic(fmt.Sprintf("nn: %d-dimensional tensor", len(shape)))
}

// nestOf splits flat along the first dimension into elements of type T.
func nestOf[T any](flat []float32, shape []int) []T {
	step := len(flat) / shape[0]
	out := make([]T, shape[0])
	for i := range out {
		out[i] = nest(flat[i*step:(i+1)*step], shape[1:]).(T)
	}
	return out
}
