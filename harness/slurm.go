package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"
	"time"
)

// slurmFlags are the flags of harness slurm; partition, account, qos,
// time and mem pass through to #SBATCH lines under Slurm's own names.
type slurmFlags struct {
	plan, partition, account, qos, time, mem string
	script, logs, harness                    string
	cpus, maxParallel                        int
	all, submit                              bool
}

func newSlurmFlags(fs *flag.FlagSet) *slurmFlags {
	f := &slurmFlags{}
	fs.StringVar(&f.plan, "plan", "", "the plan file written by harness run --plan (required)")
	fs.StringVar(&f.partition, "partition", "", "sbatch --partition (default: the cluster's)")
	fs.StringVar(&f.account, "account", "", "sbatch --account")
	fs.StringVar(&f.qos, "qos", "", "sbatch --qos")
	fs.StringVar(&f.time, "time", "2:00:00", "sbatch --time per task: minutes, [D-]HH:MM[:SS] or MM:SS")
	fs.StringVar(&f.mem, "mem", "2G", "sbatch --mem per task (MNIST in memory takes ~0.1G)")
	fs.IntVar(&f.cpus, "cpus", 0, "sbatch --cpus-per-task, passed to --threads (default: the plan's --threads)")
	fs.IntVar(&f.maxParallel, "max-parallel", 16, "array tasks running at once (the %N of --array; 0: no limit)")
	fs.StringVar(&f.script, "script", "", "where to write the sbatch script (default: OUT/slurm/PLAN.sbatch)")
	fs.StringVar(&f.logs, "logs", "", "directory for the tasks' logs (default: OUT/slurm/logs)")
	fs.StringVar(&f.harness, "harness", "", "the harness binary the tasks run (default: a copy of this one in OUT/slurm)")
	fs.BoolVar(&f.all, "all", false, "put every entry in the array, not only the missing and interrupted ones")
	fs.BoolVar(&f.submit, "submit", false, "submit the script with sbatch and print the job id")
	return f
}

// defaultMaxArraySize is Slurm's default MaxArraySize: array indices
// must be below it.
const defaultMaxArraySize = 1001

var slurmTime = regexp.MustCompile(`^(\d+-)?\d+(:\d+){0,2}$`)

func (f *slurmFlags) check(w io.Writer) bool {
	bad := func(format string, a ...any) bool { fmt.Fprintf(w, "harness slurm: "+format+"\n", a...); return false }
	switch {
	case f.plan == "":
		return bad("--plan FILE is required (write one with harness run ... --plan FILE)")
	case !slurmTime.MatchString(f.time):
		return bad("--time %q: want minutes, MM:SS, HH:MM:SS or D-HH[:MM[:SS]]", f.time)
	case f.cpus < 0 || f.maxParallel < 0:
		return bad("--cpus and --max-parallel want ≥ 0")
	case strings.ContainsAny(f.partition+f.account+f.qos+f.mem, " \t\n'\"$`"):
		return bad("--partition, --account, --qos and --mem take a single word each")
	}
	return true
}

// sbatchScript is the job array's script: one plan entry per array task,
// the task index coming from SLURM_ARRAY_TASK_ID.
var sbatchScript = template.Must(template.New("sbatch").Parse(`#!/bin/bash
# {{.Count}} zofo runs from {{.Plan}} as a Slurm job array (written by harness slurm).
# Each task runs one plan entry into {{.Out}}; finished entries are no-ops,
# so resubmitting this script completes an array that was cut short.
#SBATCH --job-name={{.Name}}
#SBATCH --array={{.Array}}
#SBATCH --cpus-per-task={{.CPUs}}
#SBATCH --time={{.Time}}
{{- if .Mem}}
#SBATCH --mem={{.Mem}}{{end}}
#SBATCH --output={{.Logs}}/%A_%a.out
{{- range .Extra}}
#SBATCH {{.}}{{end}}
set -eu
exec '{{.Harness}}' run --plan '{{.Plan}}' --threads "${SLURM_CPUS_PER_TASK:-{{.CPUs}}}"
`))

type sbatchJob struct {
	Count                             int
	Plan, Out, Name, Array, Time, Mem string
	Logs, Harness                     string
	CPUs                              int
	Extra                             []string
}

func slurmCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("slurm", stderr)
	f := newSlurmFlags(fs)
	if code := parseFlags(fs, args); code != 0 {
		return max(code, 0)
	}
	if !f.check(stderr) {
		return exitUsage
	}
	p, err := readPlan(f.plan)
	if err != nil {
		fmt.Fprintf(stderr, "harness slurm: %v\n", err)
		return exitUsage
	}
	tasks := unfinished(p, time.Now())
	if f.all {
		tasks = allTasks(p)
	}
	if len(tasks) == 0 {
		fmt.Fprintf(stdout, "no entry of %s is missing or interrupted; nothing to submit (harness status --plan %s)\n", f.plan, f.plan)
		return 0
	}
	if last := tasks[len(tasks)-1]; last >= defaultMaxArraySize {
		fmt.Fprintf(stderr, "harness slurm: note: task %d needs MaxArraySize > %d in slurm.conf (Slurm's default is %d)\n",
			last, last, defaultMaxArraySize)
	}
	script, err := f.writeScript(p, tasks)
	if err != nil {
		fmt.Fprintf(stderr, "harness slurm: %v\n", err)
		return 1
	}
	b, _ := os.ReadFile(script)
	fmt.Fprintf(stdout, "%s (%d of %d entries):\n%s", script, len(tasks), len(p.Entries), b)
	if !f.submit {
		fmt.Fprintf(stdout, "submit with: sbatch %s\n", script)
		return 0
	}
	return submit(script, f.plan, stdout, stderr)
}

func allTasks(p *Plan) []int {
	tasks := make([]int, len(p.Entries))
	for i := range tasks {
		tasks[i] = i
	}
	return tasks
}

// writeScript writes the sbatch script (and the harness copy it runs).
func (f *slurmFlags) writeScript(p *Plan, tasks []int) (string, error) {
	planAbs, err := filepath.Abs(f.plan)
	if err != nil {
		return "", err
	}
	base := strings.TrimSuffix(filepath.Base(planAbs), filepath.Ext(planAbs))
	dir := filepath.Join(p.Out, "slurm")
	script, logs := defaultPath(f.script, filepath.Join(dir, base+".sbatch")), defaultPath(f.logs, filepath.Join(dir, "logs"))
	if err := os.MkdirAll(logs, 0o755); err != nil {
		return "", err
	}
	bin, err := f.harnessBinary(dir)
	if err != nil {
		return "", err
	}
	job := sbatchJob{Count: len(tasks), Plan: planAbs, Out: p.Out, Name: "zofo-" + base, Array: arraySpec(tasks, f.maxParallel),
		Time: f.time, Mem: f.mem, Logs: logs, Harness: bin, CPUs: max(f.cpus, 1)}
	if f.cpus == 0 {
		job.CPUs = max(p.Threads, 1)
	}
	job.Extra = passThrough(map[string]string{"--partition": f.partition, "--account": f.account, "--qos": f.qos})
	var b strings.Builder
	if err := sbatchScript.Execute(&b, job); err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(script), 0o755); err != nil {
		return "", err
	}
	return script, writeAtomic(script, []byte(b.String()))
}

func defaultPath(flagValue, def string) string {
	if flagValue == "" {
		return def
	}
	abs, err := filepath.Abs(flagValue)
	if err != nil {
		return flagValue
	}
	return abs
}

// passThrough is the #SBATCH options that were given, in a fixed order.
func passThrough(opts map[string]string) []string {
	var out []string
	for _, name := range []string{"--partition", "--account", "--qos"} {
		if v := opts[name]; v != "" {
			out = append(out, name+"="+v)
		}
	}
	return out
}

// harnessBinary is --harness, or a copy of the running binary beside the
// results: the tasks then run exactly this build, even one made by go run
// (whose binary is deleted when it exits), on nodes without Go.
func (f *slurmFlags) harnessBinary(dir string) (string, error) {
	if f.harness != "" {
		return filepath.Abs(f.harness)
	}
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(self)
	if err != nil {
		return "", err
	}
	dst := filepath.Join(dir, "harness")
	if err := writeAtomic(dst, b); err != nil {
		return "", err
	}
	return dst, os.Chmod(dst, 0o755)
}

// arraySpec is Slurm's --array value: ascending tasks as ranges, with
// the concurrency limit.
func arraySpec(tasks []int, limit int) string {
	var parts []string
	for i := 0; i < len(tasks); {
		j := i
		for j+1 < len(tasks) && tasks[j+1] == tasks[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, fmt.Sprint(tasks[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", tasks[i], tasks[j]))
		}
		i = j + 1
	}
	spec := strings.Join(parts, ",")
	if limit > 0 {
		spec += fmt.Sprintf("%%%d", limit)
	}
	return spec
}

// submit runs sbatch on the script and prints the job id.
func submit(script, plan string, stdout, stderr io.Writer) int {
	out, err := exec.Command("sbatch", "--parsable", script).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			err = fmt.Errorf("%w: %s", err, strings.TrimSpace(string(ee.Stderr)))
		}
		fmt.Fprintf(stderr, "harness slurm: sbatch %s: %v\n", script, err)
		return 1
	}
	id, _, _ := strings.Cut(strings.TrimSpace(string(out)), ";")
	fmt.Fprintf(stdout, "submitted job array %s\nfollow it with: squeue -j %s; harness status --plan %s\n", id, id, plan)
	return 0
}
