package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// plot writes decodable PNGs for a sweep, overlaying the study's CSVs.
func TestPlotWritesPNGs(t *testing.T) {
	root := t.TempDir()
	runHarness(t, []string{"run", "--opt", "fo-sgd,zo-sgd", "--seeds", "1,2", "--epochs", "2", "--train-limit", "640", "--threads", "1", "--out", root})
	ref := t.TempDir()
	os.WriteFile(filepath.Join(ref, "firstrun_mynet_zo_sgd-ep_1-lr_0.01-eps_0.001.csv"),
		[]byte("train_loss,train_acc,test_loss,test_acc,time\n2.2,0.1,2.1,0.3,60\n2.0,0.2,1.9,0.4,59\n"), 0o644)
	out := runHarness(t, []string{"plot", root, "--reference", ref})
	files := strings.Fields(out)
	if len(files) != 4 {
		t.Fatalf("figures %v, want 4 (two optimizers, best, epoch time)", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil || img.Bounds().Dx() < 400 {
			t.Errorf("%s: not a usable PNG (%v)", f, err)
		}
	}
}

func TestPlotBadInput(t *testing.T) {
	for _, args := range [][]string{{"plot"}, {"plot", t.TempDir()}, {"plot", "a", "b"}, {"plot", "--reference", t.TempDir(), t.TempDir()}} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != exitUsage || errb.Len() == 0 {
			t.Errorf("harness %v: exit %d, stderr %q", args, code, errb.String())
		}
	}
}
