package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/zofo/zofo/internal/host"
)

// Result is written last, as result.json: its presence marks a finished
// run, which a resumed sweep skips.
// The best epoch is the one of highest validation accuracy (the first of
// equals); the test set chooses nothing.
type Result struct {
	Status        string  `json:"status"` // done or diverged
	Error         string  `json:"error,omitempty"`
	Epochs        int     `json:"epochs_completed"`
	BestEpoch     int     `json:"best_epoch"`
	BestValAcc    float64 `json:"best_val_acc"`
	TestAccAtBest float64 `json:"test_acc_at_best"`
	FinalValAcc   float64 `json:"final_val_acc"`
	FinalTestAcc  float64 `json:"final_test_acc"`
	TrainSeconds  float64 `json:"train_seconds"`
	ForwardEquiv  int64   `json:"forward_equiv"`
}

func runCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("run", stderr)
	f := newRunFlags(fs, defaultThreads)
	if code := parseFlags(fs, args); code != 0 {
		return max(code, 0)
	}
	if !f.check(stderr) {
		return exitUsage
	}
	exitOnInterrupt(stderr, "run")
	if f.planFile != "" {
		return planOrTask(fs, f, stdout, stderr)
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		fmt.Fprintf(stderr, "harness run: --out %q: %v\n", f.out, err)
		return exitUsage
	}
	specs, err := f.plan()
	if err != nil {
		fmt.Fprintf(stderr, "harness run: %v\n", err)
		return exitUsage
	}
	data, err := loadSource(f.data)
	if err != nil {
		fmt.Fprintf(stderr, "harness run: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%d runs, %d epochs in all\n", len(specs), epochsOf(specs))
	rec := sweepRecord{Started: time.Now(), Args: args, Runs: len(specs), Epochs: epochsOf(specs), CPU: host.This()}
	if err := sweep(specs, f, data, stdout); err != nil {
		fmt.Fprintf(stderr, "harness run: %v\n", err)
		return 1
	}
	epochTimes(stdout, f.out, specs)
	runSummary(stdout, f.out, specs)
	rec.WallSeconds, rec.CPUMinutes = time.Since(rec.Started).Seconds(), -1
	if t, ok := cpuTime(); ok {
		rec.CPUMinutes = t.Minutes()
	}
	fmt.Fprintln(stdout, sweepCost(rec))
	if err := recordSweep(f.out, rec); err != nil {
		fmt.Fprintf(stderr, "harness run: %v\n", err)
		return 1
	}
	return 0
}

// sweepCost is the sweep's wall time and the CPU time the process used
// (data loading included), and the CPU: what a sweep cost is a property
// of both.
func sweepCost(r sweepRecord) string {
	cpu := "CPU time not measured on this system"
	if r.CPUMinutes >= 0 {
		cpu = fmt.Sprintf("%.2f CPU-minutes", r.CPUMinutes)
	}
	wall := time.Duration(r.WallSeconds * float64(time.Second)).Round(100 * time.Millisecond)
	return fmt.Sprintf("sweep: %s wall, %s, on %s", wall, cpu, r.CPU)
}

// planOrTask writes the plan, or runs the task that --task or Slurm names.
func planOrTask(fs *flag.FlagSet, f *runFlags, stdout, stderr io.Writer) int {
	k, isTask, err := taskIndex(f.task)
	if err != nil {
		fmt.Fprintf(stderr, "harness run: %v\n", err)
		return exitUsage
	}
	threadsSet := false
	fs.Visit(func(fl *flag.Flag) { threadsSet = threadsSet || fl.Name == "threads" })
	if !isTask {
		if !threadsSet {
			// The machine writing the plan says nothing of the nodes: a
			// task takes one core unless --threads asks for more.
			f.threads = 1
		}
		return planCmd(f, stdout, stderr)
	}
	return taskCmd(f, k, threadsSet, stdout, stderr)
}

// epochTimes prints the sweep's epoch times per setting (every epoch of
// every seed is a sample) and the scaling ratio when s = 0.5 and 2 ran.
func epochTimes(w io.Writer, out string, specs []Spec) {
	samples := map[string][]float64{}
	var names []string
	keys := nameKeys(specs)
	for _, s := range specs {
		r, err := loadRun(filepath.Join(out, s.Dir()))
		if err != nil {
			continue
		}
		n := benchName(s, keys)
		if _, ok := samples[n]; !ok {
			names = append(names, n)
		}
		for _, m := range r.Metrics {
			samples[n] = append(samples[n], m.Sec)
		}
	}
	summarizeTimes(w, names, samples)
}

// newFlagSet is a command's flags, with its full usage for -h (after a
// bad flag, parseWithArgs prints a one-line hint instead).
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: harness %s [flags]\n", name)
		fs.PrintDefaults()
	}
	return fs
}

// sweep makes the runs, --jobs at a time; each run's files depend only
// on its spec, so the order and overlap change nothing in them.
func sweep(specs []Spec, f *runFlags, data *dataSource, stdout io.Writer) error {
	env := newEnvironment(max(f.threads/f.jobs, 1))
	log := &lockedWriter{w: stdout}
	var out io.Writer = log
	if f.jobs == 1 {
		out = stdout // a terminal gets progress bars only when runs do not overlap
	}
	errs := make([]error, len(specs))
	slots := make(chan struct{}, f.jobs)
	var wg sync.WaitGroup
	for i, s := range specs {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			r := runner{spec: s, dir: filepath.Join(f.out, s.Dir()), env: env, log: out,
				tag: fmt.Sprintf("[%d/%d] %s", i+1, len(specs), s.Dir())}
			res, err := r.runOn(data)
			if err != nil {
				errs[i] = fmt.Errorf("%s: %w", r.tag, err)
				return
			}
			fmt.Fprintf(out, "%s: %s\n", r.tag, res.summary())
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// lockedWriter serializes the log lines of concurrent runs.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(path, append(b, '\n'))
}
