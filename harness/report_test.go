package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// report writes report.md with a row per setting, the study's numbers
// beside MyNet s=1, and the scaling and hybrid t-tests when the runs allow.
func TestReport(t *testing.T) {
	root := t.TempDir()
	runHarness(t, []string{"run", "--opt", "zo-sgd:fo-sgd,fo-sgd:zo-sgd", "--split", "0.5", "--scale", "0.5,2", "--seeds", "1,2",
		"--epochs", "2", "--train-limit", "640", "--threads", "1", "--out", root})
	runHarness(t, []string{"run", "--opt", "fo-sgd", "--epochs", "2", "--train-limit", "640", "--threads", "1", "--out", root})
	runHarness(t, []string{"report", root})
	b, err := os.ReadFile(filepath.Join(root, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	for _, want := range []string{"| mynet-s1/fo-sgd/", "0.978, 13 s/epoch", "## Model scaling", "## Hybrid: ZO→FO vs FO→ZO"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
	// 5 settings in the main table, and 2 ZO→FO rows (one per scale) in
	// the hybrid table.
	if rows := strings.Count(md, "\n| mynet-"); rows != 5+2 {
		t.Errorf("%d rows naming a run, want 7", rows)
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
