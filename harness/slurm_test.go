package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestArraySpec(t *testing.T) {
	for _, c := range []struct {
		tasks []int
		limit int
		want  string
	}{
		{[]int{0, 1, 2, 3}, 2, "0-3%2"},
		{[]int{0, 2, 3, 5, 7, 8, 9}, 0, "0,2-3,5,7-9"},
		{[]int{4}, 16, "4%16"},
	} {
		if got := arraySpec(c.tasks, c.limit); got != c.want {
			t.Errorf("arraySpec(%v, %d) = %q, want %q", c.tasks, c.limit, got, c.want)
		}
	}
}

// The script names every #SBATCH setting a user passes, runs the plan
// with the array's task, and only the unfinished entries are in it.
func TestSlurmScript(t *testing.T) {
	out := t.TempDir()
	plan := writeTestPlan(t, out)
	runHarness(t, taskArgs(plan, "0"))
	log := runHarness(t, []string{"slurm", "--plan", plan, "--partition", "short", "--account", "ml",
		"--time", "0:30:00", "--cpus", "2", "--max-parallel", "3"})
	script := filepath.Join(out, "slurm", "plan.sbatch")
	body := string(readFile(t, script))
	for _, want := range []string{"#!/bin/bash\n", "#SBATCH --array=1%3\n", "#SBATCH --cpus-per-task=2\n",
		"#SBATCH --time=0:30:00\n", "#SBATCH --partition=short\n", "#SBATCH --account=ml\n", "#SBATCH --mem=2G\n",
		"#SBATCH --output=" + filepath.Join(out, "slurm", "logs") + "/%A_%a.out\n",
		"exec '" + filepath.Join(out, "slurm", "harness") + "' run --plan '" + plan + "' --threads \"${SLURM_CPUS_PER_TASK:-2}\"\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("script lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "--qos") {
		t.Errorf("script has a --qos nobody asked for:\n%s", body)
	}
	if !strings.Contains(log, body) || !strings.Contains(log, "sbatch "+script) {
		t.Errorf("slurm printed %q, want the script and how to submit it", log)
	}
	if info, err := os.Stat(filepath.Join(out, "slurm", "harness")); err != nil || info.Mode()&0o111 == 0 {
		t.Errorf("the harness copy the tasks run: %v %v", info, err)
	}
	all := runHarness(t, []string{"slurm", "--plan", plan, "--all"})
	if !strings.Contains(all, "#SBATCH --array=0-1%16\n") {
		t.Errorf("--all script:\n%s", all)
	}
}

// --submit runs sbatch (here a stand-in on PATH) and prints the job id.
func TestSlurmSubmit(t *testing.T) {
	out := t.TempDir()
	plan := writeTestPlan(t, out)
	bin := t.TempDir()
	argsFile := filepath.Join(bin, "args")
	fake := "#!/bin/sh\necho \"$@\" > " + argsFile + "\necho '4242;cluster'\n"
	if err := os.WriteFile(filepath.Join(bin, "sbatch"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	log := runHarness(t, []string{"slurm", "--plan", plan, "--submit"})
	if !strings.Contains(log, "submitted job array 4242\n") {
		t.Errorf("submit printed %q", log)
	}
	if got := string(readFile(t, argsFile)); got != "--parsable "+filepath.Join(out, "slurm", "plan.sbatch")+"\n" {
		t.Errorf("sbatch called with %q", got)
	}
	os.WriteFile(filepath.Join(bin, "sbatch"), []byte("#!/bin/sh\necho 'sbatch: error: invalid partition' >&2\nexit 1\n"), 0o755)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"slurm", "--plan", plan, "--submit"}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "invalid partition") {
		t.Errorf("failed sbatch: exit %d, stderr %q; want 1 with sbatch's message", code, stderr.String())
	}
}

func TestSlurmNothingToSubmit(t *testing.T) {
	out := t.TempDir()
	plan := writeTestPlan(t, out)
	runHarness(t, taskArgs(plan, "0"))
	runHarness(t, taskArgs(plan, "1"))
	if log := runHarness(t, []string{"slurm", "--plan", plan, "--submit"}); !strings.Contains(log, "nothing to submit") {
		t.Errorf("slurm on a finished plan printed %q", log)
	}
}

func TestSlurmBadFlagsExitTwo(t *testing.T) {
	plan := writeTestPlan(t, t.TempDir())
	for _, c := range []struct{ args, want string }{
		{"", "--plan"},
		{"--plan " + plan + " --time 2h", "--time"},
		{"--plan " + plan + " --cpus -1", "--cpus"},
		{"--plan " + plan + " --partition a$b", "--partition"},
		{"--plan /nonexistent/plan.json", "--plan"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"slurm"}, strings.Fields(c.args)...), &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("harness slurm %s: exit %d, stderr %q; want 2 naming %s", c.args, code, stderr.String(), c.want)
		}
	}
}
