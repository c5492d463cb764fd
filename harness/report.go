package main

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strings"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// studyReported is the study's own table (REFERENCE.md): final test
// accuracy after 100 epochs and seconds per epoch on its machine.
var studyReported = map[string]string{
	"fo-sgd":     "0.978, 13 s/epoch",
	"fo-signsgd": "0.965, 14–15 s/epoch",
	"zo-sgd":     "0.63–0.65, 22 s/epoch",
	"zo-signsgd": "0.60–0.63, 22 s/epoch",
}

// reportCmd writes DIR/report.md: a table of every setting, the study's
// numbers beside ours, and Welch t-tests where the study used t-tests.
func reportCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("report", stderr)
	if code := parseWithArgs(fs, args, 1); code != 0 {
		return max(code, 0)
	}
	runs, err := loadRuns(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "harness report: %v\n", err)
		return exitUsage
	}
	var b strings.Builder
	writeReport(&b, groupBySetting(runs))
	path := filepath.Join(fs.Arg(0), "report.md")
	if err := writeAtomic(path, []byte(b.String())); err != nil {
		fmt.Fprintf(stderr, "harness report: %v\n", err)
		return 1
	}
	fmt.Fprint(stdout, b.String())
	fmt.Fprintf(stdout, "\nwritten to %s\n", path)
	return 0
}

func writeReport(w io.Writer, groups []*group) {
	fmt.Fprintln(w, "# zofo report")
	fmt.Fprintln(w, "\nEvery setting: test accuracy as mean ± std over seeds; epoch time is the median of every epoch's seconds.")
	fmt.Fprintln(w, "\n| run | seeds | best test acc | final test acc | median s/epoch | diverged | the study reported |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].Name < groups[j].Name })
	for _, g := range groups {
		best, final := g.finals()
		study := ""
		if s, ok := studyReported[optimizerOf(g)]; ok && strings.HasPrefix(g.Name, "mynet-s1") {
			study = s
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %.3f | %d | %s |\n", g.Name, len(g.Runs), meanStd(best), meanStd(final),
			median(g.epochSeconds()), g.diverged(), study)
	}
	scalingTests(w, groups)
	hybridTests(w, groups)
}

// finals returns each run's best and final test accuracy.
func (g *group) finals() (best, final []float64) {
	for _, r := range g.Runs {
		if len(r.Metrics) == 0 {
			continue
		}
		b := 0.0
		for _, m := range r.Metrics {
			b = math.Max(b, m.TestAcc)
		}
		best, final = append(best, b), append(final, r.Metrics[len(r.Metrics)-1].TestAcc)
	}
	return best, final
}

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

func meanStd(v []float64) string {
	if len(v) == 0 {
		return "–"
	}
	m, s := stat.MeanStdDev(v, nil)
	if len(v) == 1 {
		return fmt.Sprintf("%.4f", m)
	}
	return fmt.Sprintf("%.4f ± %.4f", m, s)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return stat.Quantile(0.5, stat.Empirical, s, nil)
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

// scalingTests compares epoch times at s = 2 and s = 0.5 per optimizer,
// as the study did (its r: 1.83 ZO, 1.27 FO).
func scalingTests(w io.Writer, groups []*group) {
	index := map[string]*group{}
	for _, g := range groups {
		index[g.Name] = g
	}
	header := false
	for _, g := range groups {
		if !strings.HasPrefix(g.Name, "mynet-s0.5/") {
			continue
		}
		big, ok := index["mynet-s2/"+strings.TrimPrefix(g.Name, "mynet-s0.5/")]
		if !ok || len(g.epochSeconds()) < 2 || len(big.epochSeconds()) < 2 {
			continue
		}
		if !header {
			fmt.Fprintln(w, "\n## Model scaling: r = t(s=2)/t(s=0.5)\n\nThe study: r = 1.83 (ZO), 1.27 (FO). Welch's t-test on the epoch times.")
			fmt.Fprintln(w, "\n| setting | r (medians) | t | p |\n|---|---|---|---|")
			header = true
		}
		t, p := welch(big.epochSeconds(), g.epochSeconds())
		fmt.Fprintf(w, "| %s | %.2f | %.2f | %.2g |\n", strings.TrimPrefix(g.Name, "mynet-s0.5/"),
			median(big.epochSeconds())/median(g.epochSeconds()), t, p)
	}
}

// hybridTests compares ZO→FO with FO→ZO at each split (same model and
// split) on the final test accuracies over seeds (the study's t-test), or
// says why it cannot.
func hybridTests(w io.Writer, groups []*group) {
	header := false
	key := func(g *group) string { // model/…-splitX, settings dropped
		parts := strings.Split(g.Name, string(filepath.Separator))
		return parts[0] + "/" + parts[1]
	}
	for _, zf := range groups {
		if !strings.Contains(zf.Name, "/zo-sgd-then-fo-sgd-split") {
			continue
		}
		pair := strings.Replace(key(zf), "zo-sgd-then-fo-sgd", "fo-sgd-then-zo-sgd", 1)
		for _, fz := range groups {
			if key(fz) != pair {
				continue
			}
			if !header {
				fmt.Fprintln(w, "\n## Hybrid: ZO→FO vs FO→ZO\n\nThe study: ZOFO slightly above FOZO. Welch's t-test on the final test accuracies over seeds.")
				fmt.Fprintln(w, "\n| ZO→FO run | ZO→FO final | FO→ZO final | t | p |\n|---|---|---|---|---|")
				header = true
			}
			_, a := zf.finals()
			_, b := fz.finals()
			tp := "– | needs ≥ 2 seeds each"
			if len(a) > 1 && len(b) > 1 {
				t, p := welch(a, b)
				tp = fmt.Sprintf("%.2f | %.2g", t, p)
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", zf.Name, meanStd(a), meanStd(b), tp)
		}
	}
}
