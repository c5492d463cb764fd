package main

// beyondGridExp tunes the methods beyond the study on MyNet s=1, 10 epochs
// at the study's batch 64, seed 1, chosen on the validation split: the
// forward gradient, HiZOO, ZO-SVRG, sparse and low-rank perturbation, and
// the tuned ZO-SGD (q = 8) under a cosine schedule with warmup. Each
// method's grid is its learning rates and its own setting, around rates
// that train without diverging in a first epoch.
func beyondGridExp() []Spec {
	var out []Spec
	zo := func(opt string, lr float64) Spec {
		return Spec{Model: "mynet", Scale: 1, Opt: opt, LR: lr, Epochs: 10, Batch: 64, Seed: 1, Estimator: "vectorwise",
			Dist: "rademacher", Diff: "central", Q: 1, Eps: 1e-3}
	}
	for _, q := range []int{1, 8} {
		for _, lr := range []float64{1e-3, 3e-4, 1e-4} {
			s := Spec{Model: "mynet", Scale: 1, Opt: "fg-sgd", LR: lr, Epochs: 10, Batch: 64, Seed: 1, Dist: "rademacher", Q: q}
			out = append(out, s)
		}
	}
	for _, alpha := range []float64{1e-6, 1e-4, 1e-2} {
		for _, lr := range []float64{1e-3, 3e-4, 1e-4} {
			s := zo("hizoo", lr)
			s.HessianSmooth = alpha
			out = append(out, s)
		}
	}
	for _, period := range []int{10, 50} {
		for _, lr := range []float64{3e-4, 1e-4, 3e-5} {
			s := zo("zo-svrg", lr)
			s.SVRGPeriod, s.SVRGBatch = period, 1024
			out = append(out, s)
		}
	}
	for _, mask := range []string{"magnitude", "random"} {
		for _, p := range []float64{0.5, 0.9} {
			for _, lr := range []float64{3e-3, 1e-3} {
				s := zo("zo-sgd", lr)
				s.Sparsity, s.Mask, s.MaskRefresh = p, mask, 100
				out = append(out, s)
			}
		}
	}
	for _, rank := range []int{1, 4} {
		for _, lr := range []float64{3e-4, 1e-4, 3e-5} {
			s := zo("zo-sgd", lr)
			s.Dist, s.Rank, s.RankInterval = "lowrank", rank, 50
			out = append(out, s)
		}
	}
	for _, lr := range []float64{3e-3, 1e-3} { // the best ZO-SGD setting, its step decay replaced
		s := zo("zo-sgd", lr)
		s.Q, s.Schedule, s.Warmup = 8, "cosine", 500
		out = append(out, s)
	}
	return out
}
