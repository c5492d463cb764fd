package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Entry states, as `harness status` prints them.
const (
	stateDone        = "done"
	stateDiverged    = "diverged"
	stateRunning     = "running"
	stateInterrupted = "interrupted" // started, its process gone: the next attempt starts over
	stateMissing     = "missing"
)

// entryStatus is what the output directory says about one plan entry.
type entryStatus struct {
	Task    int
	State   string
	Epochs  int
	Best    float64
	Attempt attempt
}

func statusOf(p *Plan, e PlanEntry, now time.Time) entryStatus {
	dir := p.entryDir(e)
	st := entryStatus{Task: e.Task, State: stateMissing}
	if res, ok := readResult(dir); ok {
		st.State, st.Epochs, st.Best = stateDone, res.Epochs, res.BestValAcc
		if res.Status == "diverged" {
			st.State = stateDiverged
		}
		return st
	}
	if _, err := os.Stat(dir); err != nil {
		return st
	}
	if r, err := loadRun(dir); err == nil {
		st.Epochs = len(r.Metrics)
	}
	a, running := alive(dir, now)
	st.Attempt, st.State = a, stateInterrupted
	if running {
		st.State = stateRunning
	}
	return st
}

// unfinished lists the tasks missing or interrupted: the ones to
// (re)submit. Running ones are left out, so that two attempts never
// write one directory at once.
func unfinished(p *Plan, now time.Time) []int {
	var tasks []int
	for _, e := range p.Entries {
		if st := statusOf(p, e, now).State; st == stateMissing || st == stateInterrupted {
			tasks = append(tasks, e.Task)
		}
	}
	return tasks
}

func statusCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("status", stderr)
	planFile := fs.String("plan", "", "the plan file written by harness run --plan (required)")
	if code := parseFlags(fs, args); code != 0 {
		return max(code, 0)
	}
	if *planFile == "" {
		fmt.Fprintln(stderr, "harness status: --plan FILE is required")
		return exitUsage
	}
	p, err := readPlan(*planFile)
	if err != nil {
		fmt.Fprintf(stderr, "harness status: %v\n", err)
		return exitUsage
	}
	printStatus(stdout, p, time.Now())
	return 0
}

func printStatus(w io.Writer, p *Plan, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "task\tstate\tepochs\tbest val acc\tattempt\tdir")
	counts := map[string]int{}
	for _, e := range p.Entries {
		st := statusOf(p, e, now)
		counts[st.State]++
		best := "-"
		if st.State == stateDone || st.State == stateDiverged {
			best = strconv.FormatFloat(st.Best, 'f', 4, 64)
		}
		fmt.Fprintf(tw, "%d\t%s\t%d/%d\t%s\t%s\t%s\n", e.Task, st.State, st.Epochs, e.Spec.Epochs, best, st.Attempt.describe(), e.Dir)
	}
	tw.Flush()
	var parts []string
	for _, s := range []string{stateDone, stateDiverged, stateRunning, stateInterrupted, stateMissing} {
		parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
	}
	fmt.Fprintf(w, "%d entries under %s: %s\n", len(p.Entries), filepath.Clean(p.Out), strings.Join(parts, ", "))
}

func (a attempt) describe() string {
	switch {
	case a.Host == "":
		return "-"
	case a.SlurmJob != "":
		return fmt.Sprintf("slurm %s on %s", a.SlurmJob, a.Host)
	}
	return fmt.Sprintf("pid %d on %s", a.PID, a.Host)
}
