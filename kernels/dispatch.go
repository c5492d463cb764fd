package kernels

import (
	"fmt"
	"os"
	"strings"
)

// Impl names one implementation path of the kernels.
type Impl uint8

// The implementation paths. Which ones run here is reported by Available.
const (
	Generic Impl = iota
	AVX2
	AVX512
	NEON
)

var implNames = [...]string{Generic: "generic", AVX2: "avx2", AVX512: "avx512", NEON: "neon"}

func (p Impl) String() string {
	if int(p) < len(implNames) {
		return implNames[p]
	}
	return fmt.Sprintf("Impl(%d)", uint8(p))
}

// ParseImpl reads a path name as printed by Impl.String.
func ParseImpl(s string) (Impl, error) {
	for i, name := range implNames {
		if strings.EqualFold(s, name) {
			return Impl(i), nil
		}
	}
	return 0, fmt.Errorf("unknown kernel path %q (want one of %s)", s, strings.Join(implNames[:], ", "))
}

// EnvVar forces a kernel path at start-up, for benchmarks and A/B runs.
const EnvVar = "ZOFO_KERNELS"

// active is the path every exported kernel uses; set once at init.
var active = mustSelect(os.Getenv(EnvVar))

// Active reports the path the exported kernels use.
func Active() Impl { return active }

// Available lists the paths this machine and build can run, generic first.
func Available() []Impl {
	out := []Impl{Generic}
	for _, p := range []Impl{AVX2, AVX512, NEON} {
		if supported(p) {
			out = append(out, p)
		}
	}
	return out
}

// Best is the fastest path available here.
func Best() Impl {
	all := Available()
	return all[len(all)-1]
}

func mustSelect(forced string) Impl {
	p, err := selectImpl(forced)
	if err != nil {
		panic(fmt.Sprintf("kernels: %s=%q: %v", EnvVar, forced, err))
	}
	return p
}

func selectImpl(forced string) (Impl, error) {
	if forced == "" {
		return Best(), nil
	}
	p, err := ParseImpl(forced)
	if err != nil {
		return 0, err
	}
	if !supported(p) {
		return 0, fmt.Errorf("path %s is not available on this CPU/build (available: %v)", p, Available())
	}
	return p, nil
}
