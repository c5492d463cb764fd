package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestSelftestReportsPathAndShapes(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"selftest", "--benchtime", "1ms"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	for _, want := range []string{"selected:", "fc1 forward 64x784x128 NN", "perturb gaussian"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestBadInputExitsTwo(t *testing.T) {
	for _, args := range [][]string{
		{}, {"frobnicate"}, {"selftest", "--nope"}, {"selftest", "--benchtime", "-1s"}, {"selftest", "extra"},
	} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != exitUsage {
			t.Errorf("harness %v: exit %d, want %d", args, code, exitUsage)
		}
		if errb.Len() == 0 {
			t.Errorf("harness %v: no message on stderr", args)
		}
	}
}
