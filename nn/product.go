package nn

// A per-tensor ZO step moves a layer's bias, restores it (an ulp off, as
// MeZO's in-place steps do) and then moves the next layer's weights: the
// layer then runs again only for its restored bias, on the same input
// and weights. So the pass that moves the bias keeps the layer's product
// x·W, and the next pass adds the restored bias to it instead of
// multiplying again: a quarter of MyNet's first-layer GEMMs and a sixth
// of the CNNs' convolutions in the study's per-tensor steps. The bits are
// the same: the product is the one the layer would make, and the bias is
// added to it as it would be.

// carry says what a pass takes from the passes before it.
type carry struct {
	// Layers is how many leading layers keep their outputs of their last
	// run.
	Layers int
	// Product says that layer Layers's weights and input have not changed
	// since it last ran (its bias may have): its product is used if that
	// run kept it.
	Product bool
	// Save asks layer Layers to keep its product of this pass.
	Save bool
}

// product is a layer's kept x·W, before its bias.
type product struct {
	buf   []float32
	ok    bool    // buf holds the product of the layer's last run, made on batch
	batch batchID // the model's input it was made on
}

// batchID names a pass's input: the batch, its rows and the noise key.
type batchID struct {
	x     *float32
	rows  int
	noise uint64
}

func (m *Sequential) batchOf(x []float32, rows int) batchID { return batchID{head(x), rows, m.noise} }

// producer is a layer act(x·W + b) that can keep its product x·W.
type producer interface {
	layer
	multiply(x []float32, rows int, dst []float32) // dst = x·W
	finish(dst, prod []float32, rows int)          // dst = act(prod + b)
	output(rows int) []float32                     // the output buffer, grown
	kept() *product
}

// reusable reports whether a pass under keep, on batch, can take the
// kept product.
func (pr *product) reusable(keep carry, batch batchID) bool {
	return keep.Product && pr.ok && pr.batch == batch
}

// fresh returns the buffer for n floats of a product to keep, made on
// batch.
func (pr *product) fresh(n int, batch batchID) []float32 {
	pr.buf = grow(pr.buf, n)
	pr.ok, pr.batch = true, batch
	return pr.buf
}

// forwardFirst runs layer l as a pass's first layer under keep: from its
// kept product if keep allows and it has one for this batch, otherwise
// multiplying, into a kept product if keep asks.
func (m *Sequential) forwardFirst(l layer, x []float32, rows int, train bool, keep carry, batch batchID) []float32 {
	p, ok := l.(producer)
	switch {
	case !ok:
	case p.kept().reusable(keep, batch):
		m.reused.Add(1)
		return fromProduct(p, p.kept().buf, rows)
	case keep.Save:
		prod := p.kept().fresh(rows*l.outSize(), batch)
		p.multiply(x, rows, prod)
		return fromProduct(p, prod, rows)
	}
	return l.forward(x, rows, train)
}

// fromProduct is p's output from its product.
func fromProduct(p producer, prod []float32, rows int) []float32 {
	y := p.output(rows)
	p.finish(y, prod, rows)
	return y
}

func (f *Linear) kept() *product { return &f.model.space(0).prod[f.index] }

func (f *Linear) output(rows int) []float32 {
	y, _ := f.model.space(0).outputs(f.index, rows, f.Out, false)
	return y
}

func (f *Linear) finish(dst, prod []float32, rows int) {
	f.addBiasTo(dst, prod, rows, f.model.params.View(f.b))
}

func (c *Conv2d) kept() *product { return &c.prod }

func (c *Conv2d) output(rows int) []float32 {
	c.y = grow(c.y, rows*c.outSize())
	return c.y
}

func (c *Conv2d) finish(dst, prod []float32, rows int) { c.addBias(dst, prod, rows) }

// biasOnly reports whether Data[lo:hi] lies inside one layer's bias.
func (m *Sequential) biasOnly(lo, hi int) bool {
	for _, l := range m.layers {
		if owner, ok := l.(interface{ tensors() []int }); ok {
			if b := m.params.Tensors[owner.tensors()[1]]; lo >= b.Off && hi <= b.Off+b.Len {
				return true
			}
		}
	}
	return false
}
