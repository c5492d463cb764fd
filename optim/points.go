package optim

import "github.com/zofo/zofo/kernels/rng"

// The estimators whose directions are scaled or masked per coordinate
// (sparse, low-rank, SVRG, HiZOO) materialize them and write their points
// into θ: no model evaluates such a point without writing it.

// fillDirection writes d's values, times its Scale, into z (all of θ).
func fillDirection(z []float32, d rng.Direction) {
	rng.Fill(d.Dist, z, d.Key, 0)
	if d.Scale != 1 { // a direction on the sphere
		for i := range z {
			z[i] *= d.Scale
		}
	}
}

// centralPair returns the losses on b at base ± eps·z, each point written
// into θ, and gives θ back the bits it had; base nil means θ itself.
// saved is the scratch θ's copy goes into.
func centralPair(m Model, b Batch, base, z []float32, eps float32, saved *[]float32) (lp, lm float32) {
	theta := m.Params().Data
	*saved = append((*saved)[:0], theta...)
	if base == nil {
		base = *saved
	}
	for side, a := range [2]float32{eps, -eps} {
		for i, zi := range z {
			theta[i] = base[i] + a*zi
		}
		if l := loss(m, b); side == 0 {
			lp = l
		} else {
			lm = l
		}
	}
	copy(theta, *saved)
	return lp, lm
}
