package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// writeTestPlan writes the plan of sweepArgs(out) and returns its path.
func writeTestPlan(t *testing.T, out string) string {
	t.Helper()
	plan := filepath.Join(t.TempDir(), "plan.json")
	log := runHarness(t, append(sweepArgs(out), "--plan", plan))
	if !strings.Contains(log, "2 runs (tasks 0-1)") {
		t.Fatalf("plan log %q", log)
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("planning should create --out: %v", err)
	}
	if runs, _ := filepath.Glob(filepath.Join(out, "*", "*", "*")); len(runs) != 0 {
		t.Fatalf("planning ran %v", runs)
	}
	return plan
}

func taskArgs(plan string, k string) []string {
	return []string{"run", "--plan", plan, "--task", k, "--threads", "1"}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameRuns checks that the run directories in a and b have the same
// metrics (time columns aside), results (time aside) and final weights,
// byte for byte.
func sameRuns(t *testing.T, a, b []string) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%d runs vs %d", len(a), len(b))
	}
	for i, da := range a {
		db := b[i]
		if filepath.Base(da) != filepath.Base(db) {
			t.Fatalf("run %d: %s vs %s", i, da, db)
		}
		if x, y := metricsWithoutTime(t, da), metricsWithoutTime(t, db); x != y {
			t.Errorf("%s metrics:\n%s\nvs %s:\n%s", da, x, db, y)
		}
		if !bytes.Equal(readFile(t, filepath.Join(da, "final.npz")), readFile(t, filepath.Join(db, "final.npz"))) {
			t.Errorf("%s and %s: final.npz differ", da, db)
		}
		ra, _ := readResult(da)
		rb, _ := readResult(db)
		ra.TrainSeconds, rb.TrainSeconds = 0, 0
		if ra != rb {
			t.Errorf("result.json %+v vs %+v", ra, rb)
		}
	}
}

// Running a plan's entries one by one (in any order, by --task or by
// Slurm's variable) gives the runs of the same sweep made in one go.
func TestPlanTasksEqualSweep(t *testing.T) {
	local, tasks := t.TempDir(), t.TempDir()
	runHarness(t, sweepArgs(local))
	plan := writeTestPlan(t, tasks)
	runHarness(t, taskArgs(plan, "1"))
	t.Setenv("SLURM_ARRAY_TASK_ID", "0")
	runHarness(t, []string{"run", "--plan", plan})
	sameRuns(t, runDirs(t, local), runDirs(t, tasks))
}

// A finished entry is left alone; an unfinished one starts over from an
// empty directory and ends as if never interrupted.
func TestPlanTaskRerunAndStartOver(t *testing.T) {
	out := t.TempDir()
	plan := writeTestPlan(t, out)
	runHarness(t, taskArgs(plan, "0"))
	runHarness(t, taskArgs(plan, "1"))
	clean := t.TempDir()
	copyTree(t, out, clean)

	done := runDirs(t, out)[0]
	before := readFile(t, filepath.Join(done, "metrics.csv"))
	if log := runHarness(t, taskArgs(plan, "0")); !strings.Contains(log, "nothing to do") {
		t.Errorf("rerun of a finished entry logged %q", log)
	}
	if !bytes.Equal(before, readFile(t, filepath.Join(done, "metrics.csv"))) {
		t.Error("rerunning a finished entry rewrote its metrics")
	}

	broken := runDirs(t, out)[1]
	os.Remove(filepath.Join(broken, "result.json"))
	os.WriteFile(filepath.Join(broken, "metrics.csv"), []byte("epoch,train_loss\n1,9\n2,9\n3,9\n"), 0o644)
	os.WriteFile(filepath.Join(broken, "leftover.tmp"), []byte("x"), 0o644)
	runHarness(t, taskArgs(plan, "1"))
	if _, err := os.Stat(filepath.Join(broken, "leftover.tmp")); err == nil {
		t.Error("a file of the interrupted attempt survived the new one")
	}
	sameRuns(t, runDirs(t, clean), runDirs(t, out))
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPlanBadInputExitTwo(t *testing.T) {
	out := t.TempDir()
	plan := writeTestPlan(t, out)
	damaged := filepath.Join(t.TempDir(), "damaged.json")
	b := readFile(t, plan)
	os.WriteFile(damaged, bytes.Replace(b, []byte(`"task": 1`), []byte(`"task": 7`), 1), 0o644)
	escaping := filepath.Join(t.TempDir(), "escaping.json") // consistent, but its run dir leaves out
	p, _ := readPlan(plan)
	p.Entries[0].Spec.Model = "../../x"
	p.Entries[0].Dir = p.Entries[0].Spec.Dir()
	writeJSON(escaping, p)
	truncated := filepath.Join(t.TempDir(), "truncated.json")
	os.WriteFile(truncated, b[:len(b)/2], 0o644)
	for _, c := range []struct {
		args []string
		env  string
		want string
	}{
		{taskArgs(plan, "2"), "", "--task 2"},
		{[]string{"run", "--task", "0"}, "", "--task"},
		{[]string{"run", "--task", "-3", "--plan", plan}, "", "--task"},
		{[]string{"run", "--plan", plan}, "x1", "SLURM_ARRAY_TASK_ID"},
		{taskArgs(damaged, "0"), "", "entry 1 is damaged"},
		{taskArgs(truncated, "0"), "", "not a plan file"},
		{taskArgs(escaping, "0"), "", "entry 0 is damaged"},
		{taskArgs(filepath.Join(out, "none.json"), "0"), "", "--plan"},
		{[]string{"status"}, "", "--plan"},
		{[]string{"status", "--plan", truncated}, "", "not a plan file"},
	} {
		t.Setenv("SLURM_ARRAY_TASK_ID", c.env)
		var stdout, stderr bytes.Buffer
		if code := run(c.args, &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("harness %v (SLURM_ARRAY_TASK_ID=%q): exit %d, stderr %q; want 2 naming %s",
				c.args, c.env, code, stderr.String(), c.want)
		}
	}
}

// status tells done, running (a live process), interrupted (a dead one)
// and missing entries apart.
func TestStatusStates(t *testing.T) {
	out := t.TempDir()
	plan := writeTestPlan(t, out)
	runHarness(t, taskArgs(plan, "0"))
	p, err := readPlan(plan)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if st := statusOf(p, p.Entries[0], now); st.State != stateDone || st.Epochs != 2 || !(st.Best > 0) {
		t.Errorf("finished entry: %+v", st)
	}
	if st := statusOf(p, p.Entries[1], now); st.State != stateMissing {
		t.Errorf("entry never started: %+v", st)
	}
	dir := p.entryDir(p.Entries[1])
	os.MkdirAll(dir, 0o755)
	a := newAttempt()
	writeJSON(filepath.Join(dir, "attempt.json"), a)
	if st := statusOf(p, p.Entries[1], now); st.State != stateRunning {
		t.Errorf("entry whose process lives: %+v", st)
	}
	a.PID = deadPID(t)
	writeJSON(filepath.Join(dir, "attempt.json"), a)
	if st := statusOf(p, p.Entries[1], now); st.State != stateInterrupted {
		t.Errorf("entry whose process is gone: %+v", st)
	}
	a.Host = "elsewhere"
	writeJSON(filepath.Join(dir, "attempt.json"), a)
	if st := statusOf(p, p.Entries[1], now.Add(staleAfter+time.Minute)); st.State != stateInterrupted {
		t.Errorf("entry on another host, silent for longer than %v: %+v", staleAfter, st)
	}
	if got := unfinished(p, now.Add(staleAfter+time.Minute)); len(got) != 1 || got[0] != 1 {
		t.Errorf("unfinished %v, want [1]", got)
	}
	if got := unfinished(p, now); len(got) != 0 {
		t.Errorf("unfinished %v while entry 1 runs elsewhere, want none (a second attempt would clash)", got)
	}
	log := runHarness(t, []string{"status", "--plan", plan})
	if !strings.Contains(log, "1 done, 0 diverged, 1 running, 0 interrupted, 0 missing") {
		t.Errorf("status output:\n%s", log)
	}
}

// deadPID is the pid of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	p, err := os.StartProcess("/bin/true", []string{"true"}, &os.ProcAttr{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Wait(); err != nil {
		t.Fatal(err)
	}
	return p.Pid
}

// A plan records --threads when given, and one core per task otherwise:
// the machine that writes it says nothing of the nodes (whose --cpus-per-task
// the Slurm script takes from it).
func TestPlanThreads(t *testing.T) {
	for _, c := range []struct {
		extra []string
		want  int
	}{{nil, 1}, {[]string{"--threads", "3"}, 3}} {
		plan := filepath.Join(t.TempDir(), "plan.json")
		args := slices.DeleteFunc(sweepArgs(t.TempDir()), func(a string) bool { return a == "--threads" || a == "1" })
		runHarness(t, append(append(args, c.extra...), "--plan", plan))
		p, err := readPlan(plan)
		if err != nil {
			t.Fatal(err)
		}
		if p.Threads != c.want {
			t.Errorf("plan with %v: threads %d, want %d", c.extra, p.Threads, c.want)
		}
	}
}
