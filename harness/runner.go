package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/zofo/zofo/mnist"
	"github.com/zofo/zofo/nn"
	"github.com/zofo/zofo/train"
)

// runner makes one run in its directory.
type runner struct {
	spec Spec
	dir  string
	env  Environment
	log  io.Writer
	tag  string
	rows [][]string
	best float64
}

var metricsHeader = []string{"epoch", "train_loss", "train_acc", "test_loss", "test_acc", "epoch_seconds",
	"forwards", "heap_bytes", "optimizer"}

// run trains the spec unless its result.json already exists. An
// unfinished run starts over: its files are rewritten from the beginning.
func (r *runner) run(trainSet, testSet *mnist.Set) (Result, error) {
	if res, ok := readResult(r.dir); ok {
		fmt.Fprintf(r.log, "%s: finished earlier, skipped\n", r.tag)
		return res, nil
	}
	if err := os.MkdirAll(r.dir, 0o755); err != nil {
		return Result{}, err
	}
	if err := writeJSON(filepath.Join(r.dir, "attempt.json"), newAttempt()); err != nil {
		return Result{}, err
	}
	if err := writeJSON(filepath.Join(r.dir, "config.json"), Config{Spec: r.spec, Environment: r.env}); err != nil {
		return Result{}, err
	}
	m, err := newModel(r.spec, r.env.Threads)
	if err != nil {
		return Result{}, err
	}
	cfg, err := newConfig(r.spec)
	if err != nil {
		return Result{}, err
	}
	if isTerminal(r.log) {
		cfg.Progress = (&epochBar{w: r.log, tag: r.tag}).step
	}
	res := Result{Status: "done"}
	err = train.Run(m, trainSet, testSet, cfg, func(e train.Epoch) error { return r.epoch(m, e, &res) })
	if errors.Is(err, train.ErrDiverged) {
		res.Status, res.Error, err = "diverged", err.Error(), nil
	}
	if err != nil {
		return res, err
	}
	if err := m.Save(filepath.Join(r.dir, "final.npz")); err != nil {
		return res, err
	}
	return res, writeJSON(filepath.Join(r.dir, "result.json"), res)
}

// epoch records one epoch: a metrics row (the whole CSV rewritten
// atomically), the best weights, and a progress line.
func (r *runner) epoch(m *nn.Sequential, e train.Epoch, res *Result) error {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	opt := r.spec.Opt
	if e.UsedSecondOptimizer {
		opt = r.spec.Opt[len(firstStage(r.spec.Opt))+1:]
	} else {
		opt = firstStage(opt)
	}
	r.rows = append(r.rows, []string{fmt.Sprint(e.Epoch), fmtF(e.TrainLoss), fmtF(e.TrainAcc), fmtF(e.TestLoss),
		fmtF(e.TestAcc), fmtF(e.Seconds), fmt.Sprint(e.Forwards), fmt.Sprint(ms.HeapInuse), opt})
	if err := writeAtomic(filepath.Join(r.dir, "metrics.csv"), csvBytes(metricsHeader, r.rows)); err != nil {
		return err
	}
	res.Epochs, res.FinalTestAcc, res.TrainSeconds = e.Epoch, e.TestAcc, res.TrainSeconds+e.Seconds
	if e.TestAcc > res.BestTestAcc {
		res.BestTestAcc = e.TestAcc
		if err := m.Save(filepath.Join(r.dir, "best.npz")); err != nil {
			return err
		}
	}
	fmt.Fprintf(r.log, "%s: epoch %d/%d (%s) train loss %.4f, test acc %.4f, %.2fs\n",
		r.tag, e.Epoch, r.spec.Epochs, opt, e.TrainLoss, e.TestAcc, e.Seconds)
	return nil
}

func firstStage(opt string) string {
	for i, c := range opt {
		if c == ':' {
			return opt[:i]
		}
	}
	return opt
}

func fmtF(v float64) string { return fmt.Sprintf("%.6g", v) }

func csvBytes(header []string, rows [][]string) []byte {
	var b bytes.Buffer
	for _, row := range append([][]string{header}, rows...) {
		for i, cell := range row {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(cell)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}
