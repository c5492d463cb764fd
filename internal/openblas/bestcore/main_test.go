//go:build openblas && cgo

package main

import (
	"strings"
	"testing"
)

func TestResultLineRoundTrips(t *testing.T) {
	want := result{core: "SkylakeX", gflops: 123.25, right: true}
	got, err := parseResult(want.line())
	if err != nil || got != want {
		t.Errorf("parseResult(%q) = %+v, %v; want %+v", want.line(), got, err, want)
	}
	if _, err := parseResult("garbage"); err == nil {
		t.Error("parseResult accepted a line that is not a result")
	}
}

func TestPickTakesTheFastestRightCore(t *testing.T) {
	cores := []string{auto, "Haswell", "SkylakeX", "Cooperlake"}
	runs := [][]result{
		{{"Prescott", 20, true}, {"Prescott", 22, true}, {"Prescott", 21, true}},
		{{"Haswell", 60, true}, {"Haswell", 10, true}, {"Haswell", 61, true}},
		{{"SkylakeX", 90, true}, {"SkylakeX", 95, false}, {"SkylakeX", 91, true}}, // wrong once: never
		{{"SkylakeX", 99, true}, {"SkylakeX", 99, true}, {"SkylakeX", 99, true}},  // not taken: never
	}
	var log strings.Builder
	best, err := pick(cores, runs, &log)
	if err != nil || best != "Haswell" {
		t.Errorf("pick = %q, %v; want Haswell (median 60)\n%s", best, err, log.String())
	}
	for _, want := range []string{"WRONG", "not taken", "Prescott"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, log.String())
		}
	}
	runs[0] = []result{{"Zen", 58, true}, {"Zen", 59, true}, {"Zen", 58, true}}
	if best, err := pick(cores, runs, &log); err != nil || best != "Zen" {
		t.Errorf("pick = %q, %v; want OpenBLAS's own Zen (58), which Haswell (60) beats by less than the margin", best, err)
	}
	runs[1][0].right = false
	runs[0][0].right = false
	if best, err := pick(cores, runs, &log); err == nil {
		t.Errorf("pick = %q with no core right in every run; want an error", best)
	}
}

func TestMeasureAgreesOnTheLoadedCore(t *testing.T) {
	r := measure()
	if !r.right || r.gflops <= 0 || r.core == "" {
		t.Errorf("measure() = %+v: OpenBLAS's products must agree with kernels.Gemm", r)
	}
}

func TestChildrenDecideWithoutPins(t *testing.T) {
	env := withoutBLASEnv([]string{"A=1", "OPENBLAS_CORETYPE=Haswell", "OPENBLAS_L2_SIZE=1", "OPENBLAS_NUM_THREADS=1"})
	if strings.Join(env, " ") != "A=1 OPENBLAS_NUM_THREADS=1" {
		t.Errorf("withoutBLASEnv kept %q", env)
	}
}
