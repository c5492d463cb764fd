//go:build slurm

package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// cluster is a one-node Slurm (munged, slurmctld, slurmd) on localhost,
// configured and kept under dir; stopped and removed by the test's cleanup.
type cluster struct {
	dir   string
	procs []*exec.Cmd
}

// installSlurm installs Debian's slurm-wlm and munge if sbatch is missing.
func installSlurm(t *testing.T) {
	if _, err := exec.LookPath("sbatch"); err == nil {
		return
	}
	t.Log("installing slurm-wlm and munge with apt-get")
	sh(t, nil, "apt-get", "update", "-qq")
	sh(t, []string{"DEBIAN_FRONTEND=noninteractive"}, "apt-get", "install", "-y", "-qq", "slurm-wlm", "munge")
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

const slurmConf = `ClusterName=zofotest
SlurmctldHost={{host}}(127.0.0.1)
SlurmctldPort={{ctldport}}
SlurmdPort={{dport}}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={{dir}}/munge/socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation={{dir}}/state
SlurmdSpoolDir={{dir}}/spool
SlurmctldPidFile={{dir}}/slurmctld.pid
SlurmdPidFile={{dir}}/slurmd.pid
SlurmctldLogFile={{dir}}/log/slurmctld.log
SlurmdLogFile={{dir}}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
NodeName=zofo-node NodeAddr=127.0.0.1 CPUs={{cpus}} RealMemory=2000 State=UNKNOWN
PartitionName=test Nodes=zofo-node Default=YES MaxTime=INFINITE State=UP
`

// startCluster writes the configuration, starts the daemons in the
// foreground (so the cleanup can stop them) and waits for the node.
func startCluster(t *testing.T) *cluster {
	dir, err := os.MkdirTemp("", "zofo-slurm-") // short: the munge socket path has a length limit
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{dir: dir}
	t.Cleanup(func() { c.stop(t) })
	for _, d := range []string{"munge", "state", "spool", "log"} {
		os.MkdirAll(filepath.Join(dir, d), 0o700)
	}
	host, _ := os.Hostname()
	host, _, _ = strings.Cut(host, ".")
	conf := strings.NewReplacer("{{host}}", host, "{{dir}}", dir, "{{ctldport}}", fmt.Sprint(freePort(t)),
		"{{dport}}", fmt.Sprint(freePort(t)), "{{cpus}}", fmt.Sprint(runtime.NumCPU())).Replace(slurmConf)
	if err := os.WriteFile(filepath.Join(dir, "slurm.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SLURM_CONF", filepath.Join(dir, "slurm.conf"))
	m := filepath.Join(dir, "munge")
	sh(t, nil, "mungekey", "--create", "--keyfile="+m+"/key")
	c.start(t, "munged", "--foreground", "--force", "--key-file="+m+"/key", "--socket="+m+"/socket",
		"--pid-file="+m+"/pid", "--log-file="+m+"/log", "--seed-file="+m+"/seed")
	waitFor(t, 20*time.Second, "munged's socket", func() bool { _, err := os.Stat(m + "/socket"); return err == nil })
	c.start(t, "slurmctld", "-D", "-i")
	c.start(t, "slurmd", "-D", "-N", "zofo-node")
	waitFor(t, 60*time.Second, "the node to be idle", func() bool {
		out, _ := exec.Command("sinfo", "-h", "-o", "%t").Output()
		return strings.TrimSpace(string(out)) == "idle"
	})
	return c
}

func (c *cluster) start(t *testing.T, name string, args ...string) {
	cmd := exec.Command(name, args...)
	f, err := os.Create(filepath.Join(c.dir, "log", name+".out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	c.procs = append(c.procs, cmd)
}

// stop ends the daemons, newest first, and removes the cluster's files,
// showing the daemons' logs first if the test failed.
func (c *cluster) stop(t *testing.T) {
	for i := len(c.procs) - 1; i >= 0; i-- {
		p := c.procs[i]
		p.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { p.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			p.Process.Kill()
			<-done
		}
	}
	if t.Failed() {
		logs, _ := filepath.Glob(filepath.Join(c.dir, "log", "*"))
		for _, l := range logs {
			b, _ := os.ReadFile(l)
			t.Logf("== %s\n%s", l, b)
		}
	}
	os.RemoveAll(c.dir)
}

func sh(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return string(out)
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(limit); !ok(); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %v waiting for %s", limit, what)
		}
	}
}

// waitJob waits until Slurm no longer lists the job (all its tasks ended).
func waitJob(t *testing.T, id string) {
	waitFor(t, 5*time.Minute, "job "+id+" to end", func() bool {
		out, err := exec.Command("squeue", "-h", "-j", id).CombinedOutput()
		return err != nil || strings.TrimSpace(string(out)) == ""
	})
}

func submittedID(t *testing.T, log string) string {
	_, rest, ok := strings.Cut(log, "submitted job array ")
	if !ok {
		t.Fatalf("harness slurm --submit printed %q", log)
	}
	id, _, _ := strings.Cut(rest, "\n")
	return id
}

// A sweep submitted as a job array lands where a local run of the same
// plan does, with the same bytes; a task killed mid-run is completed by
// resubmitting.
func TestSlurmArray(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("skipped: starting munged, slurmctld and slurmd (and installing them) needs root")
	}
	installSlurm(t)
	startCluster(t)
	work := t.TempDir()
	bin := filepath.Join(work, "harness")
	sh(t, nil, "go", "build", "-o", bin, ".")
	sweep := []string{"run", "--model", "convnet", "--opt", "fo-sgd,zo-sgd", "--seeds", "1,2", "--epochs", "3",
		"--train-limit", "640", "--threads", "1"}
	plan, out := filepath.Join(work, "array.json"), filepath.Join(work, "array")
	sh(t, nil, bin, append(sweep, "--out", out, "--plan", plan)...)
	p, err := readPlan(plan)
	if err != nil {
		t.Fatal(err)
	}

	id := submittedID(t, sh(t, nil, bin, "slurm", "--plan", plan, "--max-parallel", "2", "--time", "10", "--mem", "500M", "--submit"))
	first := p.entryDir(p.Entries[0])
	waitFor(t, 3*time.Minute, "task 0's first epoch", func() bool {
		b, _ := os.ReadFile(filepath.Join(first, "metrics.csv"))
		return bytes.Count(b, []byte("\n")) >= 2
	})
	sh(t, nil, "scancel", id+"_0")
	waitJob(t, id)
	if st := statusOf(p, p.Entries[0], time.Now()); st.State != stateInterrupted {
		t.Fatalf("task 0 after scancel: %+v, want interrupted", st)
	}
	log := sh(t, nil, bin, "slurm", "--plan", plan, "--time", "10", "--mem", "500M", "--submit")
	if !strings.Contains(log, "#SBATCH --array=0%16\n") {
		t.Errorf("resubmission should hold only task 0:\n%s", log)
	}
	waitJob(t, submittedID(t, log))
	status := sh(t, nil, bin, "status", "--plan", plan)
	if !strings.Contains(status, "4 done, 0 diverged, 0 running, 0 interrupted, 0 missing") {
		t.Fatalf("after resubmission:\n%s", status)
	}
	if logs, _ := filepath.Glob(filepath.Join(out, "slurm", "logs", "*.out")); len(logs) != 5 {
		t.Errorf("task logs %v, want 4 tasks + 1 rerun", logs)
	}

	localPlan, local := filepath.Join(work, "local.json"), filepath.Join(work, "local")
	sh(t, nil, bin, append(sweep, "--out", local, "--plan", localPlan)...)
	for k := range p.Entries {
		sh(t, nil, bin, "run", "--plan", localPlan, "--task", fmt.Sprint(k))
	}
	lp, _ := readPlan(localPlan)
	sameRuns(t, planDirs(p), planDirs(lp))
}

// planDirs is the run directories of the plan's entries, in task order.
func planDirs(p *Plan) []string {
	var dirs []string
	for _, e := range p.Entries {
		dirs = append(dirs, p.entryDir(e))
	}
	return dirs
}
