package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// A result.json that does not describe a finished run does not make the
// run count as finished: the resumed sweep makes it again, to the same
// numbers, and report and plot skip it, saying why, without panicking.
func TestHostileStateIsNotFinished(t *testing.T) {
	whole, hostile := t.TempDir(), t.TempDir()
	runHarness(t, sweepArgs(whole))
	runHarness(t, sweepArgs(hostile))
	cases := []struct{ file, content, why string }{
		{"result.json", `{}`, "status"},
		{"result.json", `{"status":"garbage","epochs_completed":99}`, "status"},
		{"result.json", `{"status":"done","epochs_completed":1}`, "epochs"},
		{"metrics.csv", ``, "empty"},
		{"final.npz", ``, "final.npz"},
	}
	dirs := runDirs(t, hostile)
	for _, c := range cases {
		for _, dir := range dirs {
			os.WriteFile(filepath.Join(dir, c.file), []byte(c.content), 0o644)
		}
		for _, cmd := range []string{"plot", "report"} {
			var out, errb bytes.Buffer
			code := run([]string{cmd, hostile}, &out, &errb)
			if code != exitUsage || !strings.Contains(errb.String(), "unfinished") || !strings.Contains(errb.String(), c.why) {
				t.Errorf("%s after %s = %q: exit %d, stderr %q", cmd, c.file, c.content, code, errb.String())
			}
		}
		if log := runHarness(t, sweepArgs(hostile)); strings.Contains(log, "skipped") {
			t.Errorf("after %s = %q the resumed sweep skipped a run:\n%s", c.file, c.content, log)
		}
		for i, dir := range dirs {
			if got, want := metricsWithoutTime(t, dir), metricsWithoutTime(t, runDirs(t, whole)[i]); got != want {
				t.Errorf("after %s = %q and a resume, %s:\n%s\nwant:\n%s", c.file, c.content, dir, got, want)
			}
		}
	}
}

// A run that starts over removes what its killed attempt left: files of
// the run that a new attempt may not write, and temporary files.
func TestStartOverClearsTheKilledAttempt(t *testing.T) {
	root := t.TempDir()
	runHarness(t, sweepArgs(root))
	dir := runDirs(t, root)[0]
	os.Remove(filepath.Join(dir, "result.json"))
	for _, f := range []string{".tmp-123", "gradcheck.csv"} {
		os.WriteFile(filepath.Join(dir, f), []byte("left by a killed attempt"), 0o644)
	}
	runHarness(t, sweepArgs(root))
	for _, f := range []string{".tmp-123", "gradcheck.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); !os.IsNotExist(err) {
			t.Errorf("%s outlived the attempt that left it (%v)", f, err)
		}
	}
}

// Two sweeps on one output directory at once make each run once: the
// second waits for the run the first is writing, then finds it finished.
func TestTwoWritersMakeEachRunOnce(t *testing.T) {
	lockPoll = 50 * time.Millisecond
	root := t.TempDir()
	logs := make([]string, 2)
	var wg sync.WaitGroup
	for i := range logs {
		wg.Go(func() {
			var out, errb bytes.Buffer
			if code := run(sweepArgs(root), &out, &errb); code != 0 {
				t.Errorf("sweep %d: exit %d\n%s", i, code, errb.String())
			}
			logs[i] = out.String()
		})
	}
	wg.Wait()
	trained := strings.Count(logs[0]+logs[1], "epoch 1/2")
	skipped := strings.Count(logs[0]+logs[1], "finished earlier, skipped")
	if trained != 2 || skipped != 2 {
		t.Errorf("2 runs trained %d times and skipped %d times, want 2 and 2:\n%s\n%s", trained, skipped, logs[0], logs[1])
	}
	whole := t.TempDir()
	runHarness(t, sweepArgs(whole))
	for i, dir := range runDirs(t, root) {
		if got, want := metricsWithoutTime(t, dir), metricsWithoutTime(t, runDirs(t, whole)[i]); got != want {
			t.Errorf("%s:\n%s\nwant:\n%s", dir, got, want)
		}
	}
}
