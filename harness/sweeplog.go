package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/zofo/zofo/internal/host"
)

// sweepRecord is one harness run over an output directory: what it cost.
// sweeps.json lists them all, so a sweep resumed after a kill shows each
// part, and the report sums them.
type sweepRecord struct {
	Started     time.Time `json:"started"`
	Args        []string  `json:"args"`
	Runs        int       `json:"runs"`
	Epochs      int       `json:"epochs"`
	WallSeconds float64   `json:"wall_seconds"`
	CPUMinutes  float64   `json:"cpu_minutes"` // -1 where not measured
	CPU         host.CPU  `json:"cpu"`
}

// recordSweep appends rec to out/sweeps.json.
func recordSweep(out string, rec sweepRecord) error {
	recs, err := readSweeps(out)
	if err != nil {
		return err
	}
	return writeJSON(filepath.Join(out, "sweeps.json"), append(recs, rec))
}

// readSweeps reads out/sweeps.json (none if it does not exist).
func readSweeps(out string) ([]sweepRecord, error) {
	b, err := os.ReadFile(filepath.Join(out, "sweeps.json"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var recs []sweepRecord
	if err := json.Unmarshal(b, &recs); err != nil {
		return nil, fmt.Errorf("%s/sweeps.json: %w", out, err)
	}
	return recs, nil
}

// writeSweeps reports what the sweeps over the directory cost.
func writeSweeps(w io.Writer, recs []sweepRecord) {
	if len(recs) == 0 {
		return
	}
	fmt.Fprintln(w, "\nWhat `harness run` cost over this directory (sweeps.json), each invocation:")
	fmt.Fprintln(w, "\n| started (UTC) | runs | epochs | wall | CPU-minutes | CPU |\n|---|---|---|---|---|---|")
	for _, r := range recs {
		cpu := "not measured"
		if r.CPUMinutes >= 0 {
			cpu = fmt.Sprintf("%.1f", r.CPUMinutes)
		}
		fmt.Fprintf(w, "| %s | %d | %d | %s | %s | %s |\n", r.Started.UTC().Format("2006-01-02 15:04"), r.Runs, r.Epochs,
			time.Duration(r.WallSeconds*float64(time.Second)).Round(time.Second), cpu, r.CPU)
	}
}
