//go:build openblas && cgo

// Command bestcore names the OpenBLAS core (a value of OPENBLAS_CORETYPE)
// that multiplies zofo's GEMM shapes fastest on this CPU, so that the races
// meet OpenBLAS, and the PyTorch that links it, at their best. OpenBLAS's
// own detection is one candidate; the others are the cores this CPU can
// run (Haswell and Zen with AVX2 and FMA; SkylakeX, and Cooperlake with
// AVX512_BF16, with AVX-512). Debian's OpenBLAS 0.3.21 does not know every
// recent CPU and then falls back to slow kernels (Prescott on a family 6
// model 207 Xeon).
//
// Each core runs in a child process (OpenBLAS reads OPENBLAS_CORETYPE once,
// when it loads) that first checks the products against kernels.Gemm and
// then times the shapes on one thread. A core whose products disagree, or
// that OpenBLAS does not take (it names another core), is not chosen. The
// best core goes to standard output; the table of all of them to standard
// error. With -detected it prints the core OpenBLAS chose by itself.
//
//	env -u OPENBLAS_CORETYPE go run -tags openblas ./internal/openblas/bestcore
package main

import (
	"bytes"
	"cmp"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"

	"github.com/klauspost/cpuid/v2"

	"github.com/zofo/zofo/internal/openblas"
)

// auto is the candidate that leaves the choice to OpenBLAS.
const auto = "auto"

func main() {
	probe := flag.Bool("probe", false, "check and time the core OpenBLAS loaded with, then print one result line")
	detected := flag.Bool("detected", false, "print the core OpenBLAS loaded with (its own choice, without OPENBLAS_CORETYPE)")
	flag.Parse()
	if *detected {
		fmt.Println(openblas.CoreName())
		return
	}
	if *probe {
		r := measure()
		fmt.Println(r.line())
		return
	}
	best, err := choose(candidates(), os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bestcore:", err)
		os.Exit(1)
	}
	fmt.Println(best)
}

// candidates are the cores this CPU can run, OpenBLAS's own choice first.
func candidates() []string {
	out := []string{auto}
	if cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3) {
		out = append(out, "Haswell", "Zen")
	}
	if cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512BW, cpuid.AVX512DQ, cpuid.AVX512VL, cpuid.AVX512CD) {
		out = append(out, "SkylakeX")
		if cpuid.CPU.Supports(cpuid.AVX512BF16) {
			out = append(out, "Cooperlake")
		}
	}
	return out
}

// rounds is how many times each core is timed, the cores taking turns, so
// that a slow moment of a shared host falls on all of them alike.
const rounds = 3

// choose probes every candidate and returns the name of the fastest one
// (median of its rounds) that computes right: the core OpenBLAS reports,
// ready for OPENBLAS_CORETYPE.
func choose(cores []string, log io.Writer) (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	runs := make([][]result, len(cores))
	for range rounds {
		for i, core := range cores {
			r, err := probeCore(self, core)
			if err != nil {
				return "", fmt.Errorf("core %s: %w", core, err)
			}
			runs[i] = append(runs[i], r)
		}
	}
	return pick(cores, runs, log)
}

// margin is how much faster than the choice so far a core must be to
// replace it. OpenBLAS's own choice comes first, so a core that is only as
// fast, within a shared host's noise, leaves it chosen, and the choice does
// not flip from one run to the next between two equal cores.
const margin = 1.05

// pick returns the fastest core by median, by the margin above, that
// OpenBLAS took and that computed right in every run, and writes the table
// of all of them to log.
func pick(cores []string, runs [][]result, log io.Writer) (string, error) {
	var best result
	fmt.Fprintf(log, "%-12s %-12s %10s  products (median of %d runs, one thread, MyNet's GEMMs)\n", "asked", "loaded", "GFLOP/s", len(runs[0]))
	for i, core := range cores {
		r := median(runs[i])
		taken := core == auto || strings.EqualFold(r.core, core)
		fmt.Fprintf(log, "%-12s %-12s %10.1f  %s\n", core, r.core, r.gflops, r.verdict(taken))
		if r.right && taken && r.gflops > margin*best.gflops {
			best = r
		}
	}
	if best.core == "" {
		return "", fmt.Errorf("no core computes zofo's products right")
	}
	return best.core, nil
}

// median is the run with the median speed; it is right only if every run was.
func median(runs []result) result {
	sorted := slices.SortedFunc(slices.Values(runs), func(a, b result) int { return cmp.Compare(a.gflops, b.gflops) })
	m := sorted[len(sorted)/2]
	for _, r := range runs {
		m.right = m.right && r.right
	}
	return m
}

// probeCore runs this program with -probe under OPENBLAS_CORETYPE=core.
func probeCore(self, core string) (result, error) {
	cmd := exec.Command(self, "-probe")
	cmd.Env = withoutBLASEnv(os.Environ())
	if core != auto {
		cmd.Env = append(cmd.Env, "OPENBLAS_CORETYPE="+core)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return result{}, fmt.Errorf("%v: %s", err, stderr.String())
	}
	return parseResult(strings.TrimSpace(string(out)))
}

// withoutBLASEnv drops the variables that pin OpenBLAS's core or cache size,
// so each child decides as a user's process would.
func withoutBLASEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "OPENBLAS_CORETYPE=") && !strings.HasPrefix(kv, "OPENBLAS_L2_SIZE=") {
			out = append(out, kv)
		}
	}
	return out
}
