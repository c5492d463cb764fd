package main

import (
	"fmt"
	"image/color"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

func sqrtPos(x float64) float64 { return math.Sqrt(math.Max(x, 0)) }

func plotColor(i int) color.Color { return plotutil.Color(i) }

// plotCmd draws the figures of the runs under DIR into DIR/figures.
func plotCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("plot", stderr)
	ref := fs.String("reference", "", "a directory of the study's metrics CSVs to overlay (e.g. ../shared/reference/metrics)")
	if code := parseWithArgs(fs, reorder(args), 1); code != 0 {
		return max(code, 0)
	}
	runs, err := loadRuns(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "harness plot: %v\n", err)
		return exitUsage
	}
	var refs []referenceCurve
	if *ref != "" {
		if refs, err = loadReference(*ref); err != nil {
			fmt.Fprintf(stderr, "harness plot: --reference: %v\n", err)
			return exitUsage
		}
	}
	out := filepath.Join(fs.Arg(0), "figures")
	files, err := drawAll(runs, refs, out)
	if err != nil {
		fmt.Fprintf(stderr, "harness plot: %v\n", err)
		return 1
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return 0
}

// reorder moves flags before the positional directory, so both
// "plot DIR --reference X" and "plot --reference X DIR" work.
func reorder(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		if strings.HasPrefix(args[i], "-") {
			flags = append(flags, args[i])
			if !strings.Contains(args[i], "=") && i+1 < len(args) && args[i] != "-h" && args[i] != "--help" {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		rest = append(rest, args[i])
	}
	return append(flags, rest...)
}

// drawAll writes, per model: one accuracy-and-loss figure per optimizer
// (every setting, with the study's runs of that model and optimizer when
// given), one comparing each optimizer's best setting, and the epoch-time
// distributions.
func drawAll(runs []runData, refs []referenceCurve, out string) ([]string, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	var files []string
	byModel := map[string][]*group{}
	for _, g := range groupBySetting(runs) {
		model := strings.SplitN(g.Name, string(filepath.Separator), 2)[0]
		byModel[model] = append(byModel[model], g)
	}
	models := make([]string, 0, len(byModel))
	for m := range byModel {
		models = append(models, m)
	}
	sort.Strings(models)
	for _, model := range models {
		groups := byModel[model]
		byOpt := byOptimizer(groups)
		for _, opt := range slices.Sorted(maps.Keys(byOpt)) { // a stable order of figures
			gs := byOpt[opt]
			var mine []referenceCurve
			for _, c := range refs {
				if c.matches(model, opt) {
					mine = append(mine, c)
				}
			}
			f, err := drawCurves(gs, mine, fmt.Sprintf("%s, %s: every setting", model, opt), filepath.Join(out, model+"-"+opt+".png"))
			if err != nil {
				return nil, err
			}
			files = append(files, f)
		}
		best := bestPerOptimizer(groups)
		f, err := drawCurves(best, nil, model+": best setting of each optimizer", filepath.Join(out, model+"-best.png"))
		if err != nil {
			return nil, err
		}
		g, err := drawTimes(best, model+": seconds per epoch", filepath.Join(out, model+"-epoch-time.png"))
		if err != nil {
			return nil, err
		}
		files = append(files, f, g)
	}
	return files, nil
}

func optimizerOf(g *group) string { return strings.Split(g.Name, string(filepath.Separator))[1] }

func byOptimizer(groups []*group) map[string][]*group {
	out := map[string][]*group{}
	for _, g := range groups {
		out[optimizerOf(g)] = append(out[optimizerOf(g)], g)
	}
	return out
}

// bestPerOptimizer keeps, per optimizer, the setting with the highest
// final mean test accuracy.
func bestPerOptimizer(groups []*group) []*group {
	best := map[string]*group{}
	var order []string
	final := func(g *group) float64 {
		m, _ := g.curve(func(r metricRow) float64 { return r.TestAcc })
		if len(m) == 0 {
			return -1
		}
		return m[len(m)-1]
	}
	for _, g := range groups {
		o := optimizerOf(g)
		if b, ok := best[o]; !ok || final(g) > final(b) {
			if !ok {
				order = append(order, o)
			}
			best[o] = g
		}
	}
	out := make([]*group, len(order))
	for i, o := range order {
		out[i] = best[o]
	}
	return out
}

// drawCurves puts test accuracy (top) and train loss (bottom) per epoch,
// mean lines with ±1 std bands over seeds, into one PNG.
func drawCurves(groups []*group, refs []referenceCurve, title, file string) (string, error) {
	acc, loss := plot.New(), plot.New()
	acc.Title.Text, acc.X.Label.Text, acc.Y.Label.Text = title, "epoch", "test accuracy"
	loss.X.Label.Text, loss.Y.Label.Text = "epoch", "train loss"
	acc.Y.Tick.Marker, loss.Y.Tick.Marker = preciseTicks{}, preciseTicks{}
	for i, g := range groups {
		label := strings.SplitN(g.Name, string(filepath.Separator), 2)[1]
		if len(g.Runs) > 1 {
			label += fmt.Sprintf(" (%d seeds)", len(g.Runs))
		}
		c := plotColor(i)
		if err := addBand(acc, g, func(r metricRow) float64 { return r.TestAcc }, c, label); err != nil {
			return "", err
		}
		if err := addBand(loss, g, func(r metricRow) float64 { return r.TrainLoss }, c, ""); err != nil {
			return "", err
		}
	}
	if err := addReference(acc, refs, len(groups)); err != nil {
		return "", err
	}
	// Top right, lowered into the band accuracy curves usually leave empty.
	acc.Legend.Top, acc.Legend.Left, acc.Legend.YOffs = true, false, -vg.Points(70)
	return file, saveStacked(file, acc, loss)
}

// addBand adds the mean line and a translucent ±1 std polygon.
func addBand(p *plot.Plot, g *group, metric func(metricRow) float64, c color.Color, label string) error {
	mean, std := g.curve(metric)
	if len(mean) == 0 {
		return nil
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
			return err
		}
		r, gr, b, _ := c.RGBA()
		band.Color, band.LineStyle.Width = color.NRGBA{uint8(r >> 8), uint8(gr >> 8), uint8(b >> 8), 60}, 0
		p.Add(band)
	}
	l, err := plotter.NewLine(line)
	if err != nil {
		return err
	}
	l.Color = c
	p.Add(l)
	if label != "" {
		p.Legend.Add(label, l)
	}
	return nil
}

// saveStacked writes plots one above the other into a PNG.
func saveStacked(file string, plots ...*plot.Plot) error {
	const w, h = 9 * vg.Inch, 4 * vg.Inch
	img := vgimgCanvas(w, h*vg.Length(len(plots)))
	tiles := drawTiles(img, len(plots))
	for i, p := range plots {
		p.Draw(tiles[i])
	}
	return savePNG(img, file)
}
