//go:build openblas && cgo

package kernels

import (
	"fmt"
	"math"
	"testing"

	"github.com/zofo/zofo/internal/openblas"
)

func init() {
	benchConfig = append(benchConfig, "openblas-core: "+openblas.CoreName())
	extraGemm = append(extraGemm, gemmImpl{"openblas", func(threads int, g *gemmArgs) {
		openblas.SetThreads(threads)
		openblas.Sgemm(g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, g.c, g.ldc)
	}})
}

// The baseline is only worth comparing with if it computes the right thing
// (older OpenBLAS builds mis-detect some CPUs).
func TestOpenBLASAgrees(t *testing.T) {
	for _, s := range gemmShapes[:5] {
		ours, theirs := newGemm(s.op, s.m, s.k, s.n), newGemm(s.op, s.m, s.k, s.n)
		gemm(Best(), 1, ours)
		extraGemm[0].run(1, theirs)
		for i := range ours.c {
			if d := math.Abs(float64(ours.c[i] - theirs.c[i])); d > 1e-4*float64(s.k) {
				t.Fatalf("%s %dx%dx%d: C[%d] ours %v, OpenBLAS (%s) %v", s.op, s.m, s.k, s.n, i, ours.c[i], openblas.CoreName(), theirs.c[i])
			}
		}
	}
	fmt.Println("openblas core:", openblas.CoreName())
}
