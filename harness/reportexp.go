package main

import (
	"fmt"
	"io"
	"strings"
)

// writeGrid reports the grid search: every setting, and the one each
// optimizer's validation accuracy picks beside the study's pick.
func (st *study) writeGrid(w io.Writer) {
	groups := st.find(gridExp())
	if len(groups) == 0 {
		return
	}
	fmt.Fprintln(w, "\n## Grid search (MyNet s=1, 10 epochs)")
	fmt.Fprintln(w, "\nThe study picked FO-SGD lr 1e-2 μ 0.9, FO-signSGD lr 1e-4, ZO-SGD lr 1e-2 ε 1e-3 and ZO-signSGD lr 1e-3 ε 1e-3 (on test accuracy). Validation accuracy picks:")
	fmt.Fprintln(w, "\n| optimizer | picked setting | best val acc | test acc at best epoch |\n|---|---|---|---|")
	for _, g := range bestPerOptimizer(groups) {
		s := g.spec()
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", optNames[s.Opt], strings.TrimSuffix(fmt.Sprintf("lr %g, %s", s.LR, gridSeries(s)), ", "), summary(g.outcomes(bestValOf)),
			summary(g.outcomes(testAtBestOf)))
	}
	st.settingTable(w, groups)
	figureLink(w, "grid", "grid search: best validation accuracy against the learning rate")
}

// writeBest reports the optimal configurations and tests each ZO setting
// against the FO optimizer it stands for.
func (st *study) writeBest(w io.Writer) {
	groups := st.find(bestExp())
	if len(groups) == 0 {
		return
	}
	fmt.Fprintln(w, "\n## Optimal configurations (MyNet s=1, 100 epochs)")
	fmt.Fprintln(w, "\nThe study's four settings, and zofo's tuned ZO (central differences over the whole model, a step-decay schedule).")
	st.settingTable(w, groups)
	figureLink(w, "best", "optimal configurations")
	st.foVsZO(w, groups)
}

// foVsZO tests, per ZO setting, its test accuracy at the best epoch
// against the FO setting of the same rule family (SGD or sign).
func (st *study) foVsZO(w io.Writer, groups []*group) {
	family := func(opt string) string {
		if strings.Contains(opt, "sign") {
			return "sign"
		}
		return "sgd"
	}
	fo := map[string]*group{}
	for _, g := range groups {
		if !g.spec().usesZO() {
			fo[family(g.spec().Opt)] = g
		}
	}
	labels := shortLabels(specsOf(groups))
	fmt.Fprintln(w, "\nWelch's t-test, FO against each ZO setting, on the test accuracy at the best epoch:")
	fmt.Fprintln(w, "\n| ZO setting | its FO counterpart | ZO | FO | t | p |\n|---|---|---|---|---|---|")
	for i, g := range groups {
		f, ok := fo[family(g.spec().Opt)]
		if !g.spec().usesZO() || !ok {
			continue
		}
		a, b := f.outcomes(testAtBestOf), g.outcomes(testAtBestOf)
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", labels[i], optNames[f.spec().Opt], summary(b), summary(a), welchCell(a, b))
	}
}

// writeSameLR reports FO and ZO at the same learning rates.
func (st *study) writeSameLR(w io.Writer) {
	groups := st.find(sameLRExp())
	if len(groups) == 0 {
		return
	}
	fmt.Fprintln(w, "\n## Same learning rates (MyNet s=1, 100 epochs)")
	st.settingTable(w, groups)
	figureLink(w, "samelr-sgd", "FO-SGD and ZO-SGD at the same learning rates")
	figureLink(w, "samelr-signsgd", "FO-signSGD and ZO-signSGD at the same learning rates")
}

// writeTimes reports the epoch-time distributions.
func (st *study) writeTimes(w io.Writer) {
	groups := append(st.find(bestExp()), st.find(modelsExp())...)
	if len(groups) == 0 {
		return
	}
	fmt.Fprintln(w, "\n## Training time per epoch")
	fmt.Fprintln(w, "\nEvery epoch of every seed. The study: 13 s (FO-SGD), 14–15 s (FO-signSGD), 22 s (ZO) on its machine, its ZO epochs including a backward pass they did not use.")
	fmt.Fprintln(w, "\n| setting | epochs | median s | 10th–90th percentile s |\n|---|---|---|---|")
	labels := shortLabels(specsOf(groups))
	for i, g := range groups {
		v := g.epochSeconds()
		fmt.Fprintf(w, "| %s | %d | %s | %s–%s |\n", labels[i], len(v), seconds(median(v)), seconds(quantile(v, 0.1)),
			seconds(quantile(v, 0.9)))
	}
	figureLink(w, "epoch-time", "seconds per epoch")
}

// writeScaling reports accuracy and time against the width s and the
// study's ratio r = t(s=2)/t(s=0.5) with its t-test.
func (st *study) writeScaling(w io.Writer) {
	scales, fo := st.scalePoints(false)
	zoScales, zo := st.scalePoints(true)
	if len(fo)+len(zo) == 0 {
		return
	}
	fmt.Fprintf(w, "\n## Model scaling (MyNet, %d epochs)\n", scalingEpoch)
	fmt.Fprintf(w, "\nFO-SGD lr 1e-2 μ 0.9; ZO-SGD lr %g (the study's 1e-2 diverges with a proper cross-entropy), the study's estimator. At s=1, the hybrid experiment's pure runs (their first %d epochs).\n", stableZOLR, scalingEpoch)
	fmt.Fprintln(w, "\n| s | optimizer | n | test acc | median s/epoch | the study, train acc |\n|---|---|---|---|---|---|")
	for k, set := range [][]*group{fo, zo} {
		ss := [][]float64{scales, zoScales}[k]
		for i, g := range set {
			fmt.Fprintf(w, "| %g | %s | %d | %s | %s | %s |\n", ss[i], optNames[g.spec().Opt], len(g.Runs),
				summary(g.atEpoch(scalingEpoch, func(r metricRow) float64 { return r.TestAcc })),
				seconds(median(g.epochSecondsTo(scalingEpoch))), st.studyAt(g, scalingEpoch))
		}
	}
	fmt.Fprintln(w, "\nr = t(s=2) / t(s=0.5), medians; Welch's t-test on the epoch times (the study: r = 1.83 ZO, 1.27 FO):")
	fmt.Fprintln(w, "\n| optimizer | r | t | p |\n|---|---|---|---|")
	for k, set := range [][]*group{fo, zo} {
		ss := [][]float64{scales, zoScales}[k]
		small, big := at(ss, set, 0.5), at(ss, set, 2)
		if small == nil || big == nil {
			continue
		}
		a, b := big.epochSecondsTo(scalingEpoch), small.epochSecondsTo(scalingEpoch)
		fmt.Fprintf(w, "| %s | %.2f | %s |\n", optNames[big.spec().Opt], median(a)/median(b), welchCell(a, b))
	}
	figureLink(w, "scaling", "accuracy and epoch time against the width")
	figureLink(w, "zo-fo-time", "ZO over FO epoch time against the width")
}

func at(scales []float64, groups []*group, s float64) *group {
	for i, x := range scales {
		if x == s {
			return groups[i]
		}
	}
	return nil
}

// studyAt is the study's train accuracy at an epoch in its files of the
// group's setting.
func (st *study) studyAt(g *group, epoch int) string {
	var v []float64
	for _, c := range referencesOf(st.refs, g.key()) {
		if len(c.TrainAcc) >= epoch {
			v = append(v, c.TrainAcc[epoch-1])
		}
	}
	return summary(v)
}

// writeHybrid reports the hybrids and tests ZO→FO against FO→ZO per split.
func (st *study) writeHybrid(w io.Writer) {
	groups := st.find(hybridExp())
	if len(groups) == 0 {
		return
	}
	fmt.Fprintln(w, "\n## Hybrids (MyNet s=1, 20 epochs)")
	fmt.Fprintf(w, "\nFO-SGD lr 1e-2 μ 0.9 and ZO-SGD lr %g (the study's estimator). The study: every split ≥ 0.95 train accuracy, ZO→FO slightly above FO→ZO.\n", stableZOLR)
	st.settingTable(w, groups)
	fmt.Fprintln(w, "\nWelch's t-test, ZO→FO against FO→ZO, per split:")
	fmt.Fprintln(w, "\n| split | ZO→FO final test acc | FO→ZO final test acc | ZO→FO final train acc | FO→ZO final train acc | t (test) | p |\n|---|---|---|---|---|---|---|")
	for _, split := range []float64{0.25, 0.5, 0.75} {
		var zf, fz *group
		for _, g := range groups {
			switch s := g.spec(); {
			case s.Split == split && s.Opt == "zo-sgd:fo-sgd":
				zf = g
			case s.Split == split && s.Opt == "fo-sgd:zo-sgd":
				fz = g
			}
		}
		if zf == nil || fz == nil {
			continue
		}
		a, b := zf.outcomes(finalTestOf), fz.outcomes(finalTestOf)
		fmt.Fprintf(w, "| %g | %s | %s | %s | %s | %s |\n", split, summary(a), summary(b), summary(zf.outcomes(finalTrainOf)),
			summary(fz.outcomes(finalTrainOf)), welchCell(a, b))
	}
	figureLink(w, "hybrid", "hybrid schedules")
}

// writeModels reports the CNNs.
func (st *study) writeModels(w io.Writer) {
	groups := st.find(modelsExp())
	if len(groups) == 0 {
		return
	}
	fmt.Fprintln(w, "\n## Model comparison: MyNetPlus (100 epochs, lr 2e-4) and ConvNet (10 epochs)")
	fmt.Fprintf(w, "\nZO runs use the study's estimator; ConvNet's ZO-SGD runs at lr %g. The study found ZO on the CNNs about chance.\n", stableZOLR)
	st.settingTable(w, groups)
	figureLink(w, "mynetplus", "MyNetPlus")
	figureLink(w, "convnet", "ConvNet")
}
