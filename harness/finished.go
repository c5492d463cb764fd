package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// readResult returns the run's result if it finished (finishedResult).
func readResult(dir string) (Result, bool) {
	res, err := finishedResult(dir)
	return res, err == nil
}

// finishedResult returns the run's result, or why the run does not count
// as finished: result.json missing or unreadable, a status other than
// done or diverged, an epoch count that metrics.csv's rows or (when done)
// the run's epochs contradict, or no final weights. Such a run starts over.
func finishedResult(dir string) (Result, error) {
	var res Result
	b, err := os.ReadFile(filepath.Join(dir, "result.json"))
	if err != nil {
		return res, errors.New("no result.json")
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return res, fmt.Errorf("result.json: %w", err)
	}
	if res.Status != "done" && res.Status != "diverged" {
		return res, fmt.Errorf("result.json: status %q, want done or diverged", res.Status)
	}
	rows, err := readRows(filepath.Join(dir, "metrics.csv"))
	if err != nil {
		return res, err
	}
	if n := max(len(rows)-1, 0); n != res.Epochs {
		return res, fmt.Errorf("result.json: %d epochs, metrics.csv %d", res.Epochs, n)
	}
	var cfg Config
	if b, err := os.ReadFile(filepath.Join(dir, "config.json")); err != nil || json.Unmarshal(b, &cfg) != nil {
		return res, errors.New("config.json missing or unreadable")
	}
	if res.Status == "done" && res.Epochs != cfg.Spec.Epochs {
		return res, fmt.Errorf("result.json: done after %d of %d epochs", res.Epochs, cfg.Spec.Epochs)
	}
	if st, err := os.Stat(filepath.Join(dir, "final.npz")); err != nil || st.Size() == 0 {
		return res, errors.New("no final.npz")
	}
	return res, nil
}
