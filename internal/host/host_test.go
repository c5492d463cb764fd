package host

import (
	"flag"
	"strings"
	"testing"
)

func TestThisNamesTheCPU(t *testing.T) {
	c := This()
	if c.Vendor == "" || c.Name == "" {
		t.Errorf("This() = %+v: vendor and name must be known", c)
	}
	keys := c.BenchKeys()
	if len(keys) != 3 || keys[0] != [2]string{"cpu-vendor", c.Vendor} {
		t.Errorf("BenchKeys() = %q", keys)
	}
}

func TestStringHasFamilyAndModel(t *testing.T) {
	c := CPU{Vendor: "GenuineIntel", Name: "Intel Xeon", Family: 6, Model: 207}
	if got, want := c.String(), "Intel Xeon (GenuineIntel family 6 model 207)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	for _, kv := range c.BenchKeys() {
		if strings.ContainsAny(kv[0], " :") || kv[1] == "" {
			t.Errorf("bench key %q is not a valid key: value pair", kv)
		}
	}
}

func TestPrintBenchKeysOnlyWhenBenchmarking(t *testing.T) {
	bench := flag.Lookup("test.bench")
	old := bench.Value.String()
	defer flag.Set("test.bench", old)

	flag.Set("test.bench", "")
	var quiet strings.Builder
	PrintBenchKeys(&quiet)
	if quiet.Len() != 0 {
		t.Errorf("printed %q without -test.bench", quiet.String())
	}
	flag.Set("test.bench", ".")
	var out strings.Builder
	PrintBenchKeys(&out)
	if want := "cpu-vendor: " + This().Vendor + "\n"; !strings.HasPrefix(out.String(), want) || strings.Count(out.String(), "\n") != 3 {
		t.Errorf("printed %q, want three lines starting %q", out.String(), want)
	}
}
