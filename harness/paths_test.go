package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zofo/zofo/kernels"
)

// childArgs, when set, makes the test binary run the harness with these
// arguments (space-separated) and exit: the kernel path is chosen when the
// process starts (kernels.EnvVar), so each path needs a process of its own.
const childArgs = "ZOFO_HARNESS_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childArgs); args != "" {
		os.Exit(run(strings.Fields(args), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// A short run of each model with momentum FO-SGD and the study's ZO
// estimator writes the same metrics and weights on every assembly path and
// thread count this machine has (an AVX2-only machine compares thread
// counts). A tail that depends on the vector width (Axpy's assembly
// stopping at a multiple of 8 on AVX2 and of 16 on AVX-512, Go's tail
// unfused) changes MyNetPlus's FO-SGD weights within these 10 steps.
func TestRunsHaveTheSameBitsOnEveryPath(t *testing.T) {
	var outs []string
	for _, p := range kernels.Available() {
		if p == kernels.Generic {
			continue // its GEMM does not fuse: the meaning, not the bits
		}
		for _, threads := range []int{1, 2} {
			out := filepath.Join(t.TempDir(), fmt.Sprintf("%v-t%d", p, threads))
			args := fmt.Sprintf("run --model mynet,mynetplus --opt fo-sgd,zo-sgd --per-tensor --diff forward --lr 1e-3 "+
				"--epochs 1 --train-limit 640 --threads %d --out %s", threads, out)
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), childArgs+"="+args, kernels.EnvVar+"="+p.String())
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%v, %d threads: %v\n%s", p, threads, err, b)
			}
			outs = append(outs, out)
		}
	}
	if len(outs) == 0 {
		t.Skip("skipped: no assembly path in this build (purego), and the generic path's bits are not compared")
	}
	runs, _ := filepath.Glob(filepath.Join(outs[0], "*", "*", "*"))
	if len(runs) != 4 {
		t.Fatalf("runs %v, want 4", runs)
	}
	for _, out := range outs[1:] {
		for _, dir := range runs {
			other := filepath.Join(out, strings.TrimPrefix(dir, outs[0]))
			if a, b := metricsWithoutTime(t, dir), metricsWithoutTime(t, other); a != b {
				t.Errorf("%s: metrics differ from %s:\n%s\n%s", other, dir, a, b)
			}
			a, _ := os.ReadFile(filepath.Join(dir, "final.npz"))
			b, err := os.ReadFile(filepath.Join(other, "final.npz"))
			if err != nil || len(a) == 0 || !bytes.Equal(a, b) {
				t.Errorf("%s: final.npz differs from %s's (%v)", other, dir, err)
			}
		}
	}
}
