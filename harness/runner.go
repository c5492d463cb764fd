package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"

	"github.com/zofo/zofo/nn"
	"github.com/zofo/zofo/train"
)

// runner makes one run in its directory.
type runner struct {
	spec   Spec
	dir    string
	env    Environment
	log    io.Writer
	tag    string
	rows   [][]string
	checks [][]string
	best   []float32 // the parameters of the best epoch so far (for the checkpoint)
}

// metricsHeader is metrics.csv's columns: the epoch's train, validation
// and test figures, its step time and the run's cumulative training
// seconds, its batch forwards and the run's cumulative forward-pass
// equivalents (one example's forward = 1, a backward optim.BackwardCost).
var metricsHeader = []string{"epoch", "train_loss", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc",
	"epoch_seconds", "train_seconds", "forwards", "forward_equiv", "heap_bytes", "optimizer"}

// gradCheckHeader is gradcheck.csv's columns: one row per estimate checked.
var gradCheckHeader = []string{"epoch", "step", "cosine", "rel_error", "forwards"}

// runOn makes the run on its sets from src.
func (r *runner) runOn(src *dataSource) (Result, error) {
	data, err := src.forSpec(r.spec)
	if err != nil {
		return Result{}, err
	}
	return r.run(data)
}

// run trains the spec unless it finished. An unfinished run resumes from
// the checkpoint of its last whole epoch, or starts over when it has none.
func (r *runner) run(data train.Data) (Result, error) {
	release, err := claim(r.dir, r.log, r.tag)
	if err != nil {
		return Result{}, err
	}
	defer release()
	if res, ok := readResult(r.dir); ok {
		fmt.Fprintf(r.log, "%s: finished earlier, skipped\n", r.tag)
		return res, nil
	}
	m, err := newModel(r.spec, r.env.Threads)
	if err != nil {
		return Result{}, err
	}
	cfg, err := newConfig(r.spec)
	if err != nil {
		return Result{}, err
	}
	res, err := r.begin(m, &cfg)
	if err != nil {
		return res, err
	}
	if isTerminal(r.log) {
		cfg.Progress = (&epochBar{w: r.log, tag: r.tag}).step
	}
	err = train.Run(m, data, cfg, func(e train.Epoch) error {
		if err := r.epoch(m, e, &res); err != nil {
			return err
		}
		return r.saveCheckpoint(m, cfg, e.Epoch, res)
	})
	if errors.Is(err, train.ErrDiverged) {
		res.Status, res.Error, err = "diverged", err.Error(), nil
	}
	if err != nil {
		return res, err
	}
	return res, r.finish(m, res)
}

// begin resumes the run from its checkpoint, or clears the folder and
// starts it; either way it records the attempt.
func (r *runner) begin(m *nn.Sequential, cfg *train.Config) (Result, error) {
	res, resumed, err := r.resume(m, cfg)
	if err != nil {
		return res, err
	}
	if resumed {
		fmt.Fprintf(r.log, "%s: resumed after epoch %d\n", r.tag, cfg.StartEpoch)
	} else {
		res = Result{Status: "done"}
		if err := clearAttempt(r.dir); err != nil {
			return res, err
		}
		if err := writeJSON(filepath.Join(r.dir, "config.json"), Config{Spec: r.spec, Environment: r.env}); err != nil {
			return res, err
		}
	}
	return res, writeJSON(filepath.Join(r.dir, "attempt.json"), newAttempt())
}

// finish writes the final weights and result.json, and drops the
// checkpoint: the run is done.
func (r *runner) finish(m *nn.Sequential, res Result) error {
	if err := saveModel(m, filepath.Join(r.dir, "final.npz")); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(r.dir, "result.json"), res); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(r.dir, checkpointName)); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}

// epoch records one epoch: a metrics row (the whole CSV rewritten
// atomically), its estimate checks, the best weights, and a progress line.
func (r *runner) epoch(m *nn.Sequential, e train.Epoch, res *Result) error {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	opt := r.spec.Opt
	if e.UsedSecondOptimizer {
		opt = r.spec.Opt[len(firstStage(r.spec.Opt))+1:]
	} else {
		opt = firstStage(opt)
	}
	res.Epochs, res.FinalTestAcc = e.Epoch, e.TestAcc
	res.TrainSeconds += e.Seconds
	res.ForwardEquiv += e.ForwardEquiv
	r.rows = append(r.rows, []string{fmt.Sprint(e.Epoch), fmtF(e.TrainLoss), fmtF(e.TrainAcc), fmtF(e.ValLoss),
		fmtF(e.ValAcc), fmtF(e.TestLoss), fmtF(e.TestAcc), fmtF(e.Seconds), fmtF(res.TrainSeconds), fmt.Sprint(e.Forwards),
		fmt.Sprint(res.ForwardEquiv), fmt.Sprint(ms.HeapInuse), opt})
	if err := writeFile(filepath.Join(r.dir, "metrics.csv"), csvBytes(metricsHeader, r.rows)); err != nil {
		return err
	}
	if err := r.recordChecks(e); err != nil {
		return err
	}
	if err := r.keepBest(m, e, res); err != nil {
		return err
	}
	fmt.Fprintf(r.log, "%s: epoch %d/%d (%s) train loss %.4f, val acc %.4f, %.2fs\n",
		r.tag, e.Epoch, r.spec.Epochs, opt, e.TrainLoss, e.ValAcc, e.Seconds)
	return nil
}

// clearAttempt empties the run's directory but for its lock: a new
// attempt starts with nothing of a killed one's (its files, temporaries).
func clearAttempt(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() != lockName {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// keepBest saves the weights of the epoch of highest validation accuracy
// as best.npz (nothing without a validation set).
func (r *runner) keepBest(m *nn.Sequential, e train.Epoch, res *Result) error {
	if math.IsNaN(e.ValAcc) {
		return nil
	}
	res.FinalValAcc = e.ValAcc
	if res.BestEpoch > 0 && e.ValAcc <= res.BestValAcc {
		return nil
	}
	res.BestEpoch, res.BestValAcc, res.TestAccAtBest = e.Epoch, e.ValAcc, e.TestAcc
	r.best = append(r.best[:0], m.Params().Data...)
	return saveModel(m, filepath.Join(r.dir, "best.npz"))
}

// recordChecks rewrites gradcheck.csv with the epoch's checks added.
func (r *runner) recordChecks(e train.Epoch) error {
	for _, c := range e.GradChecks {
		r.checks = append(r.checks, []string{fmt.Sprint(e.Epoch), fmt.Sprint(c.Step), fmtF(c.Cosine), fmtF(c.RelErr),
			fmt.Sprint(c.Forwards)})
	}
	if len(r.checks) == 0 {
		return nil
	}
	return writeFile(filepath.Join(r.dir, "gradcheck.csv"), csvBytes(gradCheckHeader, r.checks))
}

// summary is the result in one line.
func (res Result) summary() string {
	return fmt.Sprintf("%s, best val acc %.4f (epoch %d, test %.4f), final val %.4f, test %.4f, %.1fs training",
		res.Status, res.BestValAcc, res.BestEpoch, res.TestAccAtBest, res.FinalValAcc, res.FinalTestAcc, res.TrainSeconds)
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
