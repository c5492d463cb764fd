package main

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

// plot writes decodable PNGs for a sweep outside the study's experiments:
// per model the equal-budget figure, the estimate quality, the best
// setting of each optimizer and the epoch times.
func TestPlotWritesPNGs(t *testing.T) {
	root := t.TempDir()
	runHarness(t, []string{"run", "--opt", "fo-sgd,zo-sgd", "--seeds", "1,2", "--epochs", "2", "--train-limit", "640",
		"--val", "500", "--grad-check", "3", "--threads", "1", "--out", root})
	out := runHarness(t, []string{"plot", root, "--reference", "../results/reference"})
	files := strings.Fields(out)
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".png"))
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil || img.Bounds().Dx() < 400 {
			t.Errorf("%s: not a usable PNG (%v)", f, err)
		}
	}
	want := "mynet-s1-budget mynet-s1-estimate-quality mynet-s1-best mynet-s1-epoch-time"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("figures %s, want %s", got, want)
	}
}

func TestPlotBadInput(t *testing.T) {
	for _, args := range [][]string{{"plot"}, {"plot", t.TempDir()}, {"plot", "a", "b"}, {"plot", "--reference", t.TempDir(), t.TempDir()}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != exitUsage || errb.Len() == 0 {
			t.Errorf("harness %v: exit %d, stderr %q", args, code, errb.String())
		}
	}
}

// Every tick label states its tick's value to the digits it shows, and
// epoch ticks are whole numbers, over ranges like the figures'.
func TestTickLabelsAreExact(t *testing.T) {
	ranges := [][2]float64{{0.3, 0.97}, {0.9, 0.99}, {0.955, 0.985}, {2.29, 2.31}, {0, 1}, {1e-4, 1e-2}, {0.1, 3.7}, {120, 4800}}
	for _, r := range ranges {
		if err := exactLabels(exactTicks{}.Ticks(r[0], r[1])); err != nil {
			t.Errorf("exactTicks(%v, %v): %v", r[0], r[1], err)
		}
	}
	for _, r := range [][2]float64{{0.03, 0.06}, {0.04, 0.11}, {6000, 25000}, {1e-4, 1e-2}, {0.2, 3}, {2e5, 3e7}, {2e-5, 3e-4},
		{2.3, 7}, {1.5e5, 4.5e5}} {
		ticks := logTicks{}.Ticks(r[0], r[1])
		labelled := 0
		for _, tk := range ticks {
			if tk.Label != "" {
				labelled++
			}
		}
		if err := exactLabels(ticks); err != nil || labelled < 2 {
			t.Errorf("logTicks(%v, %v): %d labels, want 2 at least (%v)", r[0], r[1], labelled, err)
		}
	}
	for _, r := range [][2]float64{{1, 2}, {1, 10}, {1, 20}, {1, 100}, {0, 938}} {
		ticks := integerTicks{}.Ticks(r[0], r[1])
		if err := exactLabels(ticks); err != nil || len(ticks) < 2 || len(ticks) > 11 {
			t.Errorf("integerTicks(%v, %v): %d ticks (%v)", r[0], r[1], len(ticks), err)
		}
		for _, tk := range ticks {
			if tk.Value != math.Trunc(tk.Value) {
				t.Errorf("integerTicks(%v, %v): a tick at %v", r[0], r[1], tk.Value)
			}
		}
	}
	// The old labels: gonum's 0.35 printed as "0.4".
	if err := exactLabels([]plot.Tick{{Value: 0.35, Label: "0.4"}}); err == nil {
		t.Error("a rounded label passes the check")
	}
}

// exactLabels fails when a label does not equal its tick's value.
func exactLabels(ticks []plot.Tick) error {
	for _, tk := range ticks {
		if tk.Label == "" {
			continue
		}
		v, err := strconv.ParseFloat(tk.Label, 64)
		if err != nil || math.Abs(v-tk.Value) > 1e-9*math.Max(1, math.Abs(tk.Value)) {
			return fmt.Errorf("tick at %v labelled %q", tk.Value, tk.Label)
		}
	}
	return nil
}

// The scaling figure's points are the scale experiment's runs and, at
// s=1, the hybrid experiment's pure runs of the same optimizer.
func TestScalePointsAreTheRightRuns(t *testing.T) {
	var runs []runData
	for _, s := range append(scaleExp(), hybridExp()...) {
		runs = append(runs, runData{Dir: s.Dir(), Config: Config{Spec: s}, Done: true})
	}
	st := newStudy(runs, nil)
	for _, zo := range []bool{false, true} {
		scales, groups := st.scalePoints(zo)
		if !slices.Equal(scales, []float64{0.25, 0.5, 1, 2}) {
			t.Fatalf("zo %v: scales %v", zo, scales)
		}
		for i, g := range groups {
			s := g.spec()
			if s.usesZO() != zo || s.Split != 0 || s.Scale != scales[i] || len(g.Runs) != 3 {
				t.Errorf("zo %v, s=%v: the group of %s (%d runs)", zo, scales[i], g.Name, len(g.Runs))
			}
		}
	}
}

// A setting with a diverged run is never an optimizer's best, however
// high its validation accuracy before it diverged.
func TestBestSettingNeverDiverged(t *testing.T) {
	run := func(lr, val float64, status string) runData {
		s := studySpec("zo-sgd", lr, 10)
		return runData{Dir: s.Dir(), Config: Config{Spec: s}, Done: true, Result: Result{Status: status},
			Metrics: []metricRow{{Epoch: 1, ValAcc: val}}}
	}
	groups := groupBySetting([]runData{run(1e-2, 0.9, "diverged"), run(1e-3, 0.8, "done")})
	if best := bestPerOptimizer(groups); len(best) != 1 || best[0].spec().LR != 1e-3 {
		t.Errorf("best %v, want the lr 1e-3 setting", best)
	}
}
