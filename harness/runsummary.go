package main

import (
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
)

// runSummary prints a row per run of the sweep (best validation accuracy
// and its epoch, test accuracy there and at the last epoch, median epoch
// seconds, status) and where the runs are.
func runSummary(w io.Writer, out string, specs []Spec) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nrun\tbest val acc (epoch)\ttest acc there\tfinal test acc\ts/epoch\tstatus")
	for _, s := range specs {
		r, err := loadRun(filepath.Join(out, s.Dir()))
		if err != nil {
			fmt.Fprintf(tw, "%s\t–\t–\t–\t–\tunreadable: %v\n", s.Dir(), err)
			continue
		}
		row := rowOf(r)
		best := "–"
		if row.BestEpoch > 0 {
			best = fmt.Sprintf("%.4f (%d)", row.BestValAcc, row.BestEpoch)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.4f\t%.4f\t%.3f\t%s\n", s.Dir(), best, row.TestAccAtBest, row.FinalTestAcc,
			row.MedianEpochSeconds, row.Status)
	}
	tw.Flush()
	fmt.Fprintf(w, "runs written under %s (harness plot %s; harness report %s)\n", out, out, out)
}
