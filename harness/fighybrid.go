package main

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/zofo/zofo/train"
)

// drawHybrid draws, per split, the train accuracy (the study's measure of
// the hybrids) of ZO→FO and FO→ZO beside pure FO and ZO, with the switch
// marked; the study's pure FO-SGD run matches the pure FO setting.
func (st *study) drawHybrid(file string) (bool, error) {
	groups := st.find(hybridExp())
	if len(groups) == 0 {
		return false, nil
	}
	var pure, hybrids []*group
	for _, g := range groups {
		if g.spec().Split == 0 {
			pure = append(pure, g)
		} else {
			hybrids = append(hybrids, g)
		}
	}
	f := newFigure()
	legend := map[string]bool{}
	for k, split := range []float64{0.25, 0.5, 0.75} {
		p := epochPanel(fmt.Sprintf("split %g: the first optimizer runs %g of the epochs", split, split), "train accuracy")
		if k == 0 {
			p.Title.Text = "Hybrids, MyNet s=1, 20 epochs. " + p.Title.Text
		}
		var these []*group
		for _, g := range hybrids {
			if g.spec().Split == split {
				these = append(these, g)
			}
		}
		these = append(pure, these...) // the hybrids drawn last, over the pure runs
		for i, g := range these {
			style := lineStyle{color: palette[i]}
			if g.spec().Opt == "fo-sgd:zo-sgd" { // dashed: it runs on the pure FO run's curve at first
				style.dash = dashes[1]
			}
			l, err := addBand(p, g, func(r metricRow) float64 { return r.TrainAcc }, style)
			if err != nil {
				return true, err
			}
			name := hybridName(g.spec())
			if l != nil && !legend[name] {
				f.add(name+seedsNote(g), l)
				legend[name] = true
			}
			if l, n := addStudy(p, referencesOf(st.refs, g.key()), func(c referenceCurve) []float64 { return c.TrainAcc }, style); l != nil && !legend["study"+name] {
				f.add(fmt.Sprintf("the study: %s (%s)", name, runsNote(n)), l)
				legend["study"+name] = true
			}
		}
		if err := markSwitch(p, these[len(these)-1].spec()); err != nil {
			return true, err
		}
		f.panels = append(f.panels, p)
	}
	return true, f.save(file)
}

// hybridName names a hybrid by its order only (the split is the panel's).
func hybridName(s Spec) string {
	if s.Split == 0 {
		return optName(s.Opt) + " alone"
	}
	return optName(s.Opt)
}

// markSwitch draws a grey vertical line after the first stage's last epoch.
func markSwitch(p *plot.Plot, s Spec) error {
	switchAt, err := train.SwitchEpoch(s.Epochs, s.Split)
	if err != nil {
		return nil // not a hybrid
	}
	at := float64(switchAt) + 0.5
	l, err := plotter.NewLine(plotter.XYs{{X: at, Y: 0}, {X: at, Y: 1}})
	if err != nil {
		return err
	}
	l.Color, l.Dashes = color.Gray{Y: 0x99}, dashes[1]
	p.Add(l)
	return nil
}
