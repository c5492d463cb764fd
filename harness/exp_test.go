package main

import (
	"reflect"
	"testing"
)

// Each experiment has the study's number of runs, and two runs share a
// directory only if they are the same run (the study's best ZO-SGD is also
// its same-learning-rate ZO-SGD at 0.01: a sweep makes it once).
func TestExperiments(t *testing.T) {
	want := map[string]int{"grid": 9 + 5 + 9 + 9, "best": 6 * 3, "samelr": 12, "scale": 6, "hybrid": 8, "models": 6}
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
	if len(all) != total {
		t.Errorf("all has %d runs, want %d", len(all), total)
	}
	if _, err := experiment("nope"); err == nil {
		t.Error("unknown experiment accepted")
	}
}
