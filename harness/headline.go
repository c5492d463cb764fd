package main

import (
	"fmt"
	"io"
	"strings"
)

// headlineBudget is the validation accuracy whose cost the headline quotes.
const headlineBudget = 0.95

// writeHeadline writes the answer in one table: each optimal MyNet setting
// and each CNN run, its test accuracy at the epoch validation picks, what
// it spent to reach 95% validation accuracy, and its epoch time. README
// quotes it (TestReadmeQuotesTheHeadline).
func writeHeadline(w io.Writer, st *study) {
	groups := append(st.find(bestExp()), st.find(modelsExp())...)
	if len(groups) == 0 {
		return
	}
	fmt.Fprintln(w, "| model | optimizer, setting | n | test acc at the best val epoch | to 95% val acc: forward-pass equivalents | median s/epoch |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, g := range groups {
		s := g.spec()
		budget := "not reached"
		if fe, ok := g.budgetTo(headlineBudget); ok {
			budget = fmt.Sprintf("%.3g", fe)
		}
		acc := meanAndStdText(g.outcomes(testAtBestOf))
		if d := g.diverged(); d > 0 {
			acc = strings.TrimPrefix(fmt.Sprintf("%s, %d of %d diverged", acc, d, len(g.Runs)), "–, ")
		}
		fmt.Fprintf(w, "| %s | %s | %d | %s | %s | %s |\n", modelName(s), headlineSetting(s), len(g.Runs), acc, budget,
			seconds(median(g.epochSeconds())))
	}
}

// headlineSetting is a setting in a few words: the optimizer, its rate and
// what sets it apart.
func headlineSetting(s Spec) string {
	out := fmt.Sprintf("%s, lr %g", optName(s.Opt), s.LR)
	if s.Momentum > 0 && !s.usesZO() {
		out += fmt.Sprintf(", μ %g", s.Momentum)
	}
	switch {
	case s.usesZO() && s.PerTensor && s.Diff == "forward" && s.Q == 1:
		out += ", the study's estimator"
	case s.usesZO() || s.usesFG():
		out += ", " + estimatorName(s)
	}
	if len(s.Milestones) > 0 {
		out += ", step decay"
	}
	if s.Schedule == "cosine" {
		out += ", cosine"
	}
	if s.Warmup > 0 {
		out += fmt.Sprintf(", warmup %d", s.Warmup)
	}
	return out
}

// meanAndStdText is mean ± std in percent (one run alone).
func meanAndStdText(v []float64) string {
	switch len(v) {
	case 0:
		return "–"
	case 1:
		return fmt.Sprintf("%.2f%%", 100*v[0])
	}
	m, s := meanAndStd(v)
	return fmt.Sprintf("%.2f ± %.2f%%", 100*m, 100*s)
}
