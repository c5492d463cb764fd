package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// Spec is one training run: every setting that changes its numbers.
type Spec struct {
	Model      string  `json:"model"`
	Scale      float64 `json:"scale"`
	Opt        string  `json:"opt"`             // e.g. zo-sgd, or a hybrid zo-sgd:fo-sgd
	Split      float64 `json:"split,omitempty"` // hybrids: the first optimizer's share of epochs
	LR         float64 `json:"lr"`
	LR2        float64 `json:"lr2,omitempty"` // hybrids: the second stage's rate, if not LR
	Momentum   float64 `json:"momentum"`
	Dampening  float64 `json:"dampening"`
	Estimator  string  `json:"estimator"` // vectorwise or elementwise
	Dist       string  `json:"dist"`
	Diff       string  `json:"diff"` // central or forward
	Eps        float64 `json:"eps"`
	Q          int     `json:"q"`
	PerTensor  bool    `json:"per_tensor"`
	Coords     int     `json:"coords"` // elementwise: coordinates per step, 0 = all
	Epochs     int     `json:"epochs"`
	Batch      int     `json:"batch"`
	Seed       uint64  `json:"seed"`
	Milestones []int   `json:"milestones,omitempty"`
	Gamma      float64 `json:"gamma,omitempty"`
	Schedule   string  `json:"schedule,omitempty"` // cosine, or the multi-step schedule ("")
	Warmup     int     `json:"warmup,omitempty"`   // steps of linear warmup
	TrainLimit int     `json:"train_limit,omitempty"`
	Val        int     `json:"val"` // training examples held out for validation
	// Init is a .npz of weights the run starts from (instead of its
	// seed's initialization), and InitSHA256 its content's hash.
	Init       string `json:"init,omitempty"`
	InitSHA256 string `json:"init_sha256,omitempty"`
	// GradCheck: every GradCheck-th step of a ZO stage is compared with
	// the true gradient (gradcheck.csv); the run's numbers do not change.
	GradCheck int `json:"grad_check,omitempty"`
	// HessianSmooth is HiZOO's α, the weight of each step's curvature.
	HessianSmooth float64 `json:"hessian_smooth,omitempty"`
	// Sparsity is the fraction of parameters a sparse ZO-SGD leaves alone,
	// Mask how it picks the rest and MaskRefresh the steps between draws.
	Sparsity    float64 `json:"sparsity,omitempty"`
	Mask        string  `json:"mask,omitempty"`
	MaskRefresh int     `json:"mask_refresh,omitempty"`
	// Rank and RankInterval shape low-rank directions (--dist lowrank):
	// U·Vᵀ per weight matrix, V drawn every RankInterval steps.
	Rank         int `json:"rank,omitempty"`
	RankInterval int `json:"rank_interval,omitempty"`
	// SVRGPeriod is the steps between ZO-SVRG's snapshots, SVRGBatch the
	// examples of each snapshot's large-batch estimate.
	SVRGPeriod int `json:"svrg_period,omitempty"`
	SVRGBatch  int `json:"svrg_batch,omitempty"`
}

// optimizers are the names --opt accepts; hybrids join two with ':'.
var optimizers = []string{"fo-sgd", "fo-signsgd", "fo-adam", "zo-sgd", "zo-signsgd", "zo-sgd-sign", "zo-sgd-mmt", "zo-adam", "zo-sgd-cons", "zo-svrg", "hizoo", "fg-sgd"}

var models = []string{"mynet", "convnet", "mynetplus"}

func isZO(opt string) bool { return strings.HasPrefix(opt, "zo-") || opt == "hizoo" }

// usesFG reports whether any stage of the run is the forward gradient,
// which draws directions as ZO does but has no ε or difference.
func (s Spec) usesFG() bool { return slices.Contains(strings.Split(s.Opt, ":"), "fg-sgd") }

// usesZO reports whether any stage of the (possibly hybrid) run is ZO.
func (s Spec) usesZO() bool {
	for _, o := range strings.Split(s.Opt, ":") {
		if isZO(o) {
			return true
		}
	}
	return false
}

// Dir is the run's directory under the output root: readable, and unique
// for the settings that distinguish runs of a sweep.
func (s Spec) Dir() string {
	model := s.Model
	if s.Model == "mynet" {
		model = fmt.Sprintf("mynet-s%g", s.Scale)
	}
	opt := strings.ReplaceAll(s.Opt, ":", "-then-")
	if s.Split > 0 {
		opt += fmt.Sprintf("-split%g", s.Split)
	}
	parts := []string{fmt.Sprintf("lr%g", s.LR)}
	if s.LR2 > 0 {
		parts[0] += fmt.Sprintf("-then%g", s.LR2)
	}
	if s.Momentum != 0 || s.Dampening != 0 {
		parts = append(parts, fmt.Sprintf("mom%g-damp%g", s.Momentum, s.Dampening))
	}
	if s.usesZO() {
		if s.Estimator == "elementwise" {
			parts = append(parts, fmt.Sprintf("elementwise-k%d", s.Coords))
		} else {
			parts = append(parts, fmt.Sprintf("%s-%s-q%d", s.Dist, s.Diff, s.Q))
			if s.PerTensor {
				parts = append(parts, "per-tensor")
			}
		}
		parts = append(parts, fmt.Sprintf("eps%g", s.Eps))
		if s.HessianSmooth > 0 {
			parts = append(parts, fmt.Sprintf("alpha%g", s.HessianSmooth))
		}
		if s.Sparsity > 0 {
			parts = append(parts, fmt.Sprintf("sparse%g-%s-every%d", s.Sparsity, s.Mask, s.MaskRefresh))
		}
		if s.Rank > 0 {
			parts = append(parts, fmt.Sprintf("rank%d-every%d", s.Rank, s.RankInterval))
		}
		if s.SVRGPeriod > 0 {
			parts = append(parts, fmt.Sprintf("snapshot%d-big%d", s.SVRGPeriod, s.SVRGBatch))
		}
	} else if s.usesFG() {
		parts = append(parts, fmt.Sprintf("%s-q%d", s.Dist, s.Q))
		if s.PerTensor {
			parts = append(parts, "per-tensor")
		}
	}
	parts = append(parts, fmt.Sprintf("ep%d-bs%d", s.Epochs, s.Batch))
	if len(s.Milestones) > 0 {
		parts = append(parts, fmt.Sprintf("decay%v-x%g", strings.Trim(strings.ReplaceAll(fmt.Sprint(s.Milestones), " ", "."), "[]"), s.Gamma))
	}
	if s.Schedule != "" {
		parts = append(parts, s.Schedule)
	}
	if s.Warmup > 0 {
		parts = append(parts, fmt.Sprintf("warmup%d", s.Warmup))
	}
	if s.TrainLimit > 0 {
		parts = append(parts, fmt.Sprintf("n%d", s.TrainLimit))
	}
	if s.Val != defaultVal {
		parts = append(parts, fmt.Sprintf("val%d", s.Val))
	}
	if s.InitSHA256 != "" { // the weights, not their path, name the run
		parts = append(parts, "init-"+s.InitSHA256[:12])
	}
	parts = append(parts, fmt.Sprintf("seed%d", s.Seed))
	return filepath.Join(model, opt, strings.Join(parts, "-"))
}
