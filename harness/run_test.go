package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/zofo/zofo/internal/host"
	"github.com/zofo/zofo/optim"
)

// sweepArgs is a two-run sweep small enough for a unit test.
func sweepArgs(out string) []string {
	return []string{"run", "--opt", "fo-sgd,zo-sgd", "--epochs", "2", "--train-limit", "640", "--threads", "1", "--out", out}
}

func runHarness(t *testing.T, args []string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("harness %v: exit %d\n%s", args, code, errb.String())
	}
	return out.String()
}

// metricsWithoutTime is metrics.csv less its time and heap columns.
func metricsWithoutTime(t *testing.T, dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "metrics.csv"))
	if err != nil {
		t.Fatal(err)
	}
	timed := map[string]bool{"epoch_seconds": true, "train_seconds": true, "heap_bytes": true}
	var keep []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, ",")
		if len(f) != len(metricsHeader) {
			continue
		}
		var row []string
		for i, cell := range f {
			if !timed[metricsHeader[i]] {
				row = append(row, cell)
			}
		}
		keep = append(keep, strings.Join(row, ","))
	}
	return strings.Join(keep, "\n")
}

func runDirs(t *testing.T, root string) []string {
	matches, _ := filepath.Glob(filepath.Join(root, "*", "*", "*"))
	if len(matches) != 2 {
		t.Fatalf("run directories %v, want 2", matches)
	}
	return matches
}

func TestRunWritesEveryFile(t *testing.T) {
	root := t.TempDir()
	log := runHarness(t, sweepArgs(root))
	if !strings.Contains(log, "CPU-minutes, on "+host.This().String()) {
		t.Errorf("the sweep's log does not end with its cost and CPU:\n%s", log)
	}
	runHarness(t, sweepArgs(root)) // resumed: everything skipped, a second record
	recs, err := readSweeps(root)
	if err != nil || len(recs) != 2 || recs[0].Runs != 2 || recs[0].Epochs != 4 || recs[1].WallSeconds <= 0 || recs[0].CPU != host.This() {
		t.Errorf("sweeps.json: %+v (%v), want two records of 2 runs and 4 epochs", recs, err)
	}
	for _, dir := range runDirs(t, root) {
		for _, f := range []string{"config.json", "metrics.csv", "best.npz", "final.npz", "result.json"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("%s: %v", dir, err)
			}
		}
		var cfg Config
		b, _ := os.ReadFile(filepath.Join(dir, "config.json"))
		if err := json.Unmarshal(b, &cfg); err != nil || cfg.Environment.KernelPath == "" || cfg.Environment.CPUID != host.This() || cfg.Spec.Epochs != 2 {
			t.Errorf("%s: config.json %s (%v)", dir, b, err)
		}
		if rows := strings.Count(metricsWithoutTime(t, dir), "\n"); rows != 2 {
			t.Errorf("%s: %d metric rows after the header, want 2", dir, rows)
		}
	}
}

// A sweep killed during its second run resumes: the finished run is
// skipped, the unfinished one starts over, and the metrics equal those of
// an uninterrupted sweep (time columns aside).
func TestRunResumesAfterKill(t *testing.T) {
	whole, killed := t.TempDir(), t.TempDir()
	runHarness(t, sweepArgs(whole))
	runHarness(t, sweepArgs(killed))
	second := runDirs(t, killed)[1]
	os.Remove(filepath.Join(second, "result.json")) // as if killed before the end
	os.WriteFile(filepath.Join(second, "metrics.csv"), []byte("epoch,train_loss\n1,2."), 0o644)
	log := runHarness(t, sweepArgs(killed))
	if strings.Count(log, "skipped") != 1 {
		t.Errorf("resumed sweep log:\n%s\nwant exactly one run skipped", log)
	}
	for i, dir := range runDirs(t, killed) {
		if got, want := metricsWithoutTime(t, dir), metricsWithoutTime(t, runDirs(t, whole)[i]); got != want {
			t.Errorf("%s after resume:\n%s\nuninterrupted:\n%s", dir, got, want)
		}
	}
}

func TestRunBadFlagsExitTwo(t *testing.T) {
	for _, c := range []struct{ args, want string }{
		{"--opt sgd", "--opt"},
		{"--model resnet", "--model"},
		{"--scale 0", "--scale"},
		{"--scale -1", "--scale"},
		{"--eps 0", "--eps"},
		{"--split 1.5 --opt zo-sgd:fo-sgd", "--split"},
		{"--opt zo-sgd:fo-sgd", "--split"},
		{"--q 0", "--q"},
		{"--dist cauchy", "--dist"},
		{"--diff backward", "--diff"},
		{"--estimator both", "--estimator"},
		{"--epochs 0", "--epochs"},
		{"--out /proc/nope", "--out"},
		{"--momentum NaN", "--momentum"},
		{"--momentum Inf", "--momentum"},
		{"--momentum 1", "--momentum"},
		{"--dampening NaN", "--dampening"},
		{"--gamma Inf", "--gamma"},
		{"--scale 0.004", "--scale"},
		{"--scale 1e6", "--scale"},
		{"--scale 1e4", "--scale"},
		{"--opt zo-sgd:fo-sgd --split 0.5 --epochs 1", "--epochs"},
		{"--milestones 1,1", "--milestones"},
		{"--milestones 3,2", "--milestones"},
		{"--milestones 10 --epochs 10", "--milestones"},
		{"--epochs 100 --milestones 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", "--milestones"},
		{"--seeds 1,1", "--seeds"},
		{"--lr 1e-3,0.001", "--lr"},
		{"--val -1", "--val"},
		{"--val 60000", "--val"},
		{"--grad-check -1", "--grad-check"},
		{"--schedule step", "--schedule"},
		{"--schedule cosine --milestones 2 --epochs 3", "--schedule"},
		{"--warmup -1", "--warmup"},
		{"--warmup 860 --epochs 1", "--warmup"},
		{"--opt fg-sgd --model mynet,convnet", "--opt"},
		{"--opt hizoo --q 2", "--opt"},
		{"--opt hizoo --per-tensor", "--opt"},
		{"--opt hizoo --diff forward", "--opt"},
		{"--hessian-smooth 0", "--hessian-smooth"},
		{"--sparsity 1 --opt zo-sgd", "--sparsity"},
		{"--sparsity 0.9", "--sparsity"},
		{"--sparsity 0.9 --opt zo-sgd --per-tensor", "--sparsity"},
		{"--sparsity 0.9 --opt zo-sgd --mask grasp", "--mask"},
		{"--mask best", "--mask"},
		{"--mask-refresh -1", "--mask-refresh"},
		{"--dist lowrank --opt zo-sgd --rank 0", "--rank"},
		{"--dist lowrank --opt zo-sgd --q 2", "--dist"},
		{"--dist lowrank --opt zo-signsgd", "--dist"},
		{"--opt zo-svrg --svrg-batch 100", "--svrg-batch"},
		{"--opt zo-svrg --svrg-period 0", "--svrg-period"},
		{"--opt zo-svrg --per-tensor", "--opt"},
		{"--hessian-smooth 1.5", "--hessian-smooth"},
	} {
		var out, errb bytes.Buffer
		code := run(append([]string{"run"}, strings.Fields(c.args)...), &out, &errb)
		if code != exitUsage || !strings.Contains(errb.String(), c.want) {
			t.Errorf("harness run %s: exit %d, stderr %q; want 2 naming %s", c.args, code, errb.String(), c.want)
		}
	}
}

// A cosine schedule with a warmup is part of the run's name and changes
// its numbers; the same run twice has the same numbers.
func TestCosineScheduleRuns(t *testing.T) {
	constant, cosine, again := t.TempDir(), t.TempDir(), t.TempDir()
	runHarness(t, sweepArgs(constant))
	args := append(sweepArgs(cosine), "--schedule", "cosine", "--warmup", "5")
	runHarness(t, args)
	args[len(args)-5] = again // --out
	runHarness(t, args)
	for i, dir := range runDirs(t, cosine) {
		if !strings.HasSuffix(dir, "cosine-warmup5-n640-seed1") {
			t.Errorf("run folder %s does not name the schedule", dir)
		}
		got := metricsWithoutTime(t, dir)
		if got == metricsWithoutTime(t, runDirs(t, constant)[i]) {
			t.Errorf("%s: the cosine schedule left the metrics as a constant rate's", dir)
		}
		if got != metricsWithoutTime(t, runDirs(t, again)[i]) {
			t.Errorf("%s: a second cosine run gave other metrics", dir)
		}
	}
}

// A forward-gradient run names its directions, counts each tangent pass
// as 1 + optim.TangentCost forward passes and learns.
func TestForwardGradientRun(t *testing.T) {
	out := t.TempDir()
	runHarness(t, []string{"run", "--opt", "fg-sgd", "--q", "2", "--lr", "1e-3", "--epochs", "2", "--train-limit", "640",
		"--threads", "1", "--out", out})
	dirs, _ := filepath.Glob(filepath.Join(out, "*", "*", "*"))
	if len(dirs) != 1 || !strings.Contains(dirs[0], "fg-sgd/lr0.001-rademacher-q2-ep2") {
		t.Fatalf("run folders %v", dirs)
	}
	rows := readCSV(t, filepath.Join(dirs[0], "metrics.csv"))
	col := slices.Index(rows[0], "forward_equiv")
	if want := fmt.Sprint(10 * 2 * (1 + optim.TangentCost) * 64); rows[1][col] != want {
		t.Errorf("forward equivalents after epoch 1: %s, want %s (10 steps of 2 tangent passes on 64 rows)", rows[1][col], want)
	}
	col = slices.Index(rows[0], "train_loss")
	first, _ := strconv.ParseFloat(rows[1][col], 64)
	second, _ := strconv.ParseFloat(rows[2][col], 64)
	if !(second < first) {
		t.Errorf("training loss %v then %v: the forward gradient did not descend", first, second)
	}
}

// Each method beyond the study's runs through the harness to the end and
// names its settings in its folder.
func TestMethodsBeyondTheStudyRun(t *testing.T) {
	for _, c := range []struct{ args, folder string }{
		{"--opt hizoo --hessian-smooth 1e-4", "hizoo/lr0.0001-rademacher-central-q1-eps0.001-alpha0.0001-ep1"},
		{"--opt zo-svrg --svrg-period 3 --svrg-batch 128", "zo-svrg/lr0.0001-rademacher-central-q1-eps0.001-snapshot3-big128-ep1"},
		{"--opt zo-sgd --sparsity 0.5 --mask random --mask-refresh 4", "zo-sgd/lr0.0005-rademacher-central-q1-eps0.001-sparse0.5-random-every4-ep1"},
		{"--opt zo-sgd --dist lowrank --rank 1 --rank-interval 5 --lr 1e-4", "zo-sgd/lr0.0001-lowrank-central-q1-eps0.001-rank1-every5-ep1"},
	} {
		out := t.TempDir()
		args := append([]string{"run", "--epochs", "1", "--train-limit", "640", "--threads", "1", "--out", out}, strings.Fields(c.args)...)
		runHarness(t, args)
		dirs, _ := filepath.Glob(filepath.Join(out, "*", "*", "*"))
		if len(dirs) != 1 || !strings.Contains(dirs[0], c.folder) {
			t.Errorf("%s: run folders %v, want one named …%s…", c.args, dirs, c.folder)
			continue
		}
		if res, err := os.ReadFile(filepath.Join(dirs[0], "result.json")); err != nil || !strings.Contains(string(res), `"status": "done"`) {
			t.Errorf("%s: result %s (%v)", c.args, res, err)
		}
	}
}

func TestSpecsCrossProduct(t *testing.T) {
	var errb bytes.Buffer
	fs := newFlagSet("run", &errb)
	f := newRunFlags(fs, 1)
	if err := fs.Parse(strings.Fields("--model mynet --scale 0.25,0.5,2 --opt fo-sgd,zo-sgd --seeds 1,2")); err != nil {
		t.Fatal(err)
	}
	specs := f.specs()
	if len(specs) != 3*2*2 {
		t.Fatalf("%d runs, want 12", len(specs))
	}
	seen := map[string]bool{}
	for _, s := range specs {
		if seen[s.Dir()] {
			t.Errorf("two runs share %s", s.Dir())
		}
		seen[s.Dir()] = true
	}
}

// Two runs at once write the same metrics as one at a time.
func TestRunJobsSameResults(t *testing.T) {
	serial, parallel := t.TempDir(), t.TempDir()
	runHarness(t, sweepArgs(serial))
	runHarness(t, append(sweepArgs(parallel), "--jobs", "2"))
	for i, dir := range runDirs(t, parallel) {
		if got, want := metricsWithoutTime(t, dir), metricsWithoutTime(t, runDirs(t, serial)[i]); got != want {
			t.Errorf("%s with --jobs 2:\n%s\nserial:\n%s", dir, got, want)
		}
	}
}
