//go:build unix

package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// SIGINT and SIGTERM stop a sweep between writes with 130 and 143 and a
// word on resuming; the same command then ends with an uninterrupted
// sweep's numbers.
func TestInterruptLeavesAResumableSweep(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		root := t.TempDir()
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), childArgs+"="+strings.Join(sweepArgs(root), " "))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var errb strings.Builder
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		for sc.Scan() && !strings.Contains(sc.Text(), "epoch 1/2") {
		}
		cmd.Process.Signal(c.sig)
		for sc.Scan() {
		}
		cmd.Wait()
		if code := cmd.ProcessState.ExitCode(); code != c.code || !strings.Contains(errb.String(), "resumes") {
			t.Errorf("%v: exit %d, stderr %q; want %d and a word on resuming", c.sig, code, errb.String(), c.code)
		}
		runHarness(t, sweepArgs(root))
		whole := t.TempDir()
		runHarness(t, sweepArgs(whole))
		for i, dir := range runDirs(t, root) {
			if got, want := metricsWithoutTime(t, dir), metricsWithoutTime(t, runDirs(t, whole)[i]); got != want {
				t.Errorf("%v, resumed: %s:\n%s\nwant:\n%s", c.sig, dir, got, want)
			}
		}
	}
}

// A run killed (SIGKILL) in its third epoch resumes from the checkpoint
// of its last whole epoch and ends with the bits of a run never stopped:
// parameters, momentum, Adam's moments and the ZO step count restored.
func TestKilledRunResumesMidRun(t *testing.T) {
	args := func(out string) []string {
		return []string{"run", "--opt", "fo-sgd,zo-sgd-mmt,fo-adam", "--epochs", "4", "--train-limit", "640", "--val", "300",
			"--threads", "1", "--out", out}
	}
	root, whole := t.TempDir(), t.TempDir()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childArgs+"="+strings.Join(args(root), " "))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if line := sc.Text(); strings.Contains(line, "zo-sgd-mmt") && strings.Contains(line, "epoch 3/4") {
			break
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	log := runHarness(t, args(root))
	if !strings.Contains(log, "resumed after epoch") {
		t.Errorf("no run resumed mid-way:\n%s", log)
	}
	runHarness(t, args(whole))
	dirs, wholeDirs := runDirs3(t, root), runDirs3(t, whole)
	for i, dir := range dirs {
		if got, want := metricsWithoutTime(t, dir), metricsWithoutTime(t, wholeDirs[i]); got != want {
			t.Errorf("%s resumed:\n%s\nwant:\n%s", dir, got, want)
		}
		for _, f := range []string{"final.npz", "best.npz"} {
			if !bytes.Equal(readFile(t, filepath.Join(dir, f)), readFile(t, filepath.Join(wholeDirs[i], f))) {
				t.Errorf("%s/%s differs from the uninterrupted run's", dir, f)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, checkpointName)); !os.IsNotExist(err) {
			t.Errorf("%s: the checkpoint outlived the finished run", dir)
		}
	}
}

func runDirs3(t *testing.T, root string) []string {
	matches, _ := filepath.Glob(filepath.Join(root, "*", "*", "*"))
	if len(matches) != 3 {
		t.Fatalf("run directories %v, want 3", matches)
	}
	return matches
}
