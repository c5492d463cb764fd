package main

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// study is the runs of an output directory, by setting, and the study's
// own curves.
type study struct {
	groups []*group
	byKey  map[string]*group
	refs   []referenceCurve
}

func newStudy(runs []runData, refs []referenceCurve) *study {
	st := &study{groups: groupBySetting(runs), byKey: map[string]*group{}, refs: refs}
	for _, g := range st.groups {
		st.byKey[g.key()] = g
	}
	return st
}

// spec is the group's setting (its first run's spec).
func (g *group) spec() Spec { return g.Runs[0].Config.Spec }

func (g *group) key() string { return settingKey(g.spec()) }

// find returns the groups of the given settings that ran, in their order.
func (st *study) find(specs []Spec) []*group {
	var out []*group
	for _, s := range distinctSettings(specs) {
		if g, ok := st.byKey[settingKey(s)]; ok && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// namedFigure is one figure to draw; draw reports false if it had no runs.
type namedFigure struct {
	name string
	draw func(file string) (bool, error)
}

// curves is a curve figure of the groups, if any ran.
func (st *study) curves(title string, groups []*group, styles []lineStyle) func(string) (bool, error) {
	return func(file string) (bool, error) {
		if len(groups) == 0 {
			return false, nil
		}
		if styles == nil {
			styles = defaultStyles(len(groups))
		}
		return true, drawCurves(file, title, groups, shortLabels(specsOf(groups)), styles, st.refs)
	}
}

func specsOf(groups []*group) []Spec {
	out := make([]Spec, len(groups))
	for i, g := range groups {
		out[i] = g.spec()
	}
	return out
}

// figures lists the study's figures, then each model's.
func (st *study) figures() []namedFigure {
	sgd, sign := st.samePairs(false), st.samePairs(true)
	models := st.find(modelsExp())
	figs := []namedFigure{
		{"best", st.curves("MyNet s=1, 100 epochs: the study's optimal settings and zofo's tuned ZO", st.find(bestExp()), nil)},
		{"samelr-sgd", st.curves("MyNet s=1, 100 epochs: FO-SGD (solid) and ZO-SGD (dashed) at the same learning rates", sgd, pairStyles(sgd))},
		{"samelr-signsgd", st.curves("MyNet s=1, 100 epochs: FO-signSGD (solid) and ZO-signSGD (dashed) at the same learning rates", sign, pairStyles(sign))},
		{"grid", st.drawGrid},
		{"epoch-time", st.drawEpochTimes},
		{"scaling", st.drawScaling},
		{"zo-fo-time", st.drawTimeRatio},
		{"hybrid", st.drawHybrid},
		{"mynetplus", st.curves("MyNetPlus, 100 epochs, lr 2e-4", inFolder(models, "mynetplus"), nil)},
		{"convnet", st.curves("ConvNet, 10 epochs", inFolder(models, "convnet"), nil)},
	}
	for _, model := range st.models() {
		figs = append(figs, st.modelFigures(model)...)
	}
	return figs
}

// samePairs is the same-learning-rate experiment's SGD or sign pairs.
func (st *study) samePairs(sign bool) []*group {
	var specs []Spec
	for _, s := range sameLRExp() {
		if strings.Contains(s.Opt, "sign") == sign {
			specs = append(specs, s)
		}
	}
	return st.find(specs)
}

// pairStyles colours curves by learning rate and dashes ZO.
func pairStyles(groups []*group) []lineStyle {
	var lrs []float64
	out := make([]lineStyle, len(groups))
	for i, g := range groups {
		s := g.spec()
		k := slices.Index(lrs, s.LR)
		if k < 0 {
			k, lrs = len(lrs), append(lrs, s.LR)
		}
		out[i].color = palette[k]
		if s.usesZO() {
			out[i].dash = dashes[1]
		}
	}
	return out
}

// drawGrid plots each optimizer's best validation accuracy over its 10
// epochs against the learning rate, a panel per optimizer and a line per
// momentum or ε; a diverged run is a gap, named in its panel's title.
func (st *study) drawGrid(file string) (bool, error) {
	groups := st.find(gridExp())
	if len(groups) == 0 {
		return false, nil
	}
	f := newFigure()
	series := 0 // over all panels: each line its own colour
	for _, opt := range []string{"fo-sgd", "fo-signsgd", "zo-sgd", "zo-signsgd"} {
		p := newPanel(optNames[opt], "learning rate", "best val accuracy")
		lines, order, diverged := gridLines(groups, opt)
		if len(diverged) > 0 {
			p.Title.Text += " (diverged: " + strings.Join(diverged, "; ") + ")"
		}
		for i, name := range order {
			if len(lines[name]) == 0 {
				continue
			}
			lp, sc, err := plotter.NewLinePoints(lines[name])
			if err != nil {
				return true, err
			}
			c := palette[series%len(palette)]
			lp.Color, sc.Color, sc.Shape, sc.Radius = c, c, glyphs[i%len(glyphs)], vg.Points(3)
			p.Add(lp, sc)
			f.add(name, lp, sc)
			series++
		}
		logX(p)
		f.panels = append(f.panels, p)
	}
	f.panels[0].Title.Text = "Grid search, MyNet s=1, 10 epochs: each run's best validation accuracy. " + f.panels[0].Title.Text
	return true, f.save(file)
}

// gridLines is an optimizer's grid as lines (learning rate, best
// validation accuracy) by series name, in order, and its diverged runs.
func gridLines(groups []*group, opt string) (lines map[string]plotter.XYs, order, diverged []string) {
	lines = map[string]plotter.XYs{}
	for _, g := range groups {
		s := g.spec()
		if s.Opt != opt {
			continue
		}
		name := optNames[opt]
		if second := gridSeries(s); second != "" {
			name += ", " + second
		}
		if _, ok := lines[name]; !ok {
			order = append(order, name)
			lines[name] = nil
		}
		if g.diverged() > 0 {
			diverged = append(diverged, fmt.Sprintf("lr %g, %s", s.LR, gridSeries(s)))
		}
		if v := g.bestVal(); !math.IsNaN(v) && g.diverged() == 0 {
			lines[name] = append(lines[name], plotter.XY{X: s.LR, Y: v})
		}
	}
	for _, xy := range lines {
		slices.SortFunc(xy, func(a, b plotter.XY) int { return cmp.Compare(a.X, b.X) })
	}
	return lines, order, diverged
}

// gridSeries names a grid run's second setting: momentum or ε.
func gridSeries(s Spec) string {
	if s.usesZO() {
		return "ε " + fmtG(s.Eps)
	}
	if s.Opt == "fo-sgd" {
		return "μ " + fmtG(s.Momentum)
	}
	return ""
}

// bestVal is the mean over seeds of each run's best validation accuracy
// (NaN if no run finished an epoch).
func (g *group) bestVal() float64 {
	var v []float64
	for _, r := range g.Runs {
		best := math.NaN()
		for _, m := range r.Metrics {
			if math.IsNaN(best) || m.ValAcc > best {
				best = m.ValAcc
			}
		}
		if !math.IsNaN(best) {
			v = append(v, best)
		}
	}
	if len(v) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// glyphs mark the points of a series, in turn.
var glyphs = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.CrossGlyph{}}

func fmtG(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
