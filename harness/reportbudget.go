package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/zofo/zofo/optim"
)

// writeBudgets reports, per model, for the best setting of each optimizer
// (chosen on validation accuracy, among the runs of the most epochs), the
// validation accuracy it reaches on the budget of 10 and of 100 FO-SGD
// epochs and what it spends to reach each validation accuracy.
func (st *study) writeBudgets(w io.Writer) {
	fmt.Fprintln(w, "\n## Equal budgets")
	fmt.Fprintf(w, "\nA forward pass of the model on one example counts 1; a backward pass counts %d (its two products, "+
		"output gradient by weights and by input, each the size of the forward one). The first columns read the mean "+
		"validation accuracy over seeds at the last epoch within the budget of 10 and of 100 FO-SGD epochs (a forward and a "+
		"backward pass on every training example); the others are cumulative at the end of the first epoch whose mean "+
		"validation accuracy reaches the threshold. Seconds are this machine's.\n", optim.BackwardCost)
	for _, model := range st.models() {
		best := bestPerOptimizer(st.modelGroups(model))
		if len(best) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n### %s\n\n| setting | n |", model)
		for _, epochs := range foBudgets {
			fmt.Fprintf(w, " val acc at %d FO-SGD epochs' budget |", epochs)
		}
		for _, th := range thresholds {
			fmt.Fprintf(w, " to %g%%: forward-pass equivalents, seconds |", th*100)
		}
		fmt.Fprintln(w, "\n|---|---|"+strings.Repeat("---|", len(foBudgets)+len(thresholds)))
		labels := shortLabels(specsOf(best))
		for i, g := range best {
			fmt.Fprintf(w, "| %s | %d |", labels[i], len(g.Runs))
			for _, epochs := range foBudgets {
				fmt.Fprintf(w, " %s |", g.accAtBudget(float64(epochs)*foEpochCost(g.spec())))
			}
			for _, th := range thresholds {
				fmt.Fprintf(w, " %s |", g.budgetCell(th))
			}
			fmt.Fprintln(w)
		}
		figureLink(w, model+"-budget", model+": accuracy at equal budgets")
	}
}

// foBudgets are the budgets, in FO-SGD epochs, at which the report reads
// each setting's validation accuracy.
var foBudgets = []int{10, 100}

// foEpochCost is an FO-SGD epoch's forward-pass equivalents on the run's
// training examples: a forward and a backward pass on each.
func foEpochCost(s Spec) float64 {
	n := mnistTrainLen - s.Val
	if s.TrainLimit > 0 {
		n = min(n, s.TrainLimit)
	}
	return float64(n) * (1 + optim.BackwardCost)
}

// accAtBudget is the mean validation accuracy at the last epoch whose
// cumulative forward-pass equivalents stay within budget, or why there is
// none.
func (g *group) accAtBudget(budget float64) string {
	acc, _ := g.curve(func(r metricRow) float64 { return r.ValAcc })
	fe, _ := g.curve(func(r metricRow) float64 { return r.FwdEquiv })
	last := -1
	for e := range fe {
		if fe[e] <= budget {
			last = e
		}
	}
	switch {
	case last < 0:
		return "past its first epoch"
	case last == len(fe)-1 && fe[last] < budget:
		return fmt.Sprintf("%.4f (run ends at %.3g)", acc[last], fe[last])
	}
	return fmt.Sprintf("%.4f (epoch %d)", acc[last], last+1)
}

// budgetCell is the forward-pass equivalents and seconds to reach th, or
// "not reached".
func (g *group) budgetCell(th float64) string {
	acc, _ := g.curve(func(r metricRow) float64 { return r.ValAcc })
	fe, _ := g.curve(func(r metricRow) float64 { return r.FwdEquiv })
	sec, _ := g.curve(func(r metricRow) float64 { return r.CumSec })
	for e, a := range acc {
		if a >= th {
			return fmt.Sprintf("%.3g, %.1f s (epoch %d)", fe[e], sec[e], e+1)
		}
	}
	return "not reached"
}

// writeQuality reports the ZO estimates' agreement with the true gradient.
func (st *study) writeQuality(w io.Writer) {
	var checked []*group
	for _, model := range st.models() {
		checked = append(checked, qualityGroups(st.modelGroups(model))...)
	}
	if len(checked) == 0 {
		return
	}
	fmt.Fprintln(w, "\n## Estimate quality")
	fmt.Fprintln(w, "\nEvery checked step, the ZO estimate ĝ the step used is compared with the true mini-batch gradient ∇L "+
		"(backpropagation, not used by the step nor charged to its budget). For each model, the best setting (on "+
		"validation) of each ZO rule and estimator. Medians over all checks of all seeds; the first and last epochs' checks apart.")
	fmt.Fprintln(w, "\n| model | setting | checks | cosine, first epoch | cosine, last epoch | cosine, all | relative error, all |\n|---|---|---|---|---|---|---|")
	var figures []string
	for _, model := range st.models() {
		these := inFolder(checked, model)
		labels := shortLabels(specsOf(these))
		for i, g := range these {
			first, last, all, rel := g.checkStats()
			fmt.Fprintf(w, "| %s | %s | %d | %.4f | %.4f | %.4f | %.3g |\n", model, labels[i], len(all), median(first), median(last),
				median(all), median(rel))
		}
		if len(these) > 0 {
			figures = append(figures, model)
		}
	}
	for _, model := range figures { // after the table: a link inside would end it
		figureLink(w, model+"-estimate-quality", model+": estimate quality")
	}
}

// checkStats splits the group's cosines by epoch (the first and the last
// epoch any run checked) and returns every relative error.
func (g *group) checkStats() (first, last, all, rel []float64) {
	lastEpoch := 0
	for _, r := range g.Runs {
		for _, c := range r.Checks {
			lastEpoch = max(lastEpoch, c.Epoch)
		}
	}
	for _, r := range g.Runs {
		for _, c := range r.Checks {
			all, rel = append(all, c.Cosine), append(rel, c.RelErr)
			switch c.Epoch {
			case 1:
				first = append(first, c.Cosine)
			case lastEpoch:
				last = append(last, c.Cosine)
			}
		}
	}
	return first, last, all, rel
}

// writeEnvironment lists where the runs ran: every CPU, kernel path,
// commit, Go version and thread count, with how many runs each.
func writeEnvironment(w io.Writer, runs []runData) {
	fmt.Fprintln(w, "\n## Environment")
	fmt.Fprintln(w)
	for _, f := range []struct {
		name string
		of   func(Environment) string
	}{
		{"CPU", func(e Environment) string { return e.CPUID.String() }},
		{"kernel path", func(e Environment) string { return e.KernelPath }},
		{"commit", func(e Environment) string { return e.Commit }},
		{"Go", func(e Environment) string { return e.GoVersion }},
		{"threads per run", func(e Environment) string { return fmt.Sprint(e.Threads) }},
	} {
		count := map[string]int{}
		var order []string
		for _, r := range runs {
			v := f.of(r.Config.Environment)
			if count[v] == 0 {
				order = append(order, v)
			}
			count[v]++
		}
		slices.Sort(order)
		var parts []string
		for _, v := range order {
			parts = append(parts, fmt.Sprintf("%s (%d runs)", v, count[v]))
		}
		fmt.Fprintf(w, "- %s: %s\n", f.name, strings.Join(parts, "; "))
	}
}
