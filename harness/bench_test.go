package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"

	"github.com/zofo/zofo/internal/host"
)

// bench output parses with benchfmt, with the names, units, unit metadata
// and file keys benchstat needs.
func TestBenchFileParses(t *testing.T) {
	out := t.TempDir()
	log := runHarness(t, []string{"bench", "--scale", "0.5,2", "--opt", "zo-sgd", "--train-limit", "640", "--count", "2", "--threads", "1", "--out", out})
	if !strings.Contains(log, "r = t(s=2)/t(s=0.5)") {
		t.Errorf("summary lacks the scaling ratio:\n%s", log)
	}
	summary, err := os.ReadFile(filepath.Join(out, "summary.txt"))
	if err != nil || !strings.Contains(log, string(summary)) || !strings.HasPrefix(string(summary), "cpu: "+host.This().String()) {
		t.Errorf("summary.txt (%v) is not the printed summary naming the CPU:\n%s", err, summary)
	}
	f, err := os.Open(filepath.Join(out, "bench.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := benchfmt.NewReader(f, "bench.txt")
	var names []string
	units := map[string]bool{}
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.Result:
			names = append(names, string(rec.Name))
			for _, v := range rec.Values {
				units[v.Unit] = true
			}
			for _, key := range []string{"kernels", "cpu", "cpu-vendor", "cpu-family", "cpu-model", "commit"} {
				if rec.GetConfig(key) == "" {
					t.Errorf("result without a %s key: %v", key, rec.Config)
				}
			}
		case *benchfmt.SyntaxError:
			t.Errorf("syntax error: %v", rec)
		}
	}
	if len(names) != 4 || !slices.Contains(names, "Epoch/model=mynet/opt=zo-sgd/scale=0.5/q=1/impl=zofo") {
		t.Errorf("benchmarks %v", names)
	}
	for _, u := range []string{"sec/epoch", "samples/s", "accuracy"} {
		if !units[u] {
			t.Errorf("no %s values (have %v)", u, units)
		}
		if m := r.Units().Get(u, "better"); m == nil {
			t.Errorf("no 'Unit %s better=…' line", u)
		}
	}
}

func TestBenchBadCount(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"bench", "--count", "0"}, &out, &errb); code != exitUsage || !strings.Contains(errb.String(), "--count") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}

func TestFOCounterpart(t *testing.T) {
	for name, want := range map[string]string{
		"Epoch/model=mynet/opt=zo-sgd/scale=0.5/q=1/impl=zofo":   "Epoch/model=mynet/opt=fo-sgd/scale=0.5/q=0/impl=zofo",
		"Epoch/model=mynet/opt=zo-sgd/scale=2/q=16/impl=zofo":    "Epoch/model=mynet/opt=fo-sgd/scale=2/q=0/impl=zofo",
		"Epoch/model=mynet/opt=zo-signsgd/scale=1/q=1/impl=zofo": "Epoch/model=mynet/opt=zo-signsgd/scale=1/q=1/impl=zofo",
		"Epoch/model=mynet/opt=fo-sgd/scale=1/q=0/impl=zofo":     "Epoch/model=mynet/opt=fo-sgd/scale=1/q=0/impl=zofo",
	} {
		if got := foCounterpart(name); got != want {
			t.Errorf("foCounterpart(%s) = %s, want %s", name, got, want)
		}
	}
}

// Benchmark names carry every setting that differs among runs otherwise
// named alike, and the same keys for FO and ZO: different settings never
// pool into one benchmark.
func TestBenchNamesSeparateSettings(t *testing.T) {
	names := func(args string) (keys []string, out []string) {
		fs := flag.NewFlagSet("bench", flag.ContinueOnError)
		f := newRunFlags(fs, 1)
		if err := fs.Parse(strings.Fields(args)); err != nil {
			t.Fatal(err)
		}
		specs := f.specs()
		keys = nameKeys(specs)
		seen := map[string]bool{}
		for _, s := range specs {
			if n := benchName(s, keys); !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
		return keys, out
	}
	if keys, n := names("--opt zo-sgd --lr 1e-3,1e-2 --eps 1e-3,1e-2 --seeds 1,2"); !slices.Equal(keys, []string{"lr", "eps"}) || len(n) != 4 {
		t.Errorf("keys %v, names %v: want lr and eps, 4 names", keys, n)
	}
	keys, n := names("--opt fo-sgd,zo-sgd")
	want := []string{"Epoch/model=mynet/opt=fo-sgd/scale=1/q=0", "Epoch/model=mynet/opt=zo-sgd/scale=1/q=1"}
	if len(keys) != 0 || !slices.Equal(n, want) {
		t.Errorf("default sweep: keys %v, names %v; want none and %v", keys, n, want)
	}
	if _, n := names("--opt fo-sgd --momentum 0,0.9"); len(n) != 2 || !strings.HasSuffix(n[1], "/momentum=0.9") {
		t.Errorf("momentum list: names %v", n)
	}
}
