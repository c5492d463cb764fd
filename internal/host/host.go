// Package host names the CPU a benchmark or a run ran on, the same way in
// every file zofo writes: timings mean nothing without it.
package host

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/cpuid/v2"
)

// CPU identifies a processor: its vendor, its marketing name and the
// family/model pair that tells two generations with one name apart (a VM
// often reports only "AMD EPYC").
type CPU struct {
	Vendor string `json:"vendor"`
	Name   string `json:"name"`
	Family int    `json:"family"`
	Model  int    `json:"model"`
}

// This is the CPU the process runs on.
func This() CPU {
	return CPU{Vendor: cpuid.CPU.VendorString, Name: cpuid.CPU.BrandName,
		Family: cpuid.CPU.Family, Model: cpuid.CPU.Model}
}

// String is how reports and logs name the CPU: "AMD EPYC (AuthenticAMD
// family 25 model 1)".
func (c CPU) String() string {
	return fmt.Sprintf("%s (%s family %d model %d)", c.Name, c.Vendor, c.Family, c.Model)
}

// BenchKeys are the benchmark-file configuration lines that name the CPU
// beside Go's own "cpu:" line (its marketing name), in Go benchmark format's
// key: value form.
func (c CPU) BenchKeys() [][2]string {
	return [][2]string{{"cpu-vendor", c.Vendor}, {"cpu-family", fmt.Sprint(c.Family)}, {"cpu-model", fmt.Sprint(c.Model)}}
}

// PrintBenchKeys writes BenchKeys to w when the test binary runs benchmarks
// (-test.bench set), so every benchmark file names its CPU's family and
// model beside the "cpu:" line go test prints. Call it from TestMain after
// flag.Parse.
func PrintBenchKeys(w io.Writer) {
	if f := flag.Lookup("test.bench"); f == nil || f.Value.String() == "" {
		return
	}
	for _, kv := range This().BenchKeys() {
		fmt.Fprintf(w, "%s: %s\n", kv[0], kv[1])
	}
}

// RunTests is a package's TestMain: it parses the test flags, writes the
// header lines (benchfmt units and keys of the package's own) and names
// the CPU when the binary runs benchmarks (PrintBenchKeys), and runs the
// tests, exiting with their status.
//
//	func TestMain(m *testing.M) { host.RunTests(m) }
func RunTests(m interface{ Run() int }, header ...string) {
	flag.Parse()
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		for _, line := range header {
			fmt.Println(line)
		}
	}
	PrintBenchKeys(os.Stdout)
	os.Exit(m.Run())
}
