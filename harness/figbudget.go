package main

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// thresholds are the validation accuracies whose cost the budget figures
// and tables compare.
var thresholds = []float64{0.90, 0.95, 0.97}

// modelOf is a group's model folder: mynet-s1, mynetplus, convnet…
func modelOf(g *group) string { return strings.SplitN(g.Name, "/", 2)[0] }

// models lists the model folders that have runs.
func (st *study) models() []string {
	var out []string
	for _, g := range st.groups {
		if m := modelOf(g); !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out
}

// modelGroups is the groups of one model folder.
func (st *study) modelGroups(model string) []*group { return inFolder(st.groups, model) }

// inFolder is the groups of one model folder among groups.
func inFolder(groups []*group, model string) []*group {
	var out []*group
	for _, g := range groups {
		if modelOf(g) == model {
			out = append(out, g)
		}
	}
	return out
}

// inExperiment reports whether a group is one of the study's settings.
func inExperiment(g *group) bool {
	all, _ := experiment("all")
	for _, s := range all {
		if settingKey(s) == g.key() {
			return true
		}
	}
	return false
}

// modelFigures are a model's equal-budget and estimate-quality figures,
// and for a model none of whose runs is a study setting, the curves of
// each optimizer's best setting and the epoch times.
func (st *study) modelFigures(model string) []namedFigure {
	groups := st.modelGroups(model)
	best := bestPerOptimizer(groups)
	figs := []namedFigure{
		{model + "-budget", func(file string) (bool, error) { return true, drawBudget(file, model, best) }},
		{model + "-estimate-quality", func(file string) (bool, error) { return drawEstimateQuality(file, model, groups) }},
	}
	if slices.ContainsFunc(groups, inExperiment) {
		return figs
	}
	return append(figs,
		namedFigure{model + "-best", st.curves(model+": the best setting of each optimizer (chosen on validation accuracy)", best, nil)},
		namedFigure{model + "-epoch-time", func(file string) (bool, error) {
			return st.epochTimes(file, model+": seconds per epoch, every epoch of every seed", best)
		}})
}

// bestPerOptimizer keeps, per optimizer, the setting of highest mean best
// validation accuracy among the runs of the most epochs (a 100-epoch run
// is not set against a 10-epoch one) that never diverged, in the order of
// the optimizers.
func bestPerOptimizer(groups []*group) []*group {
	most := 0
	for _, g := range groups {
		most = max(most, g.spec().Epochs)
	}
	best := map[string]*group{}
	for _, g := range groups {
		opt := method(g.spec())
		if g.spec().Epochs != most || math.IsNaN(g.bestVal()) || g.diverged() > 0 {
			continue
		}
		if b, ok := best[opt]; !ok || g.bestVal() > b.bestVal() {
			best[opt] = g
		}
	}
	var out []*group
	for _, opt := range slices.Sorted(maps.Keys(best)) {
		out = append(out, best[opt])
	}
	return out
}

// method is the optimizer of a run and the variant of its directions that
// makes it another method (sparse or low-rank ZO-SGD): what "the best
// setting of each optimizer" keeps one of.
func method(s Spec) string {
	switch {
	case s.Sparsity > 0:
		return s.Opt + " sparse " + s.Mask
	case s.Rank > 0:
		return s.Opt + " low-rank"
	}
	return s.Opt
}

// drawBudget draws validation accuracy against forward-pass equivalents
// and against training seconds, and what each setting spends to reach
// each threshold.
func drawBudget(file, model string, groups []*group) error {
	byCompute := newPanel(model+": validation accuracy at equal budgets (best setting of each optimizer, mean over seeds)",
		"forward-pass equivalents (one example's forward = 1, a backward = 2)", "val accuracy")
	byTime := newPanel("", "training seconds (optimizer steps, this machine)", "val accuracy")
	f := newFigure(byCompute, byTime)
	labels := shortLabels(specsOf(groups))
	styles := defaultStyles(len(groups))
	for i, g := range groups {
		acc, _ := g.curve(func(r metricRow) float64 { return r.ValAcc })
		if len(acc) == 0 {
			continue
		}
		fe, _ := g.curve(func(r metricRow) float64 { return r.FwdEquiv })
		sec, _ := g.curve(func(r metricRow) float64 { return r.CumSec })
		l, err := addXY(byCompute, fe, acc, styles[i])
		if err != nil {
			return err
		}
		if _, err := addXY(byTime, sec, acc, styles[i]); err != nil {
			return err
		}
		f.add(labels[i]+meanNote(g), l)
	}
	reach, err := reachPanel(f, groups)
	if err != nil {
		return err
	}
	if reach != nil {
		f.panels = append(f.panels, reach)
	}
	for _, p := range f.panels {
		logX(p)
	}
	return f.save(file)
}

// addXY draws y against x.
func addXY(p *plot.Plot, x, y []float64, st lineStyle) (*plotter.Line, error) {
	xy := make(plotter.XYs, len(y))
	for i := range y {
		xy[i] = plotter.XY{X: x[i], Y: y[i]}
	}
	return addLine(p, xy, st)
}

// reachPanel marks, per setting, the forward-pass equivalents spent when
// its mean validation accuracy first reached each threshold; a threshold
// never reached is named beside its optimizer (each optimizer has one
// setting here). Nil if none was reached.
func reachPanel(f *figure, groups []*group) (*plot.Plot, error) {
	p := newPanel("Budget to reach a validation accuracy (first epoch at or above it)",
		"forward-pass equivalents", "")
	names := make([]string, len(groups))
	reached := false
	for k, th := range thresholds {
		var xy plotter.XYs
		for i, g := range groups {
			if fe, ok := g.budgetTo(th); ok {
				xy = append(xy, plotter.XY{X: fe, Y: float64(i)})
			} else {
				names[i] += fmt.Sprintf(", %g%%", th*100)
			}
		}
		if len(xy) == 0 {
			continue
		}
		reached = true
		sc, err := plotter.NewScatter(xy)
		if err != nil {
			return nil, err
		}
		sc.Color, sc.Shape, sc.Radius = palette[k+3], glyphs[k], vg.Points(4)
		p.Add(sc)
		f.add(fmt.Sprintf("budget to %g%% val accuracy", th*100), sc)
	}
	for i := range names {
		if names[i] != "" {
			names[i] = optName(groups[i].spec().Opt) + " (not reached:" + names[i][1:] + ")"
		} else {
			names[i] = optName(groups[i].spec().Opt)
		}
	}
	if !reached {
		return nil, nil
	}
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.6, float64(len(names))-0.4
	return p, nil
}

// budgetTo is the forward-pass equivalents at the first epoch whose mean
// validation accuracy over seeds is at least th.
func (g *group) budgetTo(th float64) (float64, bool) {
	acc, _ := g.curve(func(r metricRow) float64 { return r.ValAcc })
	fe, _ := g.curve(func(r metricRow) float64 { return r.FwdEquiv })
	for e, a := range acc {
		if a >= th {
			return fe[e], true
		}
	}
	return 0, false
}
