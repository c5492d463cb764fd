package kernels

import (
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
)

// cpuFlags reads the kernel's view of the CPU, independent of cpuid, so a
// broken detection fails here instead of testing the generic code twice.
func cpuFlags(t *testing.T) map[string]bool {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		t.Skipf("no /proc/cpuinfo: %v", err)
	}
	flags := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if name, val, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "flags" {
			for _, f := range strings.Fields(val) {
				flags[f] = true
			}
			break
		}
	}
	return flags
}

func TestExpectedPathsSelectable(t *testing.T) {
	if runtime.GOARCH != "amd64" || asmDisabled {
		t.Skip("amd64 assembly paths only")
	}
	f := cpuFlags(t)
	avail := Available()
	if f["avx2"] && f["fma"] && !slices.Contains(avail, AVX2) {
		t.Errorf("CPU has avx2+fma but AVX2 path not available: %v", avail)
	}
	if f["avx512f"] && f["avx512dq"] && f["avx512vl"] && !slices.Contains(avail, AVX512) {
		t.Errorf("CPU has avx512f/dq/vl but AVX512 path not available: %v", avail)
	}
	if os.Getenv(EnvVar) == "" && Active() != Best() {
		t.Errorf("Active() = %v, want the best path %v", Active(), Best())
	}
}

func TestNEONSelectedOnArm64(t *testing.T) {
	if runtime.GOARCH != "arm64" || asmDisabled {
		t.Skip("arm64 assembly only")
	}
	if Best() != NEON {
		t.Errorf("Best() = %v on arm64, want neon", Best())
	}
}

func TestSelectImpl(t *testing.T) {
	if p, err := selectImpl(""); err != nil || p != Best() {
		t.Errorf(`selectImpl("") = %v, %v`, p, err)
	}
	if p, err := selectImpl("GENERIC"); err != nil || p != Generic {
		t.Errorf(`selectImpl("GENERIC") = %v, %v`, p, err)
	}
	if _, err := selectImpl("sse9"); err == nil || !strings.Contains(err.Error(), "sse9") {
		t.Errorf(`selectImpl("sse9") error = %v`, err)
	}
	for _, p := range []Impl{AVX2, AVX512, NEON} {
		if _, err := selectImpl(p.String()); (err == nil) != supported(p) {
			t.Errorf("selectImpl(%v) error = %v, supported = %v", p, err, supported(p))
		}
	}
}

// forEachPath runs f as one subtest per path this machine can run, named
// by the path, so that -run 'TestAxpy/avx512' picks one.
func forEachPath(t *testing.T, f func(t *testing.T, p Impl)) {
	t.Helper()
	kerneltest.ForEachPath(t, Available(), f)
}
