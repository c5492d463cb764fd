package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
)

func sqrtPos(x float64) float64 { return math.Sqrt(math.Max(x, 0)) }

// plotCmd draws the figures of the runs under DIR into DIR/figures.
func plotCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("plot", stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: harness plot [--reference DIR] RUNS\n\nDraws the figures of the runs under RUNS into RUNS/figures.")
		fs.PrintDefaults()
	}
	ref := fs.String("reference", "", "a directory of the study's CSVs (results/reference) to draw beside the runs of the same setting")
	if code := parseWithArgs(fs, reorder(args), 1); code != 0 {
		return max(code, 0)
	}
	runs, err := loadRuns(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "harness plot: %v\n", err)
		return exitUsage
	}
	if runs = finishedOnly(runs, stderr); len(runs) == 0 {
		fmt.Fprintf(stderr, "harness plot: no finished run under %s\n", fs.Arg(0))
		return exitUsage
	}
	var refs []referenceCurve
	if *ref != "" {
		if refs, err = loadReference(*ref); err != nil {
			fmt.Fprintf(stderr, "harness plot: --reference: %v\n", err)
			return exitUsage
		}
	}
	out := filepath.Join(fs.Arg(0), "figures")
	files, err := drawAll(newStudy(runs, refs), out)
	if err != nil {
		fmt.Fprintf(stderr, "harness plot: %v\n", err)
		return 1
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return 0
}

// reorder moves flags before the positional directory, so both
// "plot DIR --reference X" and "plot --reference X DIR" work.
func reorder(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		if strings.HasPrefix(args[i], "-") {
			flags = append(flags, args[i])
			if !strings.Contains(args[i], "=") && i+1 < len(args) && args[i] != "-h" && args[i] != "--help" {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		rest = append(rest, args[i])
	}
	return append(flags, rest...)
}

// drawAll writes the figures of each study experiment found among the
// runs, then per model the equal-budget and estimate-quality figures (and,
// for runs of no experiment, the best setting of each optimizer and the
// epoch times).
func drawAll(st *study, out string) ([]string, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	var files []string
	for _, fig := range st.figures() {
		file := filepath.Join(out, fig.name+".png")
		ok, err := fig.draw(file)
		if err != nil {
			return files, fmt.Errorf("%s: %w", file, err)
		}
		if ok {
			files = append(files, file)
		}
	}
	return files, nil
}
