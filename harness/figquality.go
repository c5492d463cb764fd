package main

import (
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// drawEstimateQuality draws, for the settings qualityGroups picks, the
// cosine between the ZO estimate and the true mini-batch gradient and the
// estimate's relative error, per epoch.
func drawEstimateQuality(file, model string, groups []*group) (bool, error) {
	checked := qualityGroups(groups)
	if len(checked) == 0 {
		return false, nil
	}
	cos := epochPanel(model+": ZO estimate ĝ against the true gradient g, median per epoch",
		"cosine(ĝ, g)")
	rel := epochPanel("", "|ĝ − g| / |g|")
	f := newFigure(cos, rel)
	labels := shortLabels(specsOf(checked))
	styles := defaultStyles(len(checked))
	for i, g := range checked {
		c, r := g.checkCurves()
		lc, err := addLine(cos, c, styles[i])
		if err != nil {
			return true, err
		}
		if _, err := addLine(rel, r, styles[i]); err != nil {
			return true, err
		}
		f.add(labels[i]+seedCount(g), lc)
	}
	logY(rel)
	return true, f.save(file)
}

// addLine draws a line in the curve's style.
func addLine(p *plot.Plot, xy plotter.XYs, st lineStyle) (*plotter.Line, error) {
	l, err := plotter.NewLine(xy)
	if err != nil {
		return nil, err
	}
	l.Color, l.Dashes, l.Width = st.color, st.dash, vg.Points(1.5)
	p.Add(l)
	return l, nil
}

// checkCurves are the median cosine and relative error of each epoch's
// checks, over every seed: a check is one noisy sample, an epoch's
// hundreds of them show the trend.
func (g *group) checkCurves() (cos, rel plotter.XYs) {
	byEpoch := map[int][2][]float64{}
	last := 0
	for _, run := range g.Runs {
		for _, c := range run.Checks {
			v := byEpoch[c.Epoch]
			byEpoch[c.Epoch] = [2][]float64{append(v[0], c.Cosine), append(v[1], c.RelErr)}
			last = max(last, c.Epoch)
		}
	}
	for e := 1; e <= last; e++ {
		if v, ok := byEpoch[e]; ok {
			cos = append(cos, plotter.XY{X: float64(e), Y: median(v[0])})
			rel = append(rel, plotter.XY{X: float64(e), Y: median(v[1])})
		}
	}
	return cos, rel
}

// qualityGroups picks, among a model's settings whose runs checked their
// estimates, the best (on validation) of each ZO rule and estimator: a
// figure of every learning rate and ε would be a tangle. Hybrids are left
// out; their ZO stage is a pure run's estimator.
func qualityGroups(groups []*group) []*group {
	best := map[string]*group{}
	var order []string
	for _, g := range groups {
		s := g.spec()
		if len(g.Runs[0].Checks) == 0 || strings.Contains(s.Opt, ":") {
			continue
		}
		key := s.Opt + " " + estimatorName(s)
		b, ok := best[key]
		if !ok {
			order = append(order, key)
		}
		if !ok || g.bestVal() > b.bestVal() {
			best[key] = g
		}
	}
	slices.Sort(order)
	out := make([]*group, len(order))
	for i, k := range order {
		out[i] = best[k]
	}
	return out
}
