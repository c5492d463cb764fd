package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
)

// reportCmd writes DIR/report.md: one section per study experiment found
// among the runs, the equal-budget comparison, the estimate quality and
// the environment; --csv and --json export one row per run.
func reportCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("report", stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: harness report [--reference DIR] [--csv FILE] [--json FILE] RUNS\n\nWrites RUNS/report.md from the runs under RUNS.")
		fs.PrintDefaults()
	}
	ref := fs.String("reference", "", "a directory of the study's CSVs (results/reference) to quote beside the runs of the same setting")
	csvOut := fs.String("csv", "", "also write one row per run to this CSV file")
	jsonOut := fs.String("json", "", "also write one object per run to this JSON file")
	if code := parseWithArgs(fs, reorder(args), 1); code != 0 {
		return max(code, 0)
	}
	runs, err := loadRuns(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "harness report: %v\n", err)
		return exitUsage
	}
	if runs = finishedOnly(runs, stderr); len(runs) == 0 {
		fmt.Fprintf(stderr, "harness report: no finished run under %s\n", fs.Arg(0))
		return exitUsage
	}
	var refs []referenceCurve
	if *ref != "" {
		if refs, err = loadReference(*ref); err != nil {
			fmt.Fprintf(stderr, "harness report: --reference: %v\n", err)
			return exitUsage
		}
	}
	sweeps, err := readSweeps(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "harness report: %v\n", err)
		return 1
	}
	var b strings.Builder
	writeReport(&b, newStudy(runs, refs), runs)
	writeSweeps(&b, sweeps)
	path := filepath.Join(fs.Arg(0), "report.md")
	if err := writeAtomic(path, []byte(b.String())); err != nil {
		fmt.Fprintf(stderr, "harness report: %v\n", err)
		return 1
	}
	if err := exportRuns(runs, *csvOut, *jsonOut); err != nil {
		fmt.Fprintf(stderr, "harness report: %v\n", err)
		return 1
	}
	fmt.Fprint(stdout, b.String())
	fmt.Fprintf(stdout, "\nwritten to %s\n", path)
	return 0
}

func writeReport(w io.Writer, st *study, runs []runData) {
	fmt.Fprintln(w, "# zofo report")
	fmt.Fprintf(w, "\n%d runs in %d settings. Each run's best epoch is the one of highest validation accuracy "+
		"(training examples held out, never trained on); the test set chooses nothing and is reported at that epoch "+
		"and at the last. Over seeds: mean ± std [95%% Student interval]; a single run is written alone. "+
		"Seconds are the optimizer steps of an epoch, evaluation excluded.\n", len(runs), len(st.groups))
	var head strings.Builder
	writeHeadline(&head, st)
	if head.Len() > 0 {
		fmt.Fprintf(w, "\n## The answer in one table\n\n%s", head.String())
	}
	for _, sec := range st.sections() {
		sec(w)
	}
	st.writeOthers(w)
	st.writeBudgets(w)
	st.writeQuality(w)
	writeEnvironment(w, runs)
}

// sections are the study's experiments in the study's order.
func (st *study) sections() []func(io.Writer) {
	return []func(io.Writer){st.writeGrid, st.writeBest, st.writeSameLR, st.writeTimes, st.writeScaling,
		st.writeHybrid, st.writeModels}
}

// settingTable writes a table of groups: n, best validation accuracy, test
// accuracy at that epoch and at the last, median epoch seconds, diverged
// runs, and the study's matching final accuracy.
func (st *study) settingTable(w io.Writer, groups []*group) {
	fmt.Fprintln(w, "\n| setting | n | best val acc | test acc at best epoch | final test acc | median s/epoch | diverged | the study, final acc |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	labels := shortLabels(specsOf(groups))
	for i, g := range groups {
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %d | %s |\n", labels[i], len(g.Runs), summary(g.outcomes(bestValOf)),
			summary(g.outcomes(testAtBestOf)), summary(g.outcomes(finalTestOf)), seconds(median(g.epochSeconds())), g.diverged(),
			st.studyFinal(g))
	}
}

// studyFinal is the study's final accuracy of the group's setting: test
// accuracy where its files have it, else train accuracy, so marked.
func (st *study) studyFinal(g *group) string {
	var test, trainAcc []float64
	for _, c := range referencesOf(st.refs, g.key()) {
		if len(c.TestAcc) > 0 && len(c.TestAcc) == g.spec().Epochs {
			test = append(test, c.TestAcc[len(c.TestAcc)-1])
		} else if len(c.TrainAcc) == g.spec().Epochs {
			trainAcc = append(trainAcc, c.TrainAcc[len(c.TrainAcc)-1])
		}
	}
	switch {
	case len(test) > 0:
		return fmt.Sprintf("%s test (n = %d)", summary(test), len(test))
	case len(trainAcc) > 0:
		return fmt.Sprintf("%s train (n = %d)", summary(trainAcc), len(trainAcc))
	}
	return "–"
}

// figure links a figure of the plot command, if it was drawn.
func figureLink(w io.Writer, name, caption string) {
	fmt.Fprintf(w, "\n![%s](figures/%s.png)\n", caption, name)
}

// writeOthers tables the settings that are no study experiment's.
func (st *study) writeOthers(w io.Writer) {
	var others []*group
	for _, g := range st.groups {
		if !inExperiment(g) {
			others = append(others, g)
		}
	}
	if len(others) == 0 {
		return
	}
	slices.SortStableFunc(others, func(a, b *group) int { return strings.Compare(a.Name, b.Name) })
	fmt.Fprintln(w, "\n## Settings outside the study's experiments")
	for _, model := range st.models() {
		if these := inFolder(others, model); len(these) > 0 {
			fmt.Fprintf(w, "\n### %s\n", model)
			st.settingTable(w, these)
		}
	}
}
