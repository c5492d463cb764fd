package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"

	"github.com/zofo/zofo/train"
)

// benchCmd times training epochs, --count times per setting, and writes
// them in Go benchmark format (bench.txt under --out) for benchstat, then
// prints medians with 95% intervals computed as benchstat does.
func benchCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("bench", stderr)
	f := newRunFlags(fs, defaultThreads)
	count := fs.Int("count", 6, "repetitions per setting (≥ 1; 6 or more for an interval)")
	f.epochs, f.out = 1, "bench"
	fs.Lookup("epochs").DefValue, fs.Lookup("out").DefValue = "1", "bench"
	if code := parseFlags(fs, args); code != 0 {
		return max(code, 0)
	}
	if name := runOnlyFlag(fs); name != "" {
		fmt.Fprintf(stderr, "harness bench: --%s belongs to harness run; bench times the sweep its flags describe, --count times each\n", name)
		return exitUsage
	}
	if !f.check(stderr) {
		return exitUsage
	}
	exitOnInterrupt(stderr, "bench")
	if *count < 1 {
		fmt.Fprintf(stderr, "harness bench: --count %d: want ≥ 1\n", *count)
		return exitUsage
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		fmt.Fprintf(stderr, "harness bench: --out %q: %v\n", f.out, err)
		return exitUsage
	}
	src, err := loadSource(f.data)
	if err != nil {
		fmt.Fprintf(stderr, "harness bench: %v\n", err)
		return 1
	}
	b := newBencher(newEnvironment(f.threads), stdout)
	specs := f.specs()
	b.keys = nameKeys(specs)
	for _, s := range specs {
		for rep := 0; rep < *count; rep++ {
			if err := b.measure(s, src); err != nil {
				fmt.Fprintf(stderr, "harness bench: %s: %v\n", s.Dir(), err)
				return 1
			}
		}
	}
	path := filepath.Join(f.out, "bench.txt")
	var summary bytes.Buffer
	b.summarize(&summary)
	for name, text := range map[string][]byte{path: b.text(), filepath.Join(f.out, "summary.txt"): summary.Bytes()} {
		if err := writeAtomic(name, text); err != nil {
			fmt.Fprintf(stderr, "harness bench: %v\n", err)
			return 1
		}
	}
	stdout.Write(summary.Bytes())
	fmt.Fprintf(stdout, "benchmark file: %s, its summary beside it (compare two with: go tool benchstat old.txt new.txt)\n", path)
	return 0
}

// runOnlyFlag is the first flag given that only harness run honours.
func runOnlyFlag(fs *flag.FlagSet) string {
	found := ""
	fs.Visit(func(fl *flag.Flag) {
		if found == "" && slices.Contains([]string{"exp", "plan", "task", "jobs", "grad-check"}, fl.Name) {
			found = fl.Name
		}
	})
	return found
}

// bencher collects the epochs it timed.
type bencher struct {
	env     Environment
	log     io.Writer
	config  []benchfmt.Config // the file keys every result carries
	keys    []string          // the settings the names carry beyond model, opt, scale and q
	results []*benchfmt.Result
}

// newBencher names the environment once in the file keys: the CPU, kernel
// path, commit, threads and Go version.
func newBencher(env Environment, log io.Writer) *bencher {
	keys := append([][2]string{{"cpu", env.CPU}}, env.CPUID.BenchKeys()...)
	keys = append(keys, [][2]string{{"kernels", env.KernelPath}, {"commit", env.Commit},
		{"threads", fmt.Sprint(env.Threads)}, {"go", env.GoVersion}}...)
	b := &bencher{env: env, log: log}
	for _, kv := range keys {
		b.config = append(b.config, benchfmt.Config{Key: kv[0], Value: []byte(kv[1]), File: true})
	}
	return b
}

// benchName is the key=value name benchstat groups and pivots by: the
// same keys for every run (q=0 where no directions are drawn: FO, the
// coordinate-wise estimator), then the keys of settings that differ among
// runs that would otherwise share a name (nameKeys), so that no two
// settings pool into one benchmark.
func benchName(s Spec, keys []string) string {
	q := 0
	if s.usesZO() && s.Estimator == "vectorwise" || s.usesFG() {
		q = s.Q
	}
	name := fmt.Sprintf("Epoch/model=%s/opt=%s/scale=%g/q=%d", s.Model, s.Opt, s.Scale, q)
	for _, k := range keys {
		name += "/" + k + "=" + settingValue(s, k)
	}
	return name
}

// settingKeys are the settings a name may need beyond model, opt, scale
// and q, with how each is written ("-" where it does not apply).
var settingKeys = []struct {
	key string
	of  func(Spec) string
}{
	{"lr", func(s Spec) string { return fmtG(s.LR) }},
	{"lr2", func(s Spec) string { return fmtG(s.LR2) }},
	{"momentum", func(s Spec) string { return fmtG(s.Momentum) }},
	{"split", func(s Spec) string { return fmtG(s.Split) }},
	{"eps", func(s Spec) string { return fmtG(s.Eps) }},
	{"dist", func(s Spec) string { return s.Dist }},
	{"diff", func(s Spec) string { return s.Diff }},
	{"per-tensor", func(s Spec) string { return fmt.Sprint(s.PerTensor) }},
	{"estimator", func(s Spec) string { return s.Estimator }},
	{"epochs", func(s Spec) string { return fmt.Sprint(s.Epochs) }},
	{"milestones", func(s Spec) string { return strings.Trim(strings.ReplaceAll(fmt.Sprint(s.Milestones), " ", "."), "[]") }},
	{"schedule", func(s Spec) string { return s.Schedule }},
	{"warmup", func(s Spec) string { return fmt.Sprint(s.Warmup) }},
	{"hessian-smooth", func(s Spec) string { return fmtG(s.HessianSmooth) }},
	{"sparsity", func(s Spec) string { return fmtG(s.Sparsity) }},
	{"rank", func(s Spec) string { return fmt.Sprint(s.Rank) }},
	{"svrg-period", func(s Spec) string { return fmt.Sprint(s.SVRGPeriod) }},
}

func settingValue(s Spec, key string) string {
	for _, k := range settingKeys {
		if k.key == key {
			return k.of(s)
		}
	}
	return "-"
}

// nameKeys lists the settings that differ among specs sharing model, opt,
// scale and q (seeds aside: they are samples of one benchmark).
func nameKeys(specs []Spec) []string {
	var keys []string
	for _, k := range settingKeys {
		seen := map[string]string{}
		for _, s := range specs {
			base := benchName(s, nil)
			if v, ok := seen[base]; ok && v != k.of(s) {
				keys = append(keys, k.key)
				break
			}
			seen[base] = k.of(s)
		}
	}
	return keys
}

// measure trains the spec for its epochs once and records each epoch.
func (b *bencher) measure(s Spec, src *dataSource) error {
	data, err := src.forSpec(s)
	if err != nil {
		return err
	}
	m, err := newModel(s, b.env.Threads)
	if err != nil {
		return err
	}
	cfg, err := newConfig(s)
	if err != nil {
		return err
	}
	return train.Run(m, data, cfg, func(e train.Epoch) error {
		r := &benchfmt.Result{Name: benchfmt.Name(benchName(s, b.keys) + "/impl=zofo"), Iters: 1, Values: []benchfmt.Value{
			{Value: e.Seconds * 1e9, Unit: "ns/op"}, {Value: e.Seconds, Unit: "sec/epoch"},
			{Value: float64(data.Train.Len()) / e.Seconds, Unit: "samples/s"}, {Value: e.TestAcc, Unit: "accuracy"}},
			Config: b.config}
		b.results = append(b.results, r)
		fmt.Fprintf(b.log, "%s: %.3f s/epoch, test acc %.4f\n", r.Name, e.Seconds, e.TestAcc)
		return nil
	})
}

// text is the benchmark file: unit metadata, then every result.
func (b *bencher) text() []byte {
	var buf bytes.Buffer
	w := benchfmt.NewWriter(&buf)
	for _, u := range [][2]string{{"sec/epoch", "lower"}, {"samples/s", "higher"}, {"accuracy", "higher"}} {
		w.Write(&benchfmt.UnitMetadata{UnitMetadataKey: benchfmt.UnitMetadataKey{Unit: u[0], Key: "better"}, OrigUnit: u[0], Value: u[1]})
	}
	for _, r := range b.results {
		w.Write(r)
	}
	return buf.Bytes()
}

// summarize prints the CPU and settings, each benchmark's median epoch
// time with its 95% interval, the scaling ratio r = t(s=2)/t(s=0.5) per
// optimizer and t(ZO)/t(FO) per scale (summary.txt beside bench.txt).
func (b *bencher) summarize(w io.Writer) {
	fmt.Fprintf(w, "cpu: %s; kernels %s, %d thread(s), commit %s, %s\n",
		b.env.CPUID, b.env.KernelPath, b.env.Threads, b.env.Commit, b.env.GoVersion)
	samples := map[string][]float64{}
	var names []string
	for _, r := range b.results {
		n := string(r.Name)
		if _, ok := samples[n]; !ok {
			names = append(names, n)
		}
		v, _ := r.Value("sec/epoch")
		samples[n] = append(samples[n], v)
	}
	summarizeTimes(w, names, samples)
}

// summarizeTimes prints medians with 95% intervals (benchmath, as
// benchstat computes them) and r = t(s=2)/t(s=0.5) for each name with both
// scales.
func summarizeTimes(w io.Writer, names []string, samples map[string][]float64) {
	fmt.Fprintf(w, "\n%-60s %s\n", "benchmark", "sec/epoch: median [95% interval] (n)")
	sums := map[string]benchmath.Summary{}
	for _, n := range names {
		sums[n] = benchmath.AssumeNothing.Summary(benchmath.NewSample(samples[n], &benchmath.DefaultThresholds), 0.95)
		ci := fmt.Sprintf("[%.4f, %.4f]", sums[n].Lo, sums[n].Hi)
		if math.IsInf(sums[n].Lo, 0) {
			ci = "[no interval under 6 samples]"
		}
		fmt.Fprintf(w, "%-60s %.4f %s (%d)\n", n, sums[n].Center, ci, len(samples[n]))
	}
	for _, n := range names {
		if big := replaceScale(n, "0.5", "2"); big != n && slices.Contains(names, big) {
			fmt.Fprintf(w, "r = t(s=2)/t(s=0.5) for %s: %s\n", n, ratio(sums[big], sums[n]))
		}
	}
	for _, n := range names {
		if fo := foCounterpart(n); fo != n && slices.Contains(names, fo) {
			fmt.Fprintf(w, "t(ZO)/t(FO) for %s: %s\n", n, ratio(sums[n], sums[fo]))
		}
	}
}

// ratio is num/den of two medians, with the interval their 95% intervals
// bound when both have one.
func ratio(num, den benchmath.Summary) string {
	interval := "(no interval: it needs 6 or more samples each)"
	if !math.IsInf(num.Lo, 0) && !math.IsInf(den.Lo, 0) {
		interval = fmt.Sprintf("[%.2f, %.2f] (from the two medians' 95%% intervals)", num.Lo/den.Hi, num.Hi/den.Lo)
	}
	return fmt.Sprintf("%.2f %s", num.Center/den.Center, interval)
}

// foCounterpart is the FO-SGD benchmark of a ZO-SGD one at the same
// model, scale and implementation (the name itself otherwise).
func foCounterpart(name string) string {
	if !strings.Contains(name, "/opt=zo-sgd/") {
		return name
	}
	return qKey.ReplaceAllString(strings.Replace(name, "/opt=zo-sgd/", "/opt=fo-sgd/", 1), "/q=0")
}

var qKey = regexp.MustCompile(`/q=\d+`)

// replaceScale swaps scale=from for scale=to in a benchmark name.
func replaceScale(name, from, to string) string {
	return string(bytes.Replace([]byte(name), []byte("/scale="+from), []byte("/scale="+to), 1))
}
