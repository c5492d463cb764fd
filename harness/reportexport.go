package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// runRow is one run in the --csv and --json exports: its settings, its
// outcome (best epoch chosen on validation accuracy) and where it ran.
type runRow struct {
	Dir                string  `json:"dir"`
	Spec               Spec    `json:"spec"`
	Status             string  `json:"status"`
	Epochs             int     `json:"epochs_completed"`
	BestEpoch          int     `json:"best_epoch"`
	BestValAcc         float64 `json:"best_val_acc"`
	TestAccAtBest      float64 `json:"test_acc_at_best"`
	FinalTestAcc       float64 `json:"final_test_acc"`
	MedianEpochSeconds float64 `json:"median_epoch_seconds"`
	TrainSeconds       float64 `json:"train_seconds"`
	ForwardEquiv       float64 `json:"forward_equiv"`
	CPU                string  `json:"cpu"`
	KernelPath         string  `json:"kernel_path"`
	Commit             string  `json:"commit"`
}

func rowOf(r runData) runRow {
	env := r.Config.Environment
	row := runRow{Dir: r.Dir, Spec: r.Config.Spec, Status: "unfinished", Epochs: len(r.Metrics), CPU: env.CPUID.String(),
		KernelPath: env.KernelPath, Commit: env.Commit}
	if r.Done {
		row.Status = r.Result.Status
	}
	if o, ok := outcome(r); ok {
		last := r.Metrics[len(r.Metrics)-1]
		row.FinalTestAcc = o.FinalTest
		if o.BestEpoch > 0 { // else no validation set: JSON has no NaN, best_epoch 0 says so
			row.BestEpoch, row.BestValAcc, row.TestAccAtBest = o.BestEpoch, o.BestVal, o.TestAtBest
		}
		row.MedianEpochSeconds = median((&group{Runs: []runData{r}}).epochSeconds())
		row.TrainSeconds, row.ForwardEquiv = last.CumSec, last.FwdEquiv
	}
	return row
}

// exportRuns writes the runs to csvPath and jsonPath (each if not "").
func exportRuns(runs []runData, csvPath, jsonPath string) error {
	rows := make([]runRow, len(runs))
	for i, r := range runs {
		rows[i] = rowOf(r)
	}
	if jsonPath != "" {
		b, err := json.MarshalIndent(rows, "", "  ")
		if err != nil {
			return err
		}
		if err := writeAtomic(jsonPath, append(b, '\n')); err != nil {
			return fmt.Errorf("--json: %w", err)
		}
	}
	if csvPath != "" {
		if err := writeAtomic(csvPath, runsCSV(rows)); err != nil {
			return fmt.Errorf("--csv: %w", err)
		}
	}
	return nil
}

var exportHeader = []string{"dir", "model", "scale", "opt", "split", "lr", "lr2", "momentum", "estimator", "dist", "diff",
	"q", "per_tensor", "eps", "epochs", "batch", "milestones", "gamma", "seed", "val", "status", "epochs_completed",
	"best_epoch", "best_val_acc", "test_acc_at_best", "final_test_acc", "median_epoch_seconds", "train_seconds",
	"forward_equiv", "cpu", "kernel_path", "commit"}

func runsCSV(rows []runRow) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(exportHeader)
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for _, r := range rows {
		s := r.Spec
		w.Write([]string{r.Dir, s.Model, g(s.Scale), s.Opt, g(s.Split), g(s.LR), g(s.LR2), g(s.Momentum), s.Estimator, s.Dist,
			s.Diff, fmt.Sprint(s.Q), fmt.Sprint(s.PerTensor), g(s.Eps), fmt.Sprint(s.Epochs), fmt.Sprint(s.Batch),
			strings.Trim(fmt.Sprint(s.Milestones), "[]"), g(s.Gamma), fmt.Sprint(s.Seed), fmt.Sprint(s.Val), r.Status,
			fmt.Sprint(r.Epochs), fmt.Sprint(r.BestEpoch), g(r.BestValAcc), g(r.TestAccAtBest), g(r.FinalTestAcc),
			g(r.MedianEpochSeconds), g(r.TrainSeconds), g(r.ForwardEquiv), r.CPU, r.KernelPath, r.Commit})
	}
	w.Flush()
	return b.Bytes()
}
