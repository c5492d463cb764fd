package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/zofo/zofo/nn"
	"github.com/zofo/zofo/optim"
	"github.com/zofo/zofo/train"
)

// newModel builds the spec's model with its seed.
func newModel(s Spec, threads int) (*nn.Sequential, error) {
	var m *nn.Sequential
	switch s.Model {
	case "mynet":
		var err error
		if m, err = nn.NewMyNet(s.Scale, s.Seed); err != nil {
			return nil, err
		}
	case "convnet":
		m = nn.NewConvNet(s.Seed)
	case "mynetplus":
		m = nn.NewMyNetPlus(s.Seed)
	default:
		return nil, fmt.Errorf("unknown model %q", s.Model)
	}
	m.Threads = threads
	if s.Init != "" {
		if err := loadInit(m, s); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// loadInit starts m from the spec's weights, checking that the file is
// the one the run was planned with.
func loadInit(m *nn.Sequential, s Spec) error {
	sum, err := fileSHA256(s.Init)
	if err != nil {
		return fmt.Errorf("--init: %w", err)
	}
	if sum != s.InitSHA256 {
		return fmt.Errorf("--init %s: its content changed since the run was planned (SHA-256 %s, planned %s)", s.Init, sum, s.InitSHA256)
	}
	if err := m.Load(s.Init); err != nil {
		return fmt.Errorf("--init: %w", err)
	}
	return nil
}

// fileSHA256 is the hex SHA-256 of a file's content.
func fileSHA256(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// newConfig builds the optimizers and schedule of the spec.
func newConfig(s Spec) (train.Config, error) {
	cfg := train.Config{Epochs: s.Epochs, Batch: s.Batch, EvalBatch: 1000, Seed: s.Seed, GradCheck: s.GradCheck,
		Schedule: optim.Schedule{LR: float32(s.LR), Milestones: s.Milestones, Gamma: float32(s.Gamma),
			Cosine: s.Schedule == "cosine", Warmup: s.Warmup}, LargeBatch: s.SVRGBatch}
	stages := strings.Split(s.Opt, ":")
	var err error
	if cfg.First, err = newOptimizer(s, stages[0]); err != nil {
		return cfg, err
	}
	if len(stages) == 2 {
		if cfg.Second, err = newOptimizer(s, stages[1]); err != nil {
			return cfg, err
		}
		cfg.SwitchAt, err = train.SwitchEpoch(s.Epochs, s.Split)
		if s.LR2 > 0 {
			second := cfg.Schedule
			second.LR = float32(s.LR2)
			cfg.SecondSchedule = &second
		}
	}
	return cfg, err
}

var maskRules = map[string]optim.MaskRule{"magnitude": optim.MaskMagnitude, "random": optim.MaskRandom}

var zoRules = map[string]optim.Rule{
	"zo-sgd": optim.ZOSGD, "zo-signsgd": optim.ZOSignSGD, "zo-sgd-sign": optim.ZOSGDSign,
	"zo-sgd-mmt": optim.ZOSGDMMT, "zo-adam": optim.ZOAdam, "zo-sgd-cons": optim.ZOSGDCons,
}

var dists = map[string]optim.Dist{"rademacher": optim.Rademacher, "gaussian": optim.Gaussian, "sphere": optim.Sphere}

func newOptimizer(s Spec, name string) (optim.Optimizer, error) {
	switch name {
	case "fo-sgd":
		return &optim.SGD{Momentum: float32(s.Momentum), Dampening: float32(s.Dampening)}, nil
	case "fo-signsgd":
		return &optim.SignSGD{Seed: s.Seed}, nil
	case "fo-adam":
		return optim.NewAdam(), nil
	case "zo-svrg":
		o := &optim.SVRG{Est: optim.Estimator{Dist: dists[s.Dist], Central: true, Q: s.Q, Eps: float32(s.Eps), Seed: s.Seed},
			Period: s.SVRGPeriod}
		return o, o.Validate()
	case "hizoo":
		o := &optim.HiZOO{Est: optim.Estimator{Dist: dists[s.Dist], Central: true, Q: s.Q, Eps: float32(s.Eps), Seed: s.Seed},
			Smooth: float32(s.HessianSmooth)}
		return o, o.Validate()
	case "fg-sgd":
		o := &optim.FG{Est: optim.Estimator{Dist: dists[s.Dist], Q: s.Q, PerTensor: s.PerTensor, Seed: s.Seed}}
		return o, o.Validate()
	}
	rule, ok := zoRules[name]
	if !ok {
		return nil, fmt.Errorf("unknown optimizer %q", name)
	}
	if s.Estimator == "elementwise" {
		if rule != optim.ZOSGD && rule != optim.ZOSignSGD {
			return nil, fmt.Errorf("the elementwise estimator supports zo-sgd and zo-signsgd, not %s", name)
		}
		return &optim.Coord{Eps: float32(s.Eps), K: s.Coords, Sign: rule == optim.ZOSignSGD, Seed: s.Seed}, nil
	}
	est := optim.Estimator{Dist: dists[s.Dist], Central: s.Diff == "central", Q: s.Q, PerTensor: s.PerTensor,
		Eps: float32(s.Eps), Seed: s.Seed}
	if s.Dist == "lowrank" {
		o := &optim.LowRankZO{Est: est, Rank: s.Rank, Interval: s.RankInterval}
		return o, o.Validate()
	}
	if s.Sparsity > 0 {
		o := &optim.SparseZO{Est: est, Sparsity: s.Sparsity, Rule: maskRules[s.Mask], Refresh: s.MaskRefresh}
		return o, o.Validate()
	}
	if err := est.Validate(); err != nil {
		return nil, err
	}
	return &optim.ZO{Est: est, Rule: rule, Momentum: float32(s.Momentum)}, nil
}
