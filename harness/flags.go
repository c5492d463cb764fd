package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// runFlags are the flags of harness run; comma lists run the cross product.
type runFlags struct {
	models, opts              []string
	scales, lrs, epsilons     []float64
	splits                    []float64
	qs                        []int
	seeds                     []uint64
	seedsSet                  bool // --seeds given: an experiment runs these instead of its own
	val, gradCheck            int
	momenta, lr2s             []float64
	dampening, gamma          float64
	estimator, dist, diff     string
	perTensor                 bool
	coords, epochs, batch     int
	threads, trainLimit, jobs int
	milestones                []int
	hessianSmooth             []float64
	sparsity                  float64
	mask                      string
	maskRefresh               int
	rank, rankInterval        int
	svrgPeriod, svrgBatch     int
	schedule                  string // multistep or cosine
	warmup                    int    // steps
	out, data, init           string
	initSHA256                string // of --init's file, read by check
	exp                       string
	planFile                  string // --plan: write the sweep there, or run one task of it
	task                      int    // --task: the plan entry to run; -1: $SLURM_ARRAY_TASK_ID or none
}

// defaultThreads is --threads when not given: every core the process may
// use. Measured on the 2-vCPU machine when quiet (go test -bench Epoch
// ./train, side by side): two threads make a MyNet s=1 epoch about 1.25×
// faster for FO-SGD and 1.4× for ZO-SGD. (An earlier measurement that
// found them slower was taken while other runs held the second vCPU; on a
// loaded or oversubscribed host, pass --threads 1.) --jobs divides it.
var defaultThreads = runtime.GOMAXPROCS(0)

// defaultLR is each optimizer's learning rate when --lr is not given: the
// study's best for its four, settings that train here for the rest.
var defaultLR = map[string]float64{"zo-svrg": 1e-4, "hizoo": 1e-4, "fo-sgd": 1e-2, "fo-signsgd": 1e-4, "fo-adam": 1e-3, "zo-sgd": 5e-4,
	"zo-signsgd": 3e-4, "zo-sgd-sign": 1e-3, "zo-sgd-mmt": 1e-4, "zo-adam": 1e-4, "zo-sgd-cons": 1e-3, "fg-sgd": 5e-4}

func newRunFlags(fs *flag.FlagSet, threads int) *runFlags {
	f := &runFlags{models: []string{"mynet"}, opts: []string{"fo-sgd", "zo-sgd"}, scales: []float64{1}, hessianSmooth: []float64{1e-6},
		epsilons: []float64{1e-3}, qs: []int{1}, seeds: []uint64{1}, momenta: []float64{0.9}}
	listFlag(fs, "model", "models: "+strings.Join(models, ", "), &f.models, parseString)
	listFlag(fs, "opt", "optimizers: "+strings.Join(optimizers, ", ")+"; a hybrid is first:second", &f.opts, parseString)
	listFlag(fs, "scale", "MyNet hidden-width scales s (> 0)", &f.scales, parsePositive)
	listFlag(fs, "lr", "learning rates (> 0); default per optimizer", &f.lrs, parsePositive)
	listFlag(fs, "eps", "ZO perturbation sizes ε (> 0)", &f.epsilons, parsePositive)
	listFlag(fs, "split", "hybrids: the first optimizer's fraction of epochs, in (0, 1)", &f.splits, parseFraction)
	listFlag(fs, "q", "ZO and forward-gradient directions per step (≥ 1)", &f.qs, parseCount)
	listFlag(fs, "seeds", "seeds (with --exp: the experiment's own unless given)", &f.seeds, func(s string) (uint64, error) {
		f.seedsSet = true
		return strconv.ParseUint(s, 10, 64)
	})
	listFlag(fs, "milestones", "epochs at which the learning rate is multiplied by --gamma", &f.milestones, parseCount)
	listFlag(fs, "hessian-smooth", "hizoo: α, the weight of each step's curvature in its diagonal Hessian estimate, in (0, 1]", &f.hessianSmooth, parseFraction1)
	fs.Float64Var(&f.sparsity, "sparsity", 0, "zo-sgd: the fraction P of parameters left unperturbed and unchanged, in [0, 1) (0: dense)")
	fs.StringVar(&f.mask, "mask", "magnitude", "with --sparsity: magnitude (perturb the smallest |θ|, Sparse MeZO's) or random")
	fs.IntVar(&f.maskRefresh, "mask-refresh", 0, "with --sparsity: steps between mask draws (0: drawn once)")
	fs.IntVar(&f.rank, "rank", 2, "--dist lowrank: the rank r of each weight matrix's direction U·Vᵀ")
	fs.IntVar(&f.rankInterval, "rank-interval", 50, "--dist lowrank: steps between draws of V (U is drawn every step)")
	fs.IntVar(&f.svrgPeriod, "svrg-period", 10, "zo-svrg: steps between snapshots and their large-batch estimates")
	fs.IntVar(&f.svrgBatch, "svrg-batch", 1024, "zo-svrg: examples of a snapshot's large batch (a multiple of --batch)")
	listFlag(fs, "momentum", "momentum of fo-sgd and zo-sgd-mmt, in [0, 1)", &f.momenta, parseMomentum)
	listFlag(fs, "lr2", "hybrids: the second stage's learning rates (> 0); default: the second optimizer's, or --lr when given", &f.lr2s, parsePositive)
	fs.Float64Var(&f.dampening, "dampening", 0, "dampening of fo-sgd")
	fs.Float64Var(&f.gamma, "gamma", 0.1, "learning-rate factor at each milestone")
	fs.StringVar(&f.schedule, "schedule", "multistep", "learning-rate schedule: multistep (constant, or --milestones) or cosine (a half cosine to 0 over the run's steps)")
	fs.IntVar(&f.warmup, "warmup", 0, "steps over which the learning rate first rises linearly to the schedule's (0: none)")
	fs.StringVar(&f.estimator, "estimator", "vectorwise", "ZO gradient estimator: vectorwise or elementwise")
	fs.StringVar(&f.dist, "dist", "rademacher", "vectorwise directions: rademacher, gaussian or sphere")
	fs.StringVar(&f.diff, "diff", "central", "finite difference: central or forward")
	fs.BoolVar(&f.perTensor, "per-tensor", false, "vectorwise: one direction per parameter tensor (the study's way)")
	fs.IntVar(&f.coords, "coords", 0, "elementwise: coordinates per step (0: all)")
	fs.IntVar(&f.epochs, "epochs", 10, "epochs per run")
	fs.IntVar(&f.batch, "batch", 64, "training batch size")
	fs.IntVar(&f.threads, "threads", threads, "goroutines per GEMM and per parameter pass (results do not depend on it)")
	fs.IntVar(&f.jobs, "jobs", 1, "runs made at once (results do not depend on it); their GEMMs share --threads")
	fs.IntVar(&f.trainLimit, "train-limit", 0, "use only the first N training examples left after --val (0: all)")
	fs.IntVar(&f.val, "val", defaultVal, "training examples held out for validation, the same ones for every run; the best epoch is chosen on them (0: none, no best epoch)")
	fs.IntVar(&f.gradCheck, "grad-check", 0, fmt.Sprintf("compare every Kth step's ZO estimate with the true gradient, into gradcheck.csv (0: never; --exp: %d)", expGradCheck))
	fs.StringVar(&f.out, "out", "runs", "output directory")
	fs.StringVar(&f.init, "init", "", "a .npz of weights (best.npz, final.npz, or a PyTorch state_dict saved by numpy) every run starts from")
	fs.StringVar(&f.exp, "exp", "", "a study experiment with its exact grid and epochs: "+strings.Join(experimentOrder, ", ")+", or all (the sweep flags are then ignored); beyond-grid tunes the methods beyond the study, beyond runs their best settings")
	fs.StringVar(&f.planFile, "plan", "", "write the expanded sweep to this file instead of running it; with --task (or $SLURM_ARRAY_TASK_ID), run one entry of it")
	fs.IntVar(&f.task, "task", -1, "with --plan: the entry to run; -1 reads $SLURM_ARRAY_TASK_ID")
	fs.StringVar(&f.data, "data", "", "directory with the four MNIST .gz files (default: $ZOFO_MNIST_DIR, else the GoMNIST module)")
	return f
}

// listFlag registers a comma-list flag whose items parse with parse; its
// help shows the list it starts with. A value given twice is an error:
// the run would be made twice.
func listFlag[T comparable](fs *flag.FlagSet, name, usage string, dst *[]T, parse func(string) (T, error)) {
	fs.Var(&listValue[T]{name: name, dst: dst, parse: parse}, name, usage+" (comma list)")
}

// listValue is a comma list as a flag.Value.
type listValue[T comparable] struct {
	name  string
	dst   *[]T
	parse func(string) (T, error)
}

func (l *listValue[T]) String() string {
	if l == nil || l.dst == nil {
		return ""
	}
	parts := make([]string, len(*l.dst))
	for i, v := range *l.dst {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, ",")
}

func (l *listValue[T]) Set(v string) error {
	*l.dst = (*l.dst)[:0]
	for _, item := range strings.Split(v, ",") {
		x, err := l.parse(strings.TrimSpace(item))
		if err != nil {
			return fmt.Errorf("--%s: %w", l.name, err)
		}
		if slices.Contains(*l.dst, x) {
			return fmt.Errorf("--%s: %q given twice", l.name, strings.TrimSpace(item))
		}
		*l.dst = append(*l.dst, x)
	}
	return nil
}

func parseString(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("empty item")
	}
	return s, nil
}

func parsePositive(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v > 0) || v > 1e30 {
		return 0, fmt.Errorf("%q is not a number > 0", s)
	}
	return v, nil
}

func parseMomentum(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v >= 0 && v < 1) {
		return 0, fmt.Errorf("%q is not a number in [0, 1)", s)
	}
	return v, nil
}

func parseFraction(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v > 0 && v < 1) {
		return 0, fmt.Errorf("%q is not a fraction in (0, 1)", s)
	}
	return v, nil
}

// parseFraction1 is a weight in (0, 1].
func parseFraction1(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v > 0 && v <= 1) {
		return 0, fmt.Errorf("%q is not a number in (0, 1]", s)
	}
	return v, nil
}

func parseCount(s string) (int, error) {
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		return 0, fmt.Errorf("%q is not a whole number ≥ 1", s)
	}
	return v, nil
}

// check validates the flags that are not lists, naming the flag and the
// allowed values.
func (f *runFlags) check(w io.Writer) bool {
	bad := func(format string, a ...any) bool { fmt.Fprintf(w, "harness run: "+format+"\n", a...); return false }
	for _, m := range f.models {
		if !slices.Contains(models, m) {
			return bad("--model %q: want one of %s", m, strings.Join(models, ", "))
		}
	}
	for _, o := range f.opts {
		stages := strings.Split(o, ":")
		for _, st := range stages {
			if !slices.Contains(optimizers, st) {
				return bad("--opt %q: want one of %s, or two joined by ':'", o, strings.Join(optimizers, ", "))
			}
		}
		if len(stages) > 2 || len(stages) == 2 && len(f.splits) == 0 {
			return bad("--opt %q: a hybrid is exactly two optimizers and needs --split", o)
		}
	}
	switch {
	case !slices.Contains([]string{"vectorwise", "elementwise"}, f.estimator):
		return bad("--estimator %q: want vectorwise or elementwise", f.estimator)
	case dists[f.dist] == 0 && f.dist != "rademacher" && f.dist != "lowrank":
		return bad("--dist %q: want rademacher, gaussian, sphere or lowrank", f.dist)
	case f.dist == "lowrank" && (f.rank < 1 || f.rankInterval < 1):
		return bad("--rank %d, --rank-interval %d: want both ≥ 1", f.rank, f.rankInterval)
	case f.dist == "lowrank" && (f.estimator != "vectorwise" || f.perTensor || f.diff != "central" || f.sparsity > 0 ||
		slices.ContainsFunc(f.qs, func(q int) bool { return q != 1 }) || slices.ContainsFunc(f.opts, func(o string) bool { return o != "zo-sgd" })):
		return bad("--dist lowrank: low-rank directions run with --opt zo-sgd alone, --q 1, central, vectorwise, over the whole model, dense")
	case f.diff != "central" && f.diff != "forward":
		return bad("--diff %q: want central or forward", f.diff)
	case f.epochs < 1 || f.batch < 1 || f.threads < 1 || f.jobs < 1 || f.coords < 0 || f.trainLimit < 0:
		return bad("--epochs, --batch, --threads, --jobs want ≥ 1 and --coords, --train-limit ≥ 0")
	case f.val < 0 || f.val > mnistTrainLen-10000:
		return bad("--val %d: want 0 to %d held-out examples", f.val, mnistTrainLen-10000)
	case f.gradCheck < 0:
		return bad("--grad-check %d: want a step interval ≥ 1, or 0 for none", f.gradCheck)
	case f.schedule != "multistep" && f.schedule != "cosine":
		return bad("--schedule %q: want multistep or cosine", f.schedule)
	case f.schedule == "cosine" && len(f.milestones) > 0:
		return bad("--schedule cosine: it has no --milestones (got %v)", f.milestones)
	case !(f.sparsity >= 0 && f.sparsity < 1):
		return bad("--sparsity %v: want a fraction in [0, 1)", f.sparsity)
	case f.mask == "grasp":
		return bad("--mask grasp: DeepZero's ZO-GraSP pruning at initialization is not built yet; use magnitude or random")
	case f.mask != "magnitude" && f.mask != "random":
		return bad("--mask %q: want magnitude or random", f.mask)
	case f.maskRefresh < 0:
		return bad("--mask-refresh %d: want a number of steps ≥ 0", f.maskRefresh)
	case f.sparsity > 0 && (f.estimator != "vectorwise" || f.perTensor || f.diff != "central" || slices.ContainsFunc(f.opts, func(o string) bool { return o != "zo-sgd" })):
		return bad("--sparsity: a sparse estimator runs with --opt zo-sgd alone, vectorwise, central, over the whole model (the coordinate-wise one with a mask is not built yet)")
	case slices.Contains(f.opts, "zo-svrg") && (f.svrgPeriod < 1 || f.svrgBatch < f.batch || f.svrgBatch%f.batch != 0):
		return bad("--svrg-period %d, --svrg-batch %d: want a period ≥ 1 and a large batch that is a multiple of --batch %d", f.svrgPeriod, f.svrgBatch, f.batch)
	case slices.ContainsFunc(f.opts, func(o string) bool { return strings.Contains(o, "zo-svrg") }) && (f.estimator != "vectorwise" || f.perTensor || f.diff != "central"):
		return bad("--opt zo-svrg: central differences over the whole model, vectorwise")
	case f.warmup < 0:
		return bad("--warmup %d: want a number of steps ≥ 0", f.warmup)
	case !(f.gamma > 0) || math.IsInf(f.gamma, 0):
		return bad("--gamma %v: want a finite number > 0", f.gamma)
	case !(f.dampening >= 0 && f.dampening <= 1):
		return bad("--dampening %v: want a number in [0, 1]", f.dampening)
	case f.task < -1 || f.task >= 0 && f.planFile == "":
		return bad("--task %d: want an entry index ≥ 0, and --plan naming the plan", f.task)
	}
	if msg := f.checkShapes(); msg != "" {
		return bad("%s", msg)
	}
	if f.init != "" {
		if f.exp != "" {
			return bad("--init: an experiment starts from its seeds' initialization")
		}
		abs, err := filepath.Abs(f.init) // a plan's tasks may run elsewhere
		if err != nil {
			return bad("--init: %v", err)
		}
		sum, err := fileSHA256(abs)
		if err != nil {
			return bad("--init: %v", err)
		}
		f.init, f.initSHA256 = abs, sum
	}
	return true
}

// maxParams bounds a MyNet's parameters (4 bytes each, several copies in
// training): 50 million is s ≈ 60, 200 MB a copy.
const maxParams = 50_000_000

// mnistTrainLen is the examples of MNIST's training file (the SHA-256 the
// loader checks pins it), before --val and --train-limit.
const mnistTrainLen = 60_000

// trainSteps is the optimizer steps of a run of the sweep.
func (f *runFlags) trainSteps() int {
	n := mnistTrainLen - f.val
	if f.trainLimit > 0 {
		n = min(n, f.trainLimit)
	}
	return f.epochs * ((n + f.batch - 1) / f.batch)
}

// maxMilestones keeps a run's folder name within a file name's 255 bytes.
const maxMilestones = 16

// checkShapes checks what depends on several flags: MyNet's widths, a
// hybrid's epochs, the milestones against the epochs.
func (f *runFlags) checkShapes() string {
	for _, s := range f.scales {
		h1, h2 := int(128*s), int(64*s)
		if slices.Contains(f.models, "mynet") && (h2 < 1 || 784*h1+h1*h2+10*h2 > maxParams) {
			return fmt.Sprintf("--scale %v: MyNet's hidden widths would be %d and %d; want s from 1/64 (widths ≥ 1) to about 60 (at most %d parameters)",
				s, h1, h2, maxParams)
		}
	}
	for _, o := range f.opts {
		if strings.Contains(o, "hizoo") && (f.estimator != "vectorwise" || f.perTensor || f.diff != "central" || slices.ContainsFunc(f.qs, func(q int) bool { return q != 1 })) {
			return fmt.Sprintf("--opt %s: HiZOO takes one central difference over the whole model (--q 1, --diff central, no --per-tensor, vectorwise)", o)
		}
		if strings.Contains(o, "fg-sgd") && slices.ContainsFunc(f.models, func(m string) bool { return m != "mynet" }) {
			return fmt.Sprintf("--opt %s: the forward gradient runs on MLPs (--model mynet) only; its tangents through convolutions are not built", o)
		}
		if strings.Contains(o, ":") && f.epochs < 2 {
			return fmt.Sprintf("--opt %s: a hybrid needs --epochs ≥ 2, one per stage at least (got %d)", o, f.epochs)
		}
	}
	if len(f.milestones) > maxMilestones {
		return fmt.Sprintf("--milestones: %d epochs; want at most %d (each is part of the run's folder name)", len(f.milestones), maxMilestones)
	}
	for i, m := range f.milestones {
		if m >= f.epochs || i > 0 && m <= f.milestones[i-1] {
			return fmt.Sprintf("--milestones %v: want strictly increasing epochs below --epochs %d", f.milestones, f.epochs)
		}
	}
	if steps := f.trainSteps(); f.warmup >= steps {
		return fmt.Sprintf("--warmup %d: a run has %d steps (--epochs, --batch, --val, --train-limit); want fewer", f.warmup, steps)
	}
	return ""
}

// specs expands the flags into the runs of the sweep, in a fixed order.
func (f *runFlags) specs() []Spec {
	var out []Spec
	for _, model := range f.models {
		for _, scale := range f.scales {
			if model != "mynet" && scale != f.scales[0] {
				continue // scale shapes only MyNet
			}
			for _, opt := range f.opts {
				out = append(out, f.optSpecs(model, scale, opt)...)
			}
		}
	}
	return out
}

func (f *runFlags) optSpecs(model string, scale float64, opt string) []Spec {
	stages := strings.Split(opt, ":")
	hybrid := len(stages) == 2
	lrs, lr2s := f.lrs, f.lr2s
	if len(lrs) == 0 { // each stage at its optimizer's default
		lrs = []float64{defaultLR[stages[0]]}
		if hybrid && len(lr2s) == 0 {
			lr2s = []float64{defaultLR[stages[1]]}
		}
	}
	if !hybrid || len(lr2s) == 0 {
		lr2s = []float64{0} // the second stage at LR
	}
	base := Spec{Model: model, Scale: scale, Opt: opt, Epochs: f.epochs, Batch: f.batch, Milestones: f.milestones,
		TrainLimit: f.trainLimit, Val: f.val, Init: f.init, InitSHA256: f.initSHA256}
	if len(f.milestones) > 0 {
		base.Gamma = f.gamma
	}
	if f.schedule == "cosine" {
		base.Schedule = f.schedule
	}
	base.Warmup = f.warmup
	if model != "mynet" {
		base.Scale = 1
	}
	momenta, splits, epsilons, qs := []float64{0}, []float64{0}, []float64{0}, []int{0}
	if strings.Contains(opt, "fo-sgd") || strings.Contains(opt, "mmt") { // the rules that use momentum
		momenta, base.Dampening = f.momenta, f.dampening
	}
	if hybrid {
		splits = f.splits
	}
	if base.usesFG() && !base.usesZO() { // the directions, without ε or a difference
		qs = f.qs
		base.Dist, base.PerTensor, base.GradCheck = f.dist, f.perTensor, f.gradCheck
	}
	if f.sparsity > 0 {
		base.Sparsity, base.Mask, base.MaskRefresh = f.sparsity, f.mask, f.maskRefresh
	}
	if f.dist == "lowrank" {
		base.Rank, base.RankInterval = f.rank, f.rankInterval
	}
	if slices.Contains(strings.Split(opt, ":"), "zo-svrg") {
		base.SVRGPeriod, base.SVRGBatch = f.svrgPeriod, f.svrgBatch
	}
	if base.usesZO() {
		epsilons, qs = f.epsilons, f.qs
		base.Estimator, base.Dist, base.Diff, base.PerTensor, base.Coords = f.estimator, f.dist, f.diff, f.perTensor, f.coords
		base.GradCheck = f.gradCheck
	}
	out := []Spec{base}
	out = cross(out, lrs, func(s *Spec, v float64) { s.LR = v })
	out = cross(out, lr2s, func(s *Spec, v float64) { s.LR2 = v })
	out = cross(out, momenta, func(s *Spec, v float64) { s.Momentum = v })
	out = cross(out, splits, func(s *Spec, v float64) { s.Split = v })
	out = cross(out, epsilons, func(s *Spec, v float64) { s.Eps = v })
	out = cross(out, qs, func(s *Spec, v int) { s.Q = v })
	if slices.Contains(strings.Split(opt, ":"), "hizoo") {
		out = cross(out, f.hessianSmooth, func(s *Spec, v float64) { s.HessianSmooth = v })
	}
	return cross(out, f.seeds, func(s *Spec, v uint64) { s.Seed = v })
}

// cross is every spec with every value set on it, the specs' order outer.
func cross[T any](specs []Spec, values []T, set func(*Spec, T)) []Spec {
	out := make([]Spec, 0, len(specs)*len(values))
	for _, s := range specs {
		for _, v := range values {
			set(&s, v)
			out = append(out, s)
		}
	}
	return out
}

// plan is the runs to make: a named experiment, or the flags' sweep.
// An experiment runs its own seeds unless --seeds names others, and checks
// its ZO estimates every --grad-check steps (expGradCheck if not given).
func (f *runFlags) plan() ([]Spec, error) {
	if f.exp == "" {
		return f.specs(), nil
	}
	specs, err := experiment(f.exp)
	if err != nil {
		return nil, err
	}
	if f.seedsSet {
		specs = withSeeds(distinctSettings(specs), f.seeds...)
	}
	check := f.gradCheck
	if check == 0 {
		check = expGradCheck
	}
	for i := range specs {
		specs[i].TrainLimit, specs[i].Val = f.trainLimit, f.val
		if specs[i].usesZO() || specs[i].usesFG() {
			specs[i].GradCheck = check
		}
	}
	return specs, nil
}

// expGradCheck is an experiment's interval between estimate checks: about
// nine checks per epoch, each a backward pass and one estimate on the side.
const expGradCheck = 100

// distinctSettings is specs with seed-only duplicates dropped.
func distinctSettings(specs []Spec) []Spec {
	seen := map[string]bool{}
	var out []Spec
	for _, s := range specs {
		s.Seed = 0
		if d := s.Dir(); !seen[d] {
			seen[d] = true
			out = append(out, s)
		}
	}
	return out
}
