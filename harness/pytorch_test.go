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

// benchNames reads a benchmark file's result names and file keys.
func benchNames(t *testing.T, path string) (names []string, threads []string) {
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
			threads = append(threads, rec.GetConfig("threads"))
		case *benchfmt.SyntaxError:
			t.Errorf("%s: %v", path, rec)
		}
	}
	return names, threads
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
	pt, threads := benchNames(t, filepath.Join(dir, "pytorch.txt"))
	zofo, _ := benchNames(t, filepath.Join(dir, "bench.txt"))
	if len(pt) != 4 || !slices.Equal(pt[:2], zofo) || !slices.Equal(pt[2:], zofo) {
		t.Errorf("pytorch names %v, zofo names %v", pt, zofo)
	}
	if !slices.Equal(threads, []string{"1", "1", "2", "2"}) {
		t.Errorf("pytorch threads keys %v, want each count in its own block", threads)
	}
}
