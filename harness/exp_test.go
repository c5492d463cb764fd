package main

import (
	"flag"
	"reflect"
	"strings"
	"testing"
)

// Each experiment has the study's number of runs, and two runs share a
// directory only if they are the same run (the study's best ZO-SGD is also
// its same-learning-rate ZO-SGD at 0.01: a sweep makes it once).
func TestExperiments(t *testing.T) {
	want := map[string]int{"grid": 9 + 5 + 9 + 9, "best": 6 * 3, "samelr": 12, "scale": 6 * 3, "hybrid": 8 * 3, "models": 6}
	total := 0
	for name, n := range want {
		specs, err := experiment(name)
		if err != nil || len(specs) != n {
			t.Errorf("%s: %d runs (%v), want %d", name, len(specs), err, n)
		}
		total += n
	}
	all, _ := experiment("all")
	seen := map[string]Spec{}
	for _, s := range all {
		if prev, ok := seen[s.Dir()]; ok && !reflect.DeepEqual(prev, s) {
			t.Errorf("different runs share %s:\n%+v\n%+v", s.Dir(), prev, s)
		}
		seen[s.Dir()] = s
		if _, err := newConfig(s); err != nil {
			t.Errorf("%s: %v", s.Dir(), err)
		}
	}
	if len(all) != total-1 { // one run is in best and in samelr
		t.Errorf("all has %d runs, want %d", len(all), total-1)
	}
	if _, err := experiment("nope"); err == nil {
		t.Error("unknown experiment accepted")
	}
}

// --exp runs the experiment's seeds unless --seeds names others, holds out
// --val examples, and checks the ZO runs' estimates.
func TestExperimentFlags(t *testing.T) {
	var errb strings.Builder
	f := newRunFlags(flag.NewFlagSet("run", flag.ContinueOnError), 1)
	f.exp = "scale"
	own, err := f.plan()
	if err != nil || len(own) != 18 {
		t.Fatalf("scale: %d runs (%v), want 18", len(own), err)
	}
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(&errb)
	f = newRunFlags(fs, 1)
	if err := fs.Parse([]string{"--exp", "scale", "--seeds", "7,8", "--val", "300", "--grad-check", "5"}); err != nil {
		t.Fatal(err)
	}
	specs, err := f.plan()
	if err != nil || len(specs) != 12 {
		t.Fatalf("scale --seeds 7,8: %d runs (%v), want 12", len(specs), err)
	}
	for i, s := range specs {
		wantCheck := 0
		if s.usesZO() {
			wantCheck = 5
		}
		if s.Seed != uint64(7+i%2) || s.Val != 300 || s.GradCheck != wantCheck {
			t.Errorf("run %d: seed %d, val %d, grad check %d: want %d, 300, %d", i, s.Seed, s.Val, s.GradCheck, 7+i%2, wantCheck)
		}
	}
}

// --momentum and --lr2 are lists: the study swept momentum, and a hybrid's
// second stage has its own rate.
func TestMomentumAndSecondRateAreLists(t *testing.T) {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	f := newRunFlags(fs, 1)
	if err := fs.Parse(strings.Fields("--opt fo-sgd,zo-sgd:fo-sgd --split 0.5 --momentum 0,0.9,0.99 --lr 1e-4 --lr2 1e-2,1e-3")); err != nil {
		t.Fatal(err)
	}
	var fo, hybrids []Spec
	for _, s := range f.specs() {
		if s.Split > 0 {
			hybrids = append(hybrids, s)
		} else {
			fo = append(fo, s)
		}
	}
	if len(fo) != 3 || fo[2].Momentum != 0.99 || fo[0].LR2 != 0 {
		t.Errorf("FO-SGD over 3 momenta: %+v", fo)
	}
	if len(hybrids) != 6 || hybrids[0].LR != 1e-4 || hybrids[0].LR2 != 1e-2 || hybrids[3].LR2 != 1e-3 {
		t.Errorf("hybrids over 2 second rates × 3 momenta: %+v", hybrids)
	}
}
