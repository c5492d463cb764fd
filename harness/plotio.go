package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

func vgimgCanvas(w, h vg.Length) *vgimg.Canvas { return vgimg.New(w, h) }

// drawTiles splits the image into n canvases stacked vertically.
func drawTiles(img *vgimg.Canvas, n int) []draw.Canvas {
	dc := draw.New(img)
	t := draw.Tiles{Rows: n, Cols: 1, PadX: vg.Millimeter, PadY: 2 * vg.Millimeter}
	out := make([]draw.Canvas, n)
	for i := range out {
		out[i] = t.At(dc, 0, i)
	}
	return out
}

// savePNG writes the image atomically.
func savePNG(img *vgimg.Canvas, file string) error {
	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&b); err != nil {
		return err
	}
	return writeAtomic(file, b.Bytes())
}

// drawTimes is a box plot of every epoch's seconds per group.
func drawTimes(groups []*group, title, file string) (string, error) {
	p := plot.New()
	p.Title.Text, p.Y.Label.Text = title, "seconds per epoch"
	var names []string
	for i, g := range groups {
		var v plotter.Values
		for _, r := range g.Runs {
			for _, m := range r.Metrics {
				v = append(v, m.Sec)
			}
		}
		if len(v) == 0 {
			continue
		}
		box, err := plotter.NewBoxPlot(vg.Points(20), float64(len(names)), v)
		if err != nil {
			return "", err
		}
		p.Add(box)
		names = append(names, optimizerOf(groups[i]))
	}
	p.NominalX(names...)
	img := vgimgCanvas(9*vg.Inch, 4*vg.Inch)
	p.Draw(draw.New(img))
	return file, savePNG(img, file)
}

// referenceCurve is one of the study's metrics files.
type referenceCurve struct {
	Name   string // file name without .csv
	Metric string // test_acc, or train_acc where the file has no test column
	Values []float64
}

// loadReference reads the study's CSVs in dir: a header naming
// train_loss, train_acc and maybe test_acc, one row per epoch.
func loadReference(dir string) ([]referenceCurve, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no .csv files in %s", dir)
	}
	var out []referenceCurve
	for _, f := range files {
		c, err := readReference(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func readReference(file string) (referenceCurve, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return referenceCurve{}, err
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(rows) < 2 {
		return referenceCurve{}, fmt.Errorf("want a header and rows (%v)", err)
	}
	c := referenceCurve{Name: strings.TrimSuffix(filepath.Base(file), ".csv")}
	col := -1
	for i, h := range rows[0] {
		if h == "test_acc" || (h == "train_acc" && col < 0) {
			col, c.Metric = i, h
		}
	}
	if col < 0 {
		return c, fmt.Errorf("no test_acc or train_acc column in %v", rows[0])
	}
	for _, r := range rows[1:] {
		v, err := strconv.ParseFloat(r[col], 64)
		if err != nil {
			return c, err
		}
		c.Values = append(c.Values, v)
	}
	return c, nil
}

// matches reports whether a study file is a run of model with optimizer
// opt, by the study's file naming (mynet_zo_sgd, mynetplus_fo_sign_sgd…).
func (c referenceCurve) matches(model, opt string) bool {
	m := strings.SplitN(model, "-", 2)[0]
	o := "_" + strings.ReplaceAll(strings.Replace(opt, "signsgd", "sign_sgd", 1), "-", "_") + "-"
	return strings.Contains(c.Name, "_"+m+o)
}

// addReference overlays the study's curves as dashed lines.
func addReference(p *plot.Plot, refs []referenceCurve, colorBase int) error {
	for i, c := range refs {
		xy := make(plotter.XYs, len(c.Values))
		for e, v := range c.Values {
			xy[e] = plotter.XY{X: float64(e + 1), Y: v}
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return err
		}
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		l.Color = plotColor(colorBase + i)
		p.Add(l)
		p.Legend.Add("study: "+c.Name+" ("+c.Metric+")", l)
	}
	return nil
}

// preciseTicks keeps gonum's tick positions but labels them with as many
// decimals as the axis range needs, so a narrow loss axis does not repeat
// "2.3" at every tick.
type preciseTicks struct{}

func (preciseTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	digits := 0
	if span := hi - lo; span > 0 {
		digits = max(0, int(math.Ceil(-math.Log10(span/4))))
	}
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'f', digits, 64)
		}
	}
	return ticks
}
