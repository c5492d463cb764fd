package main

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// lineStyle is a curve's colour and dash.
type lineStyle struct {
	color color.Color
	dash  []vg.Length
}

// defaultStyles gives n curves distinct styles.
func defaultStyles(n int) []lineStyle {
	out := make([]lineStyle, n)
	for i := range out {
		out[i].color, out[i].dash = curveStyle(i)
	}
	return out
}

// curveMetrics are the panels of a curve figure, top to bottom.
var curveMetrics = []struct {
	label string
	of    func(metricRow) float64
	study func(referenceCurve) []float64
}{
	{"train loss", func(r metricRow) float64 { return r.TrainLoss }, nil},
	{"train accuracy", func(r metricRow) float64 { return r.TrainAcc }, func(c referenceCurve) []float64 { return c.TrainAcc }},
	{"test accuracy", func(r metricRow) float64 { return r.TestAcc }, func(c referenceCurve) []float64 { return c.TestAcc }},
}

// drawCurves draws train loss, train accuracy and test accuracy per epoch:
// each group's mean over its seeds with a ±1 std band, and the study's
// runs of the same setting (their mean, dotted) where refs has them. The
// study's loss is left out: its double softmax makes it another quantity.
func drawCurves(file, title string, groups []*group, labels []string, styles []lineStyle, refs []referenceCurve) error {
	f := newFigure()
	for k, m := range curveMetrics {
		p := epochPanel("", m.label)
		if k == 0 {
			p.Title.Text = title
		}
		for i, g := range groups {
			l, err := addBand(p, g, m.of, styles[i])
			if err != nil {
				return err
			}
			if k == 0 && l != nil {
				f.add(labels[i]+seedsNote(g), l)
			}
			if k == 0 && l == nil { // every run diverged before its first epoch ended
				f.add(fmt.Sprintf("%s: diverged, no epoch finished (%d of %d runs)", labels[i], g.diverged(), len(g.Runs)))
			}
			if m.study == nil {
				continue
			}
			if l, n := addStudy(p, referencesOf(refs, g.key()), m.study, styles[i]); l != nil && k == 1 {
				f.add(fmt.Sprintf("the study: %s (%s)", labels[i], runsNote(n)), l)
			}
		}
		f.panels = append(f.panels, p)
	}
	return f.save(file)
}

func seedsNote(g *group) string {
	if len(g.Runs) == 1 {
		return " (1 seed)"
	}
	return fmt.Sprintf(" (%d seeds, ±1 std)", len(g.Runs))
}

// seedCount says how many seeds a curve pools.
func seedCount(g *group) string {
	if len(g.Runs) == 1 {
		return " (1 seed)"
	}
	return fmt.Sprintf(" (%d seeds)", len(g.Runs))
}

// meanNote is seedsNote for a line drawn without its band.
func meanNote(g *group) string {
	if len(g.Runs) == 1 {
		return " (1 seed)"
	}
	return fmt.Sprintf(" (mean of %d seeds)", len(g.Runs))
}

func runsNote(n int) string {
	if n == 1 {
		return "1 run"
	}
	return fmt.Sprintf("mean of %d runs", n)
}

// addBand adds the group's mean line of metric and a translucent ±1 std
// polygon, and returns the line (nil if no epoch finished).
func addBand(p *plot.Plot, g *group, metric func(metricRow) float64, st lineStyle) (*plotter.Line, error) {
	mean, std := g.curve(metric)
	if len(mean) == 0 {
		return nil, nil
	}
	line, lo, hi := make(plotter.XYs, len(mean)), make(plotter.XYs, len(mean)), make(plotter.XYs, len(mean))
	for e := range mean {
		x := float64(e + 1)
		line[e] = plotter.XY{X: x, Y: mean[e]}
		// The band's outline: the lower edge forward, the upper edge back.
		lo[e], hi[len(mean)-1-e] = plotter.XY{X: x, Y: mean[e] - std[e]}, plotter.XY{X: x, Y: mean[e] + std[e]}
	}
	if len(g.Runs) > 1 {
		band, err := plotter.NewPolygon(append(lo, hi...))
		if err != nil {
			return nil, err
		}
		band.Color, band.LineStyle.Width = translucent(st.color), 0
		p.Add(band)
	}
	return addLine(p, line, st)
}

// addStudy draws the mean of the study's curves (of one setting) dotted in
// the group's colour (dash-dotted beside a dashed curve); it returns the
// line and how many files it averages.
func addStudy(p *plot.Plot, refs []referenceCurve, values func(referenceCurve) []float64, st lineStyle) (*plotter.Line, int) {
	var sum []float64
	n := 0
	for _, c := range refs {
		v := values(c)
		if len(v) == 0 {
			continue
		}
		if n == 0 {
			sum = make([]float64, len(v))
		}
		for e := range min(len(v), len(sum)) {
			sum[e] += v[e]
		}
		sum = sum[:min(len(v), len(sum))]
		n++
	}
	if n == 0 {
		return nil, 0
	}
	xy := make(plotter.XYs, len(sum))
	for e, v := range sum {
		xy[e] = plotter.XY{X: float64(e + 1), Y: v / float64(n)}
	}
	l, err := plotter.NewLine(xy)
	if err != nil {
		return nil, 0
	}
	l.Color, l.Dashes, l.Width = st.color, dashes[2], vg.Points(1.5)
	if st.dash != nil { // a dashed curve's study run dash-dotted, apart from a solid one's
		l.Dashes = dashes[3]
	}
	p.Add(l)
	return l, n
}
