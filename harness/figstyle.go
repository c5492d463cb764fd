package main

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// palette is Okabe and Ito's colour-blind-safe set (black last), then
// darker tones: twelve colours before one repeats, and a repeat gets
// another dash.
var palette = []color.NRGBA{
	{0xe6, 0x9f, 0x00, 0xff}, {0x56, 0xb4, 0xe9, 0xff}, {0x00, 0x9e, 0x73, 0xff}, {0xd5, 0x5e, 0x00, 0xff},
	{0x00, 0x72, 0xb2, 0xff}, {0xcc, 0x79, 0xa7, 0xff}, {0x99, 0x88, 0x22, 0xff}, {0x88, 0x22, 0x55, 0xff},
	{0x33, 0x22, 0x88, 0xff}, {0x44, 0xaa, 0x99, 0xff}, {0x88, 0x88, 0x88, 0xff}, {0x00, 0x00, 0x00, 0xff},
}

// dashes are the line styles in turn: solid, dashed, dotted, dash-dot.
var dashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(1.5), vg.Points(2)},
	{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)}}

// curveStyle is curve i's colour and dash: no two curves of a figure
// share both.
func curveStyle(i int) (color.Color, []vg.Length) {
	return palette[i%len(palette)], dashes[i/len(palette)%len(dashes)]
}

// translucent is c at the alpha of a ±std band.
func translucent(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 50}
}

// exactTicks keeps gonum's tick positions and labels each with the fewest
// decimals that state its value exactly (all labels of an axis alike), so
// 0.35 never prints as 0.4.
type exactTicks struct{}

func (exactTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	digits := 0
	for _, t := range ticks {
		if t.Label != "" {
			digits = max(digits, decimalsOf(t.Value))
		}
	}
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'f', digits, 64)
		}
	}
	return ticks
}

// decimalsOf is the fewest decimals (up to 12) that write v to within
// floating-point noise.
func decimalsOf(v float64) int {
	for d := 0; d < 12; d++ {
		p := math.Pow(10, float64(d))
		if math.Abs(math.Round(v*p)/p-v) <= 1e-9*math.Max(1, math.Abs(v)) {
			return d
		}
	}
	return 12
}

// integerTicks labels whole numbers only (epochs, scales of 10): a step of
// 1, 2 or 5 times a power of ten giving at most ten labels.
type integerTicks struct{}

func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	step := wholeStep(hi - lo)
	var out []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		out = append(out, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
	}
	return out
}

// wholeStep is the smallest of 1, 2, 5, 10, 20, 50… that cuts span into
// at most ten steps.
func wholeStep(span float64) float64 {
	for pow := 1.0; ; pow *= 10 {
		for _, f := range []float64{1, 2, 5} {
			if span/(f*pow) <= 10 {
				return f * pow
			}
		}
	}
}

// newPanel is a plot with exact tick labels and the given axis labels.
func newPanel(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, x, y
	p.X.Tick.Marker, p.Y.Tick.Marker = exactTicks{}, exactTicks{}
	return p
}

// epochPanel is a panel over epochs (whole-number ticks).
func epochPanel(title, y string) *plot.Plot {
	p := newPanel(title, "epoch", y)
	p.X.Tick.Marker = integerTicks{}
	return p
}

// logX puts p's x axis on a log scale if every value on it is positive
// (call it once the data is in: a log axis cannot show 0).
func logX(p *plot.Plot) {
	if p.X.Min > 0 {
		p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, logTicks{}
	}
}

// logY is logX for the y axis.
func logY(p *plot.Plot) {
	if p.Y.Min > 0 {
		p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, logTicks{}
	}
}

// logTicks marks a log axis at 1, 2 and 5 times the powers of ten in its
// range, or at every digit times them when fewer than three of those fall
// inside (labelling the 1, 2 and 5 only, so labels do not run together,
// unless that leaves one label); each label is exact.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	for _, mantissas := range [][]float64{{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}} {
		var out []plot.Tick
		for pow := math.Pow(10, math.Floor(math.Log10(lo))); pow <= hi; pow *= 10 {
			for _, m := range mantissas {
				if v := m * pow; v >= lo*(1-1e-12) && v <= hi*(1+1e-12) {
					v = roundTo(v, decimalsOf(v))
					t := plot.Tick{Value: v}
					if m == 1 || m == 2 || m == 5 {
						t.Label = compact(v)
					}
					out = append(out, t)
				}
			}
		}
		if len(out) >= 3 || len(mantissas) == 9 {
			return labelAllIfFew(out)
		}
	}
	return nil
}

// labelAllIfFew labels every tick when fewer than two carry a label (a
// range within one decade, such as 2.3 to 7): one label alone does not
// tell the scale.
func labelAllIfFew(ticks []plot.Tick) []plot.Tick {
	labelled := 0
	for _, t := range ticks {
		if t.Label != "" {
			labelled++
		}
	}
	if labelled < 2 {
		for i := range ticks {
			ticks[i].Label = compact(ticks[i].Value)
		}
	}
	return ticks
}

// compact writes v exactly, as 2e6 rather than 2000000 when it is large
// (or 5e-5 when small), so labels on a log axis stay short.
func compact(v float64) string {
	if a := math.Abs(v); a >= 1e5 || a > 0 && a < 1e-3 {
		exp := int(math.Floor(math.Log10(a)))
		m := roundTo(v/math.Pow(10, float64(exp)), 9)
		return strconv.FormatFloat(m, 'f', decimalsOf(m), 64) + "e" + strconv.Itoa(exp)
	}
	return strconv.FormatFloat(v, 'f', decimalsOf(v), 64)
}

func roundTo(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// figure is panels stacked vertically and one legend to their right,
// outside every data area.
type figure struct {
	width   vg.Length // of the panels; 7 inches if 0
	panels  []*plot.Plot
	legend  plot.Legend
	entries int
}

// add puts an entry in the legend.
func (f *figure) add(name string, thumbs ...plot.Thumbnailer) {
	f.legend.Add(name, thumbs...)
	f.entries++
}

func newFigure(panels ...*plot.Plot) *figure {
	return &figure{panels: panels, legend: plot.NewLegend()}
}

// save writes the figure as a PNG: panels 7 inches wide and 3.2 high, the
// legend in a column as wide as its longest entry.
func (f *figure) save(file string) error { return f.saveSized(file, 3.2*vg.Inch) }

// saveSized is save with panels panelH high.
func (f *figure) saveSized(file string, panelH vg.Length) error {
	panelW := f.width
	if panelW == 0 {
		panelW = 7 * vg.Inch
	}
	f.legend.Top, f.legend.Left = true, true
	legendW := vg.Length(0)
	if f.entries > 0 {
		legendW = f.legend.Rectangle(draw.Canvas{}).Size().X + 0.3*vg.Inch
	}
	img := vgimgCanvas(panelW+legendW, panelH*vg.Length(len(f.panels)))
	dc := draw.New(img)
	plots := dc
	plots.Max.X = dc.Min.X + panelW
	t := draw.Tiles{Rows: len(f.panels), Cols: 1, PadX: vg.Millimeter, PadY: 2 * vg.Millimeter}
	for i, p := range f.panels {
		p.Draw(t.At(plots, 0, i))
	}
	if legendW > 0 {
		side := dc
		side.Min.X, side.Max.Y = plots.Max.X+0.15*vg.Inch, dc.Max.Y-0.35*vg.Inch
		f.legend.Draw(side)
	}
	return savePNG(img, file)
}
