package main

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// drawEstimateQuality draws, for every setting of the model whose runs
// checked their estimates, the cosine between the ZO estimate and the true
// mini-batch gradient and the estimate's relative error, over training
// (mean over seeds at each checked step).
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
	cos := newPanel(model+": ZO estimate ĝ against the true mini-batch gradient g (mean over seeds)",
		"training step", "cosine(ĝ, g)")
	rel := newPanel("", "training step", "|ĝ − g| / |g|")
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
		f.add(labels[i]+meanNote(g), lc)
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

// checkCurves are the mean cosine and relative error per checked step,
// over the runs that checked that step.
func (g *group) checkCurves() (cos, rel plotter.XYs) {
	type sum struct {
		c, r float64
		n    int
	}
	sums := map[int]*sum{}
	var steps []int
	for _, run := range g.Runs {
		for _, c := range run.Checks {
			s, ok := sums[c.Step]
			if !ok {
				s = &sum{}
				sums[c.Step] = s
				steps = append(steps, c.Step)
			}
			s.c, s.r, s.n = s.c+c.Cosine, s.r+c.RelErr, s.n+1
		}
	}
	for _, step := range steps {
		s := sums[step]
		cos = append(cos, plotter.XY{X: float64(step), Y: s.c / float64(s.n)})
		rel = append(rel, plotter.XY{X: float64(step), Y: s.r / float64(s.n)})
	}
	return cos, rel
}
