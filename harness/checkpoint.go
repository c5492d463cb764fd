package main

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"

	"github.com/zofo/zofo/nn"
	"github.com/zofo/zofo/optim"
	"github.com/zofo/zofo/train"
)

// checkpointName is the file a run leaves at the end of each epoch, so
// that a run killed mid-way resumes there; it is removed when the run ends.
const checkpointName = "checkpoint.gob"

// checkpoint is a run between two epochs: its parameters, its optimizers'
// state, and what its files hold so far.
type checkpoint struct {
	Spec          Spec
	Epoch         int // epochs done
	Params        []float32
	Best          []float32 // the best epoch's parameters: best.npz, which a kill may leave a later epoch's
	First, Second optim.State
	Rows, Checks  [][]string
	Result        Result
}

// saveCheckpoint writes the run's state after epoch e.
func (r *runner) saveCheckpoint(m *nn.Sequential, cfg train.Config, e int, res Result) error {
	cp := checkpoint{Spec: r.spec, Epoch: e, Params: m.Params().Data, Best: r.best, Rows: r.rows, Checks: r.checks, Result: res}
	cp.First = cfg.First.(optim.Stateful).State()
	if cfg.Second != nil {
		cp.Second = cfg.Second.(optim.Stateful).State()
	}
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(cp); err != nil {
		return err
	}
	return writeFile(filepath.Join(r.dir, checkpointName), b.Bytes())
}

// resume restores the run from its checkpoint, if it has a usable one: of
// this spec, with at least the metrics rows it says were written (a kill
// after an epoch's files and before its checkpoint leaves one more, which
// the resumed epoch rewrites). It returns the result so far, and false to
// start over.
func (r *runner) resume(m *nn.Sequential, cfg *train.Config) (Result, bool, error) {
	b, err := os.ReadFile(filepath.Join(r.dir, checkpointName))
	if errors.Is(err, os.ErrNotExist) {
		return Result{}, false, nil
	}
	var cp checkpoint
	if err != nil || gob.NewDecoder(bytes.NewReader(b)).Decode(&cp) != nil {
		return Result{}, false, nil // unreadable: start over
	}
	rows, err := readRows(filepath.Join(r.dir, "metrics.csv"))
	if err != nil || !reflect.DeepEqual(cp.Spec, r.spec) || len(rows)-1 < cp.Epoch || cp.Epoch >= r.spec.Epochs ||
		len(cp.Params) != len(m.Params().Data) || cp.Best != nil && len(cp.Best) != len(cp.Params) {
		return Result{}, false, nil
	}
	if cp.Best != nil { // best.npz as of the checkpoint
		copy(m.Params().Data, cp.Best)
		if err := saveModel(m, filepath.Join(r.dir, "best.npz")); err != nil {
			return Result{}, false, err
		}
	}
	copy(m.Params().Data, cp.Params)
	r.best = cp.Best
	if err := cfg.First.(optim.Stateful).SetState(cp.First); err != nil {
		return Result{}, false, fmt.Errorf("%s: %w", checkpointName, err)
	}
	if cfg.Second != nil {
		if err := cfg.Second.(optim.Stateful).SetState(cp.Second); err != nil {
			return Result{}, false, fmt.Errorf("%s: %w", checkpointName, err)
		}
	}
	r.rows, r.checks, cfg.StartEpoch = cp.Rows, cp.Checks, cp.Epoch
	return cp.Result, true, nil
}
