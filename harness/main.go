// Command harness runs zofo's experiments: run trains (a sweep over comma
// lists of settings, one directory per run, resumable); selftest reports
// the kernel path this machine selected and its speed on MyNet's shapes.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
)

// exitUsage is the exit status for bad flags or arguments.
const exitUsage = 2

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "selftest":
		return selftest(args[1:], stdout, stderr)
	case "run":
		return runCmd(args[1:], stdout, stderr)
	case "bench":
		return benchCmd(args[1:], stdout, stderr)
	case "status":
		return statusCmd(args[1:], stdout, stderr)
	case "slurm":
		return slurmCmd(args[1:], stdout, stderr)
	case "plot":
		return plotCmd(args[1:], stdout, stderr)
	case "report":
		return reportCmd(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, version())
		return 0
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "harness: unknown command %q\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: harness <command> [flags]

commands:
  run        train: comma lists of flags run the cross product (harness run -h);
             --plan FILE writes the runs to a plan, --plan FILE --task K runs one
  slurm      write (--submit: and submit) an sbatch job array over a plan
  status     list a plan's entries: done, diverged, running, interrupted, missing
  bench      time epochs --count times per setting; Go benchmark format for benchstat
  plot DIR   PNG figures of the runs under DIR (--reference: overlay the study's CSVs)
  report DIR Markdown tables of the runs under DIR, the study's numbers beside, t-tests
  selftest   report the selected kernel path and its GFLOP/s on MyNet's shapes
  version    the harness's version, commit and Go version
`)
}

// parseFlags parses fs, printing problems and mapping them to an exit code:
// 0 to go on, exitUsage for bad flags or arguments, -1 after -h.
func parseFlags(fs *flag.FlagSet, args []string) int {
	return parseWithArgs(fs, args, 0)
}

// parseWithArgs is parseFlags allowing exactly positional arguments.
func parseWithArgs(fs *flag.FlagSet, args []string, positional int) int {
	if !slices.ContainsFunc(args, func(a string) bool { return a == "-h" || a == "-help" || a == "--help" }) {
		fs.Usage = func() { // the full list is for -h, where it is asked for
			fmt.Fprintf(fs.Output(), "run 'harness %s -h' for the flags and their values\n", fs.Name())
		}
	}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return -1
	case err != nil:
		return exitUsage
	case fs.NArg() > positional:
		fmt.Fprintf(fs.Output(), "harness %s: unexpected argument %q\n", fs.Name(), fs.Arg(positional))
		return exitUsage
	case fs.NArg() < positional:
		fmt.Fprintf(fs.Output(), "harness %s: missing argument (run 'harness %s -h')\n", fs.Name(), fs.Name())
		return exitUsage
	}
	return 0
}
