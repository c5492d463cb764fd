package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/zofo/zofo/mnist"
)

// Plan is a sweep expanded into its runs, written by `harness run --plan`
// so that each run can be made on its own (a Slurm array task, or by hand).
// Paths are absolute: a task may start in any working directory.
type Plan struct {
	Version int         `json:"version"`
	Out     string      `json:"out"`         // the output root every entry writes under
	Data    string      `json:"data"`        // the MNIST directory, resolved when planned
	Verify  bool        `json:"verify_data"` // Data is the canonical copy: check its SHA-256
	Threads int         `json:"threads"`
	Commit  string      `json:"commit"`
	Entries []PlanEntry `json:"entries"`
}

// PlanEntry is one run: task K of the plan is Entries[K].
type PlanEntry struct {
	Task int    `json:"task"`
	Dir  string `json:"dir"` // relative to Plan.Out
	Spec Spec   `json:"spec"`
}

const planVersion = 1

// newPlan expands specs into a plan writing under out.
func newPlan(specs []Spec, out, data string, threads int) (*Plan, error) {
	out, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	dir, canonical, err := mnist.Locate(data)
	if err != nil {
		return nil, err
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return nil, err
	}
	p := &Plan{Version: planVersion, Out: out, Data: dir, Verify: canonical, Threads: threads, Commit: commit()}
	seen := map[string]int{}
	for i, s := range specs {
		if j, dup := seen[s.Dir()]; dup {
			return nil, fmt.Errorf("runs %d and %d of the sweep are the same run %s", j, i, s.Dir())
		}
		seen[s.Dir()] = i
		p.Entries = append(p.Entries, PlanEntry{Task: i, Dir: s.Dir(), Spec: s})
	}
	return p, nil
}

// readPlan reads and checks a plan file.
func readPlan(path string) (*Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--plan: %w", err)
	}
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("--plan %s: not a plan file: %w", path, err)
	}
	if p.Version != planVersion || !filepath.IsAbs(p.Out) || len(p.Entries) == 0 {
		return nil, fmt.Errorf("--plan %s: want version %d, an absolute out and at least one entry", path, planVersion)
	}
	for i, e := range p.Entries {
		if e.Task != i || e.Dir != e.Spec.Dir() || !filepath.IsLocal(e.Dir) { // a task clears its dir: never outside out
			return nil, fmt.Errorf("--plan %s: entry %d is damaged (task %d, dir %q)", path, i, e.Task, e.Dir)
		}
	}
	return &p, nil
}

// entryDir is where entry e writes.
func (p *Plan) entryDir(e PlanEntry) string { return filepath.Join(p.Out, e.Dir) }

// taskIndex is the entry to run: --task if given, else Slurm's
// SLURM_ARRAY_TASK_ID; ok is false when neither is set (plan mode).
func taskIndex(flagTask int) (k int, ok bool, err error) {
	if flagTask >= 0 {
		return flagTask, true, nil
	}
	env := os.Getenv("SLURM_ARRAY_TASK_ID")
	if env == "" {
		return 0, false, nil
	}
	k, err = strconv.Atoi(env)
	if err != nil || k < 0 {
		return 0, false, fmt.Errorf("SLURM_ARRAY_TASK_ID=%q: want a task index ≥ 0", env)
	}
	return k, true, nil
}

// planCmd is `harness run --plan FILE` without a task: write the plan.
func planCmd(f *runFlags, stdout, stderr io.Writer) int {
	specs, err := f.plan()
	if err != nil {
		fmt.Fprintf(stderr, "harness run: %v\n", err)
		return exitUsage
	}
	for _, dir := range []string{f.out, filepath.Dir(f.planFile)} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fmt.Fprintf(stderr, "harness run: %v\n", err)
			return exitUsage
		}
	}
	p, err := newPlan(specs, f.out, f.data, f.threads)
	if err == nil {
		err = writeJSON(f.planFile, p)
	}
	if err != nil {
		fmt.Fprintf(stderr, "harness run: --plan %s: %v\n", f.planFile, err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s: %d runs (tasks 0-%d), %d epochs in all, into %s\n",
		f.planFile, len(specs), len(specs)-1, epochsOf(specs), p.Out)
	return 0
}

// taskCmd is `harness run --plan FILE --task K`: make entry K unless it
// finished; an unfinished entry's directory is cleared and the run starts over.
func taskCmd(f *runFlags, k int, threadsSet bool, stdout, stderr io.Writer) int {
	p, err := readPlan(f.planFile)
	if err != nil {
		fmt.Fprintf(stderr, "harness run: %v\n", err)
		return exitUsage
	}
	if k >= len(p.Entries) {
		fmt.Fprintf(stderr, "harness run: --task %d: the plan has tasks 0-%d\n", k, len(p.Entries)-1)
		return exitUsage
	}
	threads := p.Threads
	if threadsSet {
		threads = f.threads
	}
	e := p.Entries[k]
	r := runner{spec: e.Spec, dir: p.entryDir(e), env: newEnvironment(threads), log: stdout,
		tag: fmt.Sprintf("[task %d/%d] %s", k, len(p.Entries)-1, e.Dir)}
	res, done := readResult(r.dir)
	if done {
		fmt.Fprintf(stdout, "%s: finished earlier, nothing to do\n", r.tag)
	} else if res, err = r.startOver(p.Data, p.Verify); err != nil {
		fmt.Fprintf(stderr, "harness run: %s: %v\n", r.tag, err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: %s\n", r.tag, res.summary())
	return 0
}

// startOver loads the data and makes the run; runner.run, once it holds
// the run's lock, clears what an interrupted attempt left, so no file of
// it outlives the new attempt.
func (r *runner) startOver(dataDir string, verify bool) (Result, error) {
	src, err := loadSourceFrom(dataDir, verify)
	if err != nil {
		return Result{}, err
	}
	return r.runOn(src)
}
