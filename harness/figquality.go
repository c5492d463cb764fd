package main

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// drawEstimateQuality draws, for every setting of the model whose runs
// checked their estimates, the cosine between the ZO estimate and the true
// mini-batch gradient and the estimate's relative error, per epoch.
func drawEstimateQuality(file, model string, groups []*group) (bool, error) {
	var checked []*group
	for _, g := range groups {
		if len(g.Runs[0].Checks) > 0 {
			checked = append(checked, g)
		}
	}
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

func addLine(p *plot.Plot, xy plotter.XYs, st lineStyle) (*plotter.Line, error) {
	l, err := plotter.NewLine(xy)
	if err != nil {
		return nil, err
	}
	l.Color, l.Dashes, l.Width = st.color, st.dash, vg.Points(1)
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
