package rng

// Direction is one regenerable random direction over the span x[Lo:Hi] of
// a parameter vector x: element Lo+i moves by a·Scale·z(Key, i) for a
// coefficient a. Scale turns the unit-variance values of Dist into an
// estimator's distribution (1, or √d/‖z‖ for a direction on the sphere).
// optim draws directions, nn evaluates points along them, and both apply
// them to θ through these methods.
type Direction struct {
	Dist   Dist
	Key    Key
	Lo, Hi int
	Scale  float32
}

// Scaled is each coefficient of a times Scale, rounded: the coefficients
// the kernels apply.
func (d Direction) Scaled(a []float32) []float32 {
	out := make([]float32, len(a))
	for i, c := range a {
		out[i] = c * d.Scale
	}
	return out
}

// Perturb adds a·Scale·z to x[Lo:Hi] on up to threads goroutines.
func (d Direction) Perturb(threads int, x []float32, a float32) {
	PerturbParallel(threads, d.Dist, x[d.Lo:d.Hi], a*d.Scale, d.Key, 0)
}

// Chain applies the coefficients a to x[Lo:Hi] in turn, in one pass on up
// to threads goroutines (ChainParallel).
func (d Direction) Chain(threads int, x []float32, a []float32) {
	w := x[d.Lo:d.Hi]
	ChainParallel(threads, d.Dist, w, w, d.Scaled(a), d.Key, 0)
}

// Spans reports whether the direction moves parameter i.
func (d Direction) Spans(i int) bool { return i >= d.Lo && i < d.Hi }
