package nn

// workspace is one goroutine's share of an MLP's passes: each Linear
// layer's output (side a, and side b of a pair), its kept product x·W,
// and the perturbed weight tiles and biases of a fused evaluation. The
// layers hold none of it, so two goroutines can evaluate two points of one
// model at once, each in its own workspace, θ shared and only read:
// workspace 0 serves every pass on the calling goroutine (its outputs are
// the ones backpropagation and kept layers read), workspace 1 the second
// side of a pair on another core (lossesAt).
type workspace struct {
	out, pair                  [][]float32 // per layer
	prod                       []product   // per layer
	tileA, tileB, biasA, biasB []float32
}

// space is workspace i, sized for the model's layers. Each is an object
// of its own, so the two goroutines of a pair write no cache line in
// common.
func (m *Sequential) space(i int) *workspace {
	if m.spaces[i] == nil {
		m.spaces[i] = new(workspace)
	}
	ws := m.spaces[i]
	if len(ws.out) != len(m.layers) {
		ws.out, ws.pair = make([][]float32, len(m.layers)), make([][]float32, len(m.layers))
		ws.prod = make([]product, len(m.layers))
	}
	return ws
}

// outputs returns layer i's output buffers for rows examples of n
// outputs each: side a, and side b when pair is set.
func (ws *workspace) outputs(i, rows, n int, pair bool) (ya, yb []float32) {
	ws.out[i] = grow(ws.out[i], rows*n)
	if pair {
		ws.pair[i] = grow(ws.pair[i], rows*n)
		yb = ws.pair[i]
	}
	return ws.out[i], yb
}

// side is side i's tile (0: a, 1: b).
func (ws *workspace) side(i int) []float32 {
	if i == 0 {
		return ws.tileA
	}
	return ws.tileB
}
