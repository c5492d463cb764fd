package main

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// report writes report.md: the hybrid experiment's section with its
// t-tests when its settings ran (here on few examples, so they are listed
// as settings outside the study), the equal-budget and estimate-quality
// sections, the environment, and the exports.
func TestReport(t *testing.T) {
	root := t.TempDir()
	runHarness(t, []string{"run", "--opt", "zo-sgd:fo-sgd,fo-sgd:zo-sgd", "--split", "0.5", "--scale", "0.5,2", "--seeds", "1,2",
		"--epochs", "2", "--train-limit", "640", "--val", "500", "--grad-check", "4", "--threads", "1", "--out", root})
	runHarness(t, []string{"run", "--opt", "fo-sgd,zo-sgd", "--epochs", "2", "--train-limit", "640", "--val", "500", "--grad-check", "4",
		"--threads", "1", "--out", root})
	csvPath, jsonPath := filepath.Join(root, "runs.csv"), filepath.Join(root, "runs.json")
	runHarness(t, []string{"report", root, "--csv", csvPath, "--json", jsonPath, "--reference", "../results/reference"})
	b, err := os.ReadFile(filepath.Join(root, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	for _, want := range []string{"## Settings outside the study's experiments", "### mynet-s0.5", "### mynet-s2",
		"## Equal budgets", "## Estimate quality", "## Environment", "- kernel path:", "[95% Student interval]"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
	// 2 hybrids at each of 2 scales, FO-SGD and ZO-SGD at s=1; in the
	// budget tables the best of each optimizer: the 2 hybrids at each scale.
	if rows := strings.Count(md, "\n| ZO-SGD→FO-SGD"); rows != 2+2 {
		t.Errorf("%d rows of ZO→FO, want 4 (settings and budgets at 2 scales):\n%s", rows, md)
	}
	rows, err := csv.NewReader(strings.NewReader(string(readFile(t, csvPath)))).ReadAll()
	if err != nil || len(rows) != 1+10 || len(rows[0]) != len(exportHeader) {
		t.Errorf("runs.csv: %d rows (%v), want a header and 10 runs", len(rows), err)
	}
	var runs []runRow
	if err := json.Unmarshal(readFile(t, jsonPath), &runs); err != nil || len(runs) != 10 {
		t.Fatalf("runs.json: %d runs (%v), want 10", len(runs), err)
	}
	for _, r := range runs {
		if r.BestEpoch < 1 || r.Status != "done" || r.ForwardEquiv <= 0 || r.CPU == "" {
			t.Errorf("runs.json row %+v", r)
		}
	}
}

// Welch's test against a textbook case: equal means give t = 0, p = 1;
// clearly separated samples give a tiny p.
func TestWelch(t *testing.T) {
	if tt, p := welch([]float64{1, 2, 3}, []float64{1, 2, 3}); tt != 0 || math.Abs(p-1) > 1e-12 {
		t.Errorf("equal samples: t %v, p %v", tt, p)
	}
	if _, p := welch([]float64{10, 10.1, 9.9, 10.2}, []float64{1, 1.1, 0.9, 1.2}); p > 1e-6 {
		t.Errorf("separated samples: p %v", p)
	}
}

// The 95% interval of a textbook sample: mean 10, s = 1, n = 4 gives
// 10 ± 3.182·1/2.
func TestSummary(t *testing.T) {
	v := []float64{9, 10, 11, 10} // s = √(2/3)
	lo, hi := interval95(v)
	h := 3.182446305284263 * math.Sqrt(2.0/3) / 2
	if math.Abs(lo-(10-h)) > 1e-9 || math.Abs(hi-(10+h)) > 1e-9 {
		t.Errorf("interval [%v, %v], want 10 ∓ %v", lo, hi, h)
	}
	if got := summary([]float64{0.5}); got != "0.5000" {
		t.Errorf("one run: %q, want it alone", got)
	}
}
