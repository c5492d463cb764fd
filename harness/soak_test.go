//go:build soak

package main

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The soak test (make soak, not in make test): a sweep with --jobs 2 run
// by two processes at once, both killed with SIGKILL at a random moment,
// again and again, then resumed to the end, gives byte for byte the runs
// of an uninterrupted sweep (time columns aside).
func TestSoakKilledConcurrentSweeps(t *testing.T) {
	args := func(out string) []string {
		return []string{"run", "--opt", "fo-sgd,zo-sgd,fo-adam,zo-sgd-mmt", "--seeds", "1,2", "--epochs", "3", "--train-limit", "1280",
			"--val", "500", "--jobs", "2", "--threads", "1", "--out", out}
	}
	root, whole := t.TempDir(), t.TempDir()
	kills := 20
	if s := os.Getenv("ZOFO_SOAK_KILLS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			t.Fatalf("ZOFO_SOAK_KILLS=%q: want a count", s)
		}
		kills = n
	}
	for k := 0; k < kills; k++ {
		var procs []*exec.Cmd
		for range 2 {
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), childArgs+"="+strings.Join(args(root), " "))
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			procs = append(procs, cmd)
		}
		time.Sleep(time.Duration(100+rand.IntN(1500)) * time.Millisecond)
		for _, p := range procs {
			p.Process.Kill()
			p.Wait()
		}
	}
	runHarness(t, args(root))
	runHarness(t, args(whole))
	dirs, _ := filepath.Glob(filepath.Join(root, "*", "*", "*"))
	if len(dirs) != 8 {
		t.Fatalf("%d run directories, want 8", len(dirs))
	}
	for _, dir := range dirs {
		other := filepath.Join(whole, strings.TrimPrefix(dir, root))
		if got, want := metricsWithoutTime(t, dir), metricsWithoutTime(t, other); got != want {
			t.Errorf("%s:\n%s\nwant:\n%s", dir, got, want)
		}
		for _, f := range []string{"final.npz", "best.npz", "result.json"} {
			a, b := readFile(t, filepath.Join(dir, f)), readFile(t, filepath.Join(other, f))
			if f == "result.json" {
				a, b = withoutSeconds(a), withoutSeconds(b)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("%s/%s differs from the uninterrupted sweep's", dir, f)
			}
		}
	}
}

// withoutSeconds drops result.json's train_seconds line.
func withoutSeconds(b []byte) []byte {
	var keep [][]byte
	for _, line := range bytes.Split(b, []byte("\n")) {
		if !bytes.Contains(line, []byte(`"train_seconds"`)) {
			keep = append(keep, line)
		}
	}
	return bytes.Join(keep, []byte("\n"))
}
