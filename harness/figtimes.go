package main

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// drawEpochTimes draws the distribution of every epoch's seconds (all
// seeds) of the optimal settings and the CNN runs, one box per setting.
func (st *study) drawEpochTimes(file string) (bool, error) {
	groups := append(st.find(bestExp()), st.find(modelsExp())...)
	return st.epochTimes(file, "Seconds per epoch (optimizer steps only), every epoch of every seed", groups)
}

// epochTimes is a horizontal box plot per group on a log axis, the slowest
// group on top.
func (st *study) epochTimes(file, title string, groups []*group) (bool, error) {
	if len(groups) == 0 {
		return false, nil
	}
	p := newPanel(title, "seconds per epoch", "")
	labels := shortLabels(specsOf(groups))
	var names []string
	for i, g := range groups {
		v := plotter.Values(g.epochSeconds())
		if len(v) == 0 {
			continue
		}
		box, err := plotter.NewBoxPlot(vg.Points(14), float64(len(names)), v)
		if err != nil {
			return true, err
		}
		box.Horizontal, box.FillColor = true, translucent(palette[i%len(palette)])
		p.Add(box)
		names = append(names, labels[i])
	}
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.6, float64(len(names))-0.4
	logX(p)
	f := newFigure(p)
	f.width = 12 * vg.Inch // the labels take half
	return true, f.saveSized(file, 1.2*vg.Inch+vg.Length(len(names))*0.45*vg.Inch)
}

// scalePoints are MyNet's widths in the scaling figures, and the runs at
// each: the scale experiment's, and at s=1 the hybrid experiment's pure
// FO and ZO runs (the same settings, 20 epochs; their first 10 are a
// 10-epoch run's, no schedule being involved).
func (st *study) scalePoints(zo bool) (scales []float64, groups []*group) {
	runs := map[float64]Spec{}
	for _, s := range hybridExp() {
		if s.Split == 0 && s.usesZO() == zo { // the pure run (any seed: find groups seeds)
			runs[1] = s
		}
	}
	for _, s := range scaleExp() {
		if s.usesZO() == zo {
			runs[s.Scale] = s
		}
	}
	for _, scale := range []float64{0.25, 0.5, 1, 2} {
		if g := st.find([]Spec{runs[scale]}); len(g) == 1 {
			scales, groups = append(scales, scale), append(groups, g[0])
		}
	}
	return scales, groups
}

// scalingEpoch is the epoch the scaling figures compare: the study's 10.
const scalingEpoch = 10

// drawScaling draws test and train accuracy after 10 epochs and the median
// epoch time against the width s, FO and ZO, with the study's FO train
// accuracy (the only curves of the study that match a setting here).
func (st *study) drawScaling(file string) (bool, error) {
	acc := newPanel("Model scaling, MyNet: accuracy after 10 epochs (mean ± std over seeds) and seconds per epoch", "width scale s", "test accuracy")
	train := newPanel("", "width scale s", "train accuracy")
	sec := newPanel("", "width scale s", "median seconds per epoch")
	f := newFigure(acc, train, sec)
	drew := false
	for i, zo := range []bool{false, true} {
		scales, groups := st.scalePoints(zo)
		if len(groups) == 0 {
			continue
		}
		drew = true
		name := "FO-SGD, lr 1e-2, μ 0.9"
		if zo {
			name = fmt.Sprintf("ZO-SGD, lr %g, Rademacher per tensor, forward", stableZOLR)
		}
		c := palette[i*4]
		l, err := addScalePoints(acc, scales, groups, func(r metricRow) float64 { return r.TestAcc }, c)
		if err != nil {
			return true, err
		}
		f.add(name, l)
		if _, err := addScalePoints(train, scales, groups, func(r metricRow) float64 { return r.TrainAcc }, c); err != nil {
			return true, err
		}
		if err := addMedianTimes(sec, scales, groups, c); err != nil {
			return true, err
		}
		if !zo {
			if l := st.addStudyScaling(train, scales, groups, c); l != nil {
				f.add("the study: FO-SGD, same setting (train accuracy)", l)
			}
		}
	}
	if !drew {
		return false, nil
	}
	for _, p := range f.panels {
		scaleAxis(p)
	}
	logY(sec)
	return true, f.save(file)
}

// scaleAxis puts s on a log axis ticked at the widths run.
func scaleAxis(p *plot.Plot) {
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.ConstantTicks([]plot.Tick{{Value: 0.25, Label: "0.25"}, {Value: 0.5, Label: "0.5"},
		{Value: 1, Label: "1"}, {Value: 2, Label: "2"}})
	p.X.Min, p.X.Max = 0.2, 2.5
}

// errPoints are points with a symmetric vertical error.
type errPoints struct {
	plotter.XYs
	plotter.YErrors
}

// addScalePoints plots metric at scalingEpoch per scale, mean ± std.
func addScalePoints(p *plot.Plot, scales []float64, groups []*group, metric func(metricRow) float64, c color.Color) (*plotter.Line, error) {
	var pts errPoints
	for i, g := range groups {
		v := g.atEpoch(scalingEpoch, metric)
		if len(v) == 0 {
			continue
		}
		m, s := meanAndStd(v)
		pts.XYs = append(pts.XYs, plotter.XY{X: scales[i], Y: m})
		pts.YErrors = append(pts.YErrors, struct{ Low, High float64 }{s, s})
	}
	return addErrLine(p, pts, c)
}

func addErrLine(p *plot.Plot, pts errPoints, c color.Color) (*plotter.Line, error) {
	if len(pts.XYs) == 0 {
		return nil, nil
	}
	lp, sc, err := plotter.NewLinePoints(pts.XYs)
	if err != nil {
		return nil, err
	}
	bars, err := plotter.NewYErrorBars(pts)
	if err != nil {
		return nil, err
	}
	lp.Color, sc.Color, bars.Color = c, c, c
	p.Add(lp, sc, bars)
	return lp, nil
}

// addMedianTimes plots the median seconds of the first scalingEpoch
// epochs per scale.
func addMedianTimes(p *plot.Plot, scales []float64, groups []*group, c color.Color) error {
	var xy plotter.XYs
	for i, g := range groups {
		if v := g.epochSecondsTo(scalingEpoch); len(v) > 0 {
			xy = append(xy, plotter.XY{X: scales[i], Y: median(v)})
		}
	}
	if len(xy) == 0 {
		return nil
	}
	lp, sc, err := plotter.NewLinePoints(xy)
	if err != nil {
		return err
	}
	lp.Color, sc.Color = c, c
	p.Add(lp, sc)
	return nil
}

// addStudyScaling plots the study's FO train accuracy at epoch 10 at the
// scales where its file matches the run's setting.
func (st *study) addStudyScaling(p *plot.Plot, scales []float64, groups []*group, c color.Color) *plotter.Line {
	var xy plotter.XYs
	for i, g := range groups {
		for _, r := range referencesOf(st.refs, g.key()) {
			if len(r.TrainAcc) >= scalingEpoch {
				xy = append(xy, plotter.XY{X: scales[i], Y: r.TrainAcc[scalingEpoch-1]})
				break
			}
		}
	}
	if len(xy) == 0 {
		return nil
	}
	l, err := plotter.NewLine(xy)
	if err != nil {
		return nil
	}
	l.Color, l.Dashes = c, dashes[2]
	p.Add(l)
	return l
}

// drawTimeRatio draws t(ZO)/t(FO), the ratio of median epoch seconds,
// against s: the cost of a ZO epoch in FO epochs.
func (st *study) drawTimeRatio(file string) (bool, error) {
	scales, fo := st.scalePoints(false)
	zoScales, zo := st.scalePoints(true)
	var xy plotter.XYs
	for i, s := range scales {
		for j, z := range zoScales {
			if z == s {
				xy = append(xy, plotter.XY{X: s, Y: median(zo[j].epochSecondsTo(scalingEpoch)) / median(fo[i].epochSecondsTo(scalingEpoch))})
			}
		}
	}
	if len(xy) == 0 {
		return false, nil
	}
	p := newPanel(fmt.Sprintf("ZO-SGD (per tensor, forward) over FO-SGD seconds per epoch, MyNet, %d thread(s) a run",
		fo[0].Runs[0].Config.Environment.Threads), "width scale s", "t(ZO) / t(FO)")
	lp, sc, err := plotter.NewLinePoints(xy)
	if err != nil {
		return true, err
	}
	lp.Color, sc.Color = palette[4], palette[4]
	one, err := plotter.NewLine(plotter.XYs{{X: 0.2, Y: 1}, {X: 2.5, Y: 1}})
	if err != nil {
		return true, err
	}
	one.Color, one.Dashes = color.Gray{Y: 0x88}, dashes[1]
	p.Add(one, lp, sc)
	p.Y.Min = math.Min(0, p.Y.Min)
	scaleAxis(p)
	f := newFigure(p)
	f.add("median of the first 10 epochs' seconds, all seeds", lp)
	f.add("equal time", one)
	return true, f.save(file)
}

// atEpoch is metric at the 1-based epoch of every run that reached it.
func (g *group) atEpoch(epoch int, metric func(metricRow) float64) []float64 {
	var v []float64
	for _, r := range g.Runs {
		if len(r.Metrics) >= epoch {
			v = append(v, metric(r.Metrics[epoch-1]))
		}
	}
	return v
}

// epochSecondsTo is the seconds of every run's first n epochs.
func (g *group) epochSecondsTo(n int) []float64 {
	var v []float64
	for _, r := range g.Runs {
		for _, m := range r.Metrics[:min(n, len(r.Metrics))] {
			v = append(v, m.Sec)
		}
	}
	return v
}

// meanAndStd is the mean and the sample standard deviation (0 for one value).
func meanAndStd(v []float64) (mean, std float64) {
	mean, std = stat.MeanStdDev(v, nil)
	if len(v) < 2 {
		std = 0
	}
	return mean, std
}
