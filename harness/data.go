package main

import (
	"sync"

	"github.com/zofo/zofo/mnist"
	"github.com/zofo/zofo/train"
)

// defaultVal is --val: the training examples held out for validation.
const defaultVal = 5000

// dataSource hands each run its sets: the training set less the spec's
// validation examples (held out once per size and shared), cut to its
// --train-limit, and the test set.
type dataSource struct {
	train, test *mnist.Set
	mu          sync.Mutex
	split       map[int][2]*mnist.Set
}

func loadSource(flagDir string) (*dataSource, error) {
	dir, canonical, err := mnist.Locate(flagDir)
	if err != nil {
		return nil, err
	}
	return loadSourceFrom(dir, canonical)
}

func loadSourceFrom(dir string, verify bool) (*dataSource, error) {
	tr, te, err := mnist.Load(dir, verify)
	if err != nil {
		return nil, err
	}
	return &dataSource{train: tr, test: te, split: map[int][2]*mnist.Set{}}, nil
}

// forSpec returns the spec's sets.
func (d *dataSource) forSpec(s Spec) (train.Data, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	parts, ok := d.split[s.Val]
	if !ok {
		kept, held, err := d.train.Holdout(s.Val)
		if err != nil {
			return train.Data{}, err
		}
		parts = [2]*mnist.Set{kept, held}
		d.split[s.Val] = parts
	}
	data := train.Data{Train: parts[0].Head(s.TrainLimit), Val: parts[1], Test: d.test}
	if s.Val == 0 {
		data.Val = nil
	}
	return data, nil
}
