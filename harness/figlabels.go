package main

import (
	"fmt"
	"strings"
)

// optNames are the optimizers as papers write them.
var optNames = map[string]string{"fo-sgd": "FO-SGD", "fo-signsgd": "FO-signSGD", "fo-adam": "FO-Adam",
	"zo-sgd": "ZO-SGD", "zo-signsgd": "ZO-signSGD", "zo-sgd-sign": "ZO-SGD-Sign", "zo-sgd-mmt": "ZO-SGD-MMT",
	"zo-adam": "ZO-Adam", "zo-sgd-cons": "ZO-SGD-Cons", "hizoo": "HiZOO", "zo-svrg": "ZO-SVRG", "fg-sgd": "FG-SGD"}

// optName is the run's optimizer, a hybrid as first→second.
func optName(opt string) string {
	var parts []string
	for _, o := range strings.Split(opt, ":") {
		parts = append(parts, optNames[o])
	}
	return strings.Join(parts, "→")
}

// labelParts are a spec's distinguishing settings, each as a legend shows it.
func labelParts(s Spec) []string {
	lr := fmt.Sprintf("lr %g", s.LR)
	if s.LR2 > 0 {
		lr += fmt.Sprintf(", then %g", s.LR2)
	}
	parts := []string{modelName(s), optName(s.Opt), "", lr, "", "", "", "", fmt.Sprintf("%d epochs", s.Epochs)}
	if s.Split > 0 {
		parts[2] = fmt.Sprintf("split %g", s.Split)
	}
	if strings.Contains(s.Opt, "fo-sgd") || strings.Contains(s.Opt, "mmt") { // the rules with momentum
		parts[4] = fmt.Sprintf("μ %g", s.Momentum)
	}
	if s.usesZO() {
		parts[5] = estimatorName(s)
		parts[6] = fmt.Sprintf("ε %g", s.Eps)
		if s.HessianSmooth > 0 {
			parts[6] += fmt.Sprintf(", α %g", s.HessianSmooth)
		}
		if s.Sparsity > 0 {
			parts[6] += fmt.Sprintf(", %g%% left alone (%s mask)", 100*s.Sparsity, s.Mask)
		}
		if s.Rank > 0 {
			parts[6] += fmt.Sprintf(", rank %d, V every %d steps", s.Rank, s.RankInterval)
		}
		if s.SVRGPeriod > 0 {
			parts[6] += fmt.Sprintf(", snapshot every %d steps on %d examples", s.SVRGPeriod, s.SVRGBatch)
		}
	} else if s.usesFG() {
		parts[5] = estimatorName(s)
	}
	parts[7] = scheduleLabel(s)
	return parts
}

func modelName(s Spec) string {
	switch s.Model {
	case "mynet":
		return fmt.Sprintf("MyNet s=%g", s.Scale)
	case "mynetplus":
		return "MyNetPlus"
	}
	return "ConvNet"
}

// estimatorName is a vectorwise estimator in a few words.
func estimatorName(s Spec) string {
	if s.Estimator == "elementwise" {
		return fmt.Sprintf("coordinate-wise, %d coords", s.Coords)
	}
	name := fmt.Sprintf("%s %s, q %d", s.Dist, s.Diff, s.Q)
	if s.Diff == "" { // a forward gradient: exact slopes, no difference
		name = fmt.Sprintf("%s, q %d", s.Dist, s.Q)
	}
	if s.PerTensor {
		name += ", per tensor"
	}
	return name
}

// shortLabels names each spec by its optimizer and only the settings that
// differ among the specs of one figure.
func shortLabels(specs []Spec) []string {
	parts := make([][]string, len(specs))
	for i, s := range specs {
		parts[i] = labelParts(s)
	}
	out := make([]string, len(specs))
	for i := range specs {
		var keep []string
		for k, p := range parts[i] {
			if p != "" && (k == 1 || differs(parts, k)) {
				keep = append(keep, p)
			}
		}
		out[i] = strings.Join(keep, ", ")
	}
	return out
}

// differs reports whether setting k is not the same in every spec.
func differs(parts [][]string, k int) bool {
	for _, p := range parts {
		if p[k] != parts[0][k] {
			return true
		}
	}
	return false
}

// scheduleLabel is the learning-rate schedule in a few words, "" for a
// constant rate.
func scheduleLabel(s Spec) string {
	var parts []string
	if len(s.Milestones) > 0 {
		parts = append(parts, fmt.Sprintf("×%g at %s", s.Gamma, strings.Trim(fmt.Sprint(s.Milestones), "[]")))
	}
	if s.Schedule == "cosine" {
		parts = append(parts, "cosine")
	}
	if s.Warmup > 0 {
		parts = append(parts, fmt.Sprintf("warmup %d", s.Warmup))
	}
	return strings.Join(parts, ", ")
}
