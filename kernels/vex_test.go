package kernels

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// vectorRegister matches an operand naming an XMM, YMM or ZMM register.
var vectorRegister = regexp.MustCompile(`(^|[^A-Za-z0-9_])[XYZ]([0-9]|[12][0-9]|3[01])($|[^A-Za-z0-9_])`)

// legacySSE lists every instruction of an amd64 assembly file that touches a
// vector register without a VEX or EVEX encoding, as "function: instruction".
// In Go's assembler every VEX/EVEX mnemonic starts with V (K for mask
// registers); anything else on an X/Y/Z register is legacy SSE (or MMX),
// which on Intel cores pays a state transition or a merge each time it runs
// while the upper halves are dirty. AMD cores do not, so only a check sees it.
func legacySSE(r io.Reader) ([]string, int, error) {
	var found []string
	var function string
	checked := 0
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "//")
		fields := strings.Fields(line)
		switch {
		case len(fields) == 0, strings.HasSuffix(fields[0], ":"), strings.HasPrefix(fields[0], "#"):
			continue
		case fields[0] == "TEXT":
			function = strings.TrimSuffix(fields[1], ",")
			continue
		case fields[0] == "DATA" || fields[0] == "GLOBL":
			continue
		}
		checked++
		op := fields[0]
		operands := strings.Join(fields[1:], " ")
		if !strings.HasPrefix(op, "V") && !strings.HasPrefix(op, "K") && vectorRegister.MatchString(operands) {
			found = append(found, fmt.Sprintf("%s: %s", function, strings.TrimSpace(line)))
		}
	}
	return found, checked, sc.Err()
}

func TestNoLegacySSEInAVXCode(t *testing.T) {
	files, err := filepath.Glob("*_amd64.s")
	inRNG, _ := filepath.Glob("rng/*_amd64.s") // the direction kernels' package
	files = append(files, inRNG...)
	if err != nil || len(inRNG) == 0 {
		t.Fatalf("no amd64 assembly files found (%v)", err)
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		found, checked, err := legacySSE(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if checked == 0 {
			t.Errorf("%s: no instruction read", name)
		}
		for _, f := range found {
			t.Errorf("%s: legacy-SSE instruction in AVX code (use its VEX form): %s", name, f)
		}
	}
}

// TestLegacySSECheckSeesSSE keeps the check above from passing vacuously.
func TestLegacySSECheckSeesSSE(t *testing.T) {
	const src = `TEXT ·f(SB), NOSPLIT, $0-8
	VMOVD        DI, X1 // fine
	MOVD         DI, X1
	MOVQ         X0, AX
	PXOR         X15, X15
	MOVUPS       (AX), X2
	KMOVW        AX, K1
	MOVQ         AX, X10Y // not a register
	VZEROUPPER
loop:
	ADDQ         $0x40, AX
	RET
`
	found, checked, err := legacySSE(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"·f(SB): MOVD         DI, X1", "·f(SB): MOVQ         X0, AX",
		"·f(SB): PXOR         X15, X15", "·f(SB): MOVUPS       (AX), X2"}
	if strings.Join(found, "\n") != strings.Join(want, "\n") || checked != 10 {
		t.Errorf("found %q in %d instructions, want %q in 10", found, checked, want)
	}
}
