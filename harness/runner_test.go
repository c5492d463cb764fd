package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The best epoch is the one of highest validation accuracy, its test
// accuracy reported beside it; a ZO run with --grad-check records its
// checks, an FO run none.
func TestRunChoosesOnValidation(t *testing.T) {
	root := t.TempDir()
	runHarness(t, []string{"run", "--opt", "fo-sgd,zo-sgd", "--epochs", "4", "--train-limit", "640",
		"--val", "500", "--grad-check", "3", "--threads", "1", "--out", root})
	for _, dir := range runDirs(t, root) {
		rows := readCSV(t, filepath.Join(dir, "metrics.csv"))
		col := map[string]int{}
		for i, name := range rows[0] {
			col[name] = i
		}
		best, bestAcc := 0, -1.0
		for i, row := range rows[1:] {
			if v := parse(t, row[col["val_acc"]]); v > bestAcc {
				best, bestAcc = i+1, v
			}
		}
		var res Result
		b, _ := os.ReadFile(filepath.Join(dir, "result.json"))
		if err := json.Unmarshal(b, &res); err != nil {
			t.Fatal(err)
		}
		if res.BestEpoch != best || res.BestValAcc != bestAcc || res.TestAccAtBest != parse(t, rows[best][col["test_acc"]]) {
			t.Errorf("%s: result %+v, want best epoch %d at val acc %v", dir, res, best, bestAcc)
		}
		last := rows[len(rows)-1]
		if res.ForwardEquiv != int64(parse(t, last[col["forward_equiv"]])) {
			t.Errorf("%s: result's forward equivalents %d, the last row's %s", dir, res.ForwardEquiv, last[col["forward_equiv"]])
		}
		checks := filepath.Join(dir, "gradcheck.csv")
		_, err := os.Stat(checks)
		want := int64(4 * 640 * 3) // FO: a forward and a backward per example and epoch
		if zo := filepath.Base(filepath.Dir(dir)) == "zo-sgd"; zo {
			want = 4 * 640 * 2 // central differences: two forwards
			if n := len(readCSV(t, checks)) - 1; n != 14 {
				t.Errorf("%s: %d checks in 40 steps every 3, want 14", dir, n)
			}
		} else if !os.IsNotExist(err) {
			t.Errorf("%s: an FO run wrote gradcheck.csv (%v)", dir, err)
		}
		if res.ForwardEquiv != want {
			t.Errorf("%s: %d forward-pass equivalents, want %d", dir, res.ForwardEquiv, want)
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("%s: %d rows (%v)", path, len(rows), err)
	}
	return rows
}

func parse(t *testing.T, s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// --init starts runs from saved weights: a run from a trained model's
// best.npz begins where it left off; the weights name the run's folder;
// a file of the wrong shapes is an error naming it.
func TestInitStartsFromSavedWeights(t *testing.T) {
	root := t.TempDir()
	base := []string{"run", "--opt", "fo-sgd", "--epochs", "2", "--train-limit", "640", "--val", "300", "--threads", "1"}
	runHarness(t, append(base, "--out", root))
	trained := filepath.Join(runDirs1(t, root), "best.npz")
	again := t.TempDir()
	runHarness(t, append(base, "--out", again, "--init", trained))
	dir := runDirs1(t, again)
	if !strings.Contains(dir, "-init-") {
		t.Errorf("run folder %s does not name its initial weights", dir)
	}
	first := readCSV(t, filepath.Join(runDirs1(t, root), "metrics.csv"))
	cont := readCSV(t, filepath.Join(dir, "metrics.csv"))
	if parse(t, cont[1][4]) <= parse(t, first[1][4]) { // val_acc after one epoch
		t.Errorf("from trained weights, epoch 1's val acc %s is not above a fresh run's %s", cont[1][4], first[1][4])
	}
	small := t.TempDir()
	runHarness(t, []string{"run", "--opt", "fo-sgd", "--scale", "0.5", "--epochs", "1", "--train-limit", "64", "--val", "100",
		"--threads", "1", "--out", small})
	var out, errb bytes.Buffer
	args := append(base, "--out", t.TempDir(), "--init", filepath.Join(runDirs1(t, small), "final.npz"))
	if code := run(args, &out, &errb); code == 0 || !strings.Contains(errb.String(), "final.npz") {
		t.Errorf("weights of another shape: exit %d, stderr %q", code, errb.String())
	}
}

func runDirs1(t *testing.T, root string) string {
	matches, _ := filepath.Glob(filepath.Join(root, "*", "*", "*"))
	if len(matches) != 1 {
		t.Fatalf("run directories %v, want 1", matches)
	}
	return matches[0]
}
