package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
)

// benchFile reads a benchmark file's result names (impl=pytorch read as
// impl=zofo) and the values of the file keys asked for, a row per result.
func benchFile(t *testing.T, path string, keys ...string) (names []string, values [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := benchfmt.NewReader(f, path)
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.Result:
			names = append(names, strings.Replace(string(rec.Name), "/impl=pytorch", "/impl=zofo", 1))
			row := make([]string, len(keys))
			for i, k := range keys {
				row[i] = rec.GetConfig(k)
			}
			values = append(values, row)
		case *benchfmt.SyntaxError:
			t.Errorf("%s: %v", path, rec)
		}
	}
	return names, values
}

// The PyTorch race script writes the benchmark names harness bench does,
// so that benchstat -col /impl lines them up.
func TestPyTorchScriptMatchesBenchNames(t *testing.T) {
	const python = "/usr/bin/python3"
	if exec.Command(python, "-c", "import torch").Run() != nil {
		t.Skip("skipped: Debian's python3-torch is not installed (apt-get install python3-torch)")
	}
	dir := t.TempDir()
	script, _ := filepath.Abs("../scripts/pytorch_bench.py")
	cmd := exec.Command(python, script, "--scales", "0.5", "--threads", "1,2", "--count", "1", "--train-limit", "640",
		"--out", filepath.Join(dir, "pytorch.txt"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	runHarness(t, []string{"bench", "--scale", "0.5", "--dist", "gaussian", "--train-limit", "640", "--count", "1",
		"--threads", "1", "--out", dir})
	cpuKeys := []string{"cpu-vendor", "cpu-family", "cpu-model"}
	pt, ptKeys := benchFile(t, filepath.Join(dir, "pytorch.txt"), append([]string{"threads", "openblas-core"}, cpuKeys...)...)
	zofo, zofoKeys := benchFile(t, filepath.Join(dir, "bench.txt"), cpuKeys...)
	if len(pt) != 4 || !slices.Equal(pt[:2], zofo) || !slices.Equal(pt[2:], zofo) {
		t.Fatalf("pytorch names %v, zofo names %v", pt, zofo)
	}
	for i, keys := range ptKeys {
		if want := []string{"1", "2"}[i/2]; keys[0] != want {
			t.Errorf("pytorch result %d: threads key %q, want each count in its own block (%s)", i, keys[0], want)
		}
		if keys[1] == "" {
			t.Errorf("pytorch result %d names no openblas-core", i)
		}
		if !slices.Equal(keys[2:], zofoKeys[0]) || zofoKeys[0][0] == "" {
			t.Errorf("pytorch result %d: CPU keys %q, harness bench's %q", i, keys[2:], zofoKeys[0])
		}
	}
}
