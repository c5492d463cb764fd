package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// runData is one finished or unfinished run read back from its directory.
type runData struct {
	Dir     string
	Config  Config
	Metrics []metricRow
	Checks  []checkRow // gradcheck.csv, if the run checked its estimates
	Result  Result
	Done    bool
	Why     string // why it is not Done
}

// checkRow is one row of gradcheck.csv.
type checkRow struct {
	Epoch, Step    int
	Cosine, RelErr float64
}

type metricRow struct {
	Epoch                                    int
	TrainLoss, TrainAcc, ValLoss, ValAcc     float64
	TestLoss, TestAcc, Sec, CumSec, FwdEquiv float64
}

// metricColumns are the columns metricRow holds, in its field order.
var metricColumns = []string{"epoch", "train_loss", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc",
	"epoch_seconds", "train_seconds", "forward_equiv"}

// finishedOnly keeps the finished runs and names each one it drops, and
// why, on w: figures and tables show finished runs only.
func finishedOnly(runs []runData, w io.Writer) []runData {
	var out []runData
	for _, r := range runs {
		if r.Done {
			out = append(out, r)
		} else {
			fmt.Fprintf(w, "skipped %s: unfinished (%s)\n", r.Dir, r.Why)
		}
	}
	return out
}

// loadRuns reads every run directory (one holding config.json) under root.
func loadRuns(root string) ([]runData, error) {
	var runs []runData
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "config.json" {
			return err
		}
		r, err := loadRun(filepath.Dir(path))
		if err != nil {
			return err
		}
		runs = append(runs, r)
		return nil
	})
	if err == nil && len(runs) == 0 {
		err = fmt.Errorf("no runs (directories with config.json) under %s", root)
	}
	return runs, err
}

func loadRun(dir string) (runData, error) {
	r := runData{Dir: dir}
	b, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(b, &r.Config); err != nil {
		return r, fmt.Errorf("%s/config.json: %w", dir, err)
	}
	res, err := finishedResult(dir)
	r.Result, r.Done = res, err == nil
	if err != nil {
		r.Why = err.Error()
	}
	// A run whose files do not read is unfinished: it is reported so, and
	// a resumed sweep makes it again.
	if err := r.readCSVs(); err != nil {
		r.Done, r.Why, r.Metrics, r.Checks = false, err.Error(), nil, nil
	}
	return r, nil
}

// readCSVs reads metrics.csv and gradcheck.csv, where they exist.
func (r *runData) readCSVs() error {
	rows, err := readRows(filepath.Join(r.Dir, "metrics.csv"))
	if err != nil || rows == nil {
		return err // no file: started, no epoch finished
	}
	if r.Metrics, err = parseMetrics(rows); err != nil {
		return fmt.Errorf("metrics.csv: %w", err)
	}
	rows, err = readRows(filepath.Join(r.Dir, "gradcheck.csv"))
	if err != nil || rows == nil {
		return err
	}
	if r.Checks, err = parseChecks(rows); err != nil {
		return fmt.Errorf("gradcheck.csv: %w", err)
	}
	return nil
}

// readRows reads a CSV file whole; nil rows and no error if it does not
// exist.
func readRows(path string) ([][]string, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: empty, not even a header", path)
	}
	return rows, nil
}

func parseMetrics(rows [][]string) ([]metricRow, error) {
	cols, err := columnsOf(rows[0], metricColumns)
	if err != nil {
		return nil, err
	}
	var out []metricRow
	for _, row := range rows[1:] {
		v, err := parseFloats(row, cols, metricColumns)
		if err != nil {
			return nil, err
		}
		out = append(out, metricRow{int(v[0]), v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]})
	}
	return out, nil
}

// checkColumns are the columns of gradcheck.csv that checkRow holds.
var checkColumns = []string{"epoch", "step", "cosine", "rel_error"}

func parseChecks(rows [][]string) ([]checkRow, error) {
	cols, err := columnsOf(rows[0], checkColumns)
	if err != nil {
		return nil, err
	}
	var out []checkRow
	for _, row := range rows[1:] {
		v, err := parseFloats(row, cols, checkColumns)
		if err != nil {
			return nil, err
		}
		out = append(out, checkRow{int(v[0]), int(v[1]), v[2], v[3]})
	}
	return out, nil
}

// columnsOf finds the named columns in a header.
func columnsOf(header, names []string) ([]int, error) {
	index := map[string]int{}
	for i, name := range header {
		index[name] = i
	}
	cols := make([]int, len(names))
	for i, name := range names {
		c, ok := index[name]
		if !ok {
			return nil, fmt.Errorf("no %s column in header %v", name, header)
		}
		cols[i] = c
	}
	return cols, nil
}

// parseFloats reads the columns cols (named names) of a row.
func parseFloats(row []string, cols []int, names []string) ([]float64, error) {
	v := make([]float64, len(cols))
	for i, c := range cols {
		x, err := strconv.ParseFloat(row[c], 64)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", names[i], err)
		}
		v[i] = x
	}
	return v, nil
}

// group is the runs of one setting over its seeds.
type group struct {
	Name string // the run directory without its seed
	Runs []runData
}

// groupBySetting gathers runs that differ only by seed, in first-seen order.
func groupBySetting(runs []runData) []*group {
	index := map[string]*group{}
	var out []*group
	for _, r := range runs {
		s := r.Config.Spec
		s.Seed = 0
		name := s.Dir()
		name = name[:len(name)-len("-seed0")]
		g, ok := index[name]
		if !ok {
			g = &group{Name: name}
			index[name] = g
			out = append(out, g)
		}
		g.Runs = append(g.Runs, r)
	}
	return out
}

// curve is the mean and standard deviation over the group's runs of a
// metric per epoch, over the epochs every run has reached.
func (g *group) curve(metric func(metricRow) float64) (mean, std []float64) {
	n := -1
	for _, r := range g.Runs {
		if n < 0 || len(r.Metrics) < n {
			n = len(r.Metrics)
		}
	}
	for e := 0; e < n; e++ {
		var s, sq float64
		for _, r := range g.Runs {
			v := metric(r.Metrics[e])
			s += v
			sq += v * v
		}
		k := float64(len(g.Runs))
		m := s / k
		mean = append(mean, m)
		std = append(std, sqrtPos(sq/k-m*m))
	}
	return mean, std
}
