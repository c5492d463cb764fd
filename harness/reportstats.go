package main

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// summary writes a sample as mean ± std [95% interval] over its values;
// one value is written alone (there is no spread to show).
func summary(v []float64) string {
	switch len(v) {
	case 0:
		return "–"
	case 1:
		return fmt.Sprintf("%.4f", v[0])
	}
	m, s := stat.MeanStdDev(v, nil)
	lo, hi := interval95(v)
	return fmt.Sprintf("%.4f ± %.4f [%.4f, %.4f]", m, s, lo, hi)
}

// interval95 is Student's 95% confidence interval for the mean.
func interval95(v []float64) (lo, hi float64) {
	m, s := stat.MeanStdDev(v, nil)
	n := float64(len(v))
	h := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(0.975) * s / math.Sqrt(n)
	return m - h, m + h
}

// seconds writes a time in seconds to the millisecond, or – for none.
func seconds(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%.3f", v)
}

// median is the middle value, or the mean of the two middle ones.
func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	return (s[(n-1)/2] + s[n/2]) / 2
}

// quantile is the empirical q-quantile (NaN for no values).
func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return stat.Quantile(q, stat.Empirical, s, nil)
}

// welch is Welch's two-sided t-test: the statistic and p-value for equal
// means of a and b.
func welch(a, b []float64) (t, p float64) {
	ma, va := stat.MeanVariance(a, nil)
	mb, vb := stat.MeanVariance(b, nil)
	na, nb := float64(len(a)), float64(len(b))
	se2 := va/na + vb/nb
	t = (ma - mb) / math.Sqrt(se2)
	df := se2 * se2 / (va*va/(na*na*(na-1)) + vb*vb/(nb*nb*(nb-1)))
	return t, 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.CDF(-math.Abs(t))
}

// welchCell is a test's t and p as table cells, or why there is none.
func welchCell(a, b []float64) string {
	switch {
	case len(a) < 2 || len(b) < 2:
		return fmt.Sprintf("– | needs ≥ 2 runs each (n = %d, %d)", len(a), len(b))
	case stat.Variance(a, nil) == 0 && stat.Variance(b, nil) == 0:
		return "– | no variance in either sample"
	}
	t, p := welch(a, b)
	return fmt.Sprintf("%.2f | %.2g", t, p)
}

// runOutcome is what the report reads of one run: its best epoch chosen
// on validation accuracy, and its last.
type runOutcome struct {
	BestEpoch                int
	BestVal, TestAtBest      float64
	FinalTest, FinalTrainAcc float64
}

// outcome of a run with at least one epoch (ok false otherwise).
func outcome(r runData) (runOutcome, bool) {
	if len(r.Metrics) == 0 {
		return runOutcome{}, false
	}
	o := runOutcome{BestVal: math.NaN(), TestAtBest: math.NaN()} // without a validation set, no best epoch
	for _, m := range r.Metrics {
		if o.BestEpoch == 0 && !math.IsNaN(m.ValAcc) || m.ValAcc > o.BestVal {
			o.BestEpoch, o.BestVal, o.TestAtBest = m.Epoch, m.ValAcc, m.TestAcc
		}
	}
	last := r.Metrics[len(r.Metrics)-1]
	o.FinalTest, o.FinalTrainAcc = last.TestAcc, last.TrainAcc
	return o, true
}

// outcomes is one value of every run of the group that finished an epoch
// (and has it: a run without validation set has no best epoch).
func (g *group) outcomes(of func(runOutcome) float64) []float64 {
	var v []float64
	for _, r := range g.Runs {
		if o, ok := outcome(r); ok && !math.IsNaN(of(o)) {
			v = append(v, of(o))
		}
	}
	return v
}

func bestValOf(o runOutcome) float64    { return o.BestVal }
func testAtBestOf(o runOutcome) float64 { return o.TestAtBest }
func finalTestOf(o runOutcome) float64  { return o.FinalTest }
func finalTrainOf(o runOutcome) float64 { return o.FinalTrainAcc }

func (g *group) epochSeconds() []float64 {
	var v []float64
	for _, r := range g.Runs {
		for _, m := range r.Metrics {
			v = append(v, m.Sec)
		}
	}
	return v
}

func (g *group) diverged() int {
	n := 0
	for _, r := range g.Runs {
		if r.Result.Status == "diverged" {
			n++
		}
	}
	return n
}
