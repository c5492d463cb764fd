//go:build unix

package main

import (
	"bufio"
	"os"
	"os/exec"
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
