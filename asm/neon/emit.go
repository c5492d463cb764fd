package main

import (
	"fmt"
	"strings"
)

// Go's arm64 assembler has vector loads, stores and VFMLA but no vector
// FADD, FMUL, FDIV, FSQRT, SCVTF, MUL, USHL, SSHR, FCMLT or FMLA by element,
// so this file encodes the vector arithmetic as WORDs, each with its
// assembly text as a comment. The encodings are checked against GNU as in
// emit_test.go.

// V is a SIMD register number, v0–v31.
type V int

// inst is one encoded instruction and the text it stands for.
type inst struct {
	enc  uint32
	text string
}

// three is an "op vd.4s, vn.4s, vm.4s" instruction (or .16b for logic).
func three(base uint32, mnemonic, arr string) func(d, n, m V) inst {
	return func(d, n, m V) inst {
		return inst{base | uint32(m)<<16 | uint32(n)<<5 | uint32(d),
			fmt.Sprintf("%s v%d.%s, v%d.%s, v%d.%s", mnemonic, d, arr, n, arr, m, arr)}
	}
}

// two is an "op vd.4s, vn.4s" instruction, with an optional suffix.
func two(base uint32, mnemonic, suffix string) func(d, n V) inst {
	return func(d, n V) inst {
		return inst{base | uint32(n)<<5 | uint32(d), fmt.Sprintf("%s v%d.4s, v%d.4s%s", mnemonic, d, n, suffix)}
	}
}

var (
	fadd  = three(0x4e20d400, "fadd", "4s")
	fsub  = three(0x4ea0d400, "fsub", "4s")
	fmul  = three(0x6e20dc00, "fmul", "4s")
	fdiv  = three(0x6e20fc00, "fdiv", "4s")
	fmla  = three(0x4e20cc00, "fmla", "4s")
	mul   = three(0x4ea09c00, "mul", "4s")
	add   = three(0x4ea08400, "add", "4s")
	sub   = three(0x6ea08400, "sub", "4s")
	ushl  = three(0x6ea04400, "ushl", "4s")
	and   = three(0x4e201c00, "and", "16b")
	eor   = three(0x6e201c00, "eor", "16b")
	orr   = three(0x4ea01c00, "orr", "16b")
	bic   = three(0x4e601c00, "bic", "16b")
	fmax  = three(0x4e20f400, "fmax", "4s")
	cmeq  = three(0x6ea08c00, "cmeq", "4s")
	fcmeq = three(0x4e20e400, "fcmeq", "4s")
	bit   = three(0x6ea01c00, "bit", "16b")
	fsqrt = two(0x6ea1f800, "fsqrt", "")
	fcvtn = two(0x4e21a800, "fcvtns", "")
	scvtf = two(0x4e21d800, "scvtf", "")
	fcmlt = two(0x4ea0e800, "fcmlt", ", #0.0")
	fcmgt = two(0x4ea0c800, "fcmgt", ", #0.0")
)

// ushr, sshr and shl shift each 32-bit lane by an immediate 1–31.
func ushr(d, n V, sh int) inst {
	return inst{0x6f000400 | uint32(64-sh)<<16 | uint32(n)<<5 | uint32(d), fmt.Sprintf("ushr v%d.4s, v%d.4s, #%d", d, n, sh)}
}

func sshr(d, n V, sh int) inst {
	return inst{0x4f000400 | uint32(64-sh)<<16 | uint32(n)<<5 | uint32(d), fmt.Sprintf("sshr v%d.4s, v%d.4s, #%d", d, n, sh)}
}

func shl(d, n V, sh int) inst {
	return inst{0x4f005400 | uint32(32+sh)<<16 | uint32(n)<<5 | uint32(d), fmt.Sprintf("shl v%d.4s, v%d.4s, #%d", d, n, sh)}
}

// fmlaLane is vd += vn · vm.s[lane].
func fmlaLane(d, n, m V, lane int) inst {
	enc := 0x4f801000 | uint32(lane&1)<<21 | uint32(m>>4)<<20 | uint32(m&15)<<16 | uint32(lane>>1)<<11 | uint32(n)<<5 | uint32(d)
	return inst{enc, fmt.Sprintf("fmla v%d.4s, v%d.4s, v%d.s[%d]", d, n, m, lane)}
}

// file accumulates the assembly text.
type file struct {
	b      strings.Builder
	consts []uint32 // the shared constant table, by offset/4
}

func (f *file) line(format string, args ...any) { fmt.Fprintf(&f.b, "\t"+format+"\n", args...) }

func (f *file) label(name string) { fmt.Fprintf(&f.b, "\n%s:\n", name) }

func (f *file) emit(in inst) { f.line("WORD $0x%08x // %s", in.enc, in.text) }

// text starts a function; sig is its Go signature, for the reader.
func (f *file) text(name string, args int, sig string) {
	fmt.Fprintf(&f.b, "\n// func %s%s\nTEXT ·%s(SB), NOSPLIT, $0-%d\n", name, sig, name, args)
}

// vregs is "[Vn.S4, ...]" for count registers from first.
func vregs(first V, count int) string {
	parts := make([]string, count)
	for i := range parts {
		parts[i] = fmt.Sprintf("V%d.S4", int(first)+i)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// konst loads the 32-bit constant bits into every lane of v31, from the
// shared table (offsets found or added), through R9.
func (f *file) konst(bits uint32) V {
	off := -1
	for i, c := range f.consts {
		if c == bits {
			off = i
		}
	}
	if off < 0 {
		off = len(f.consts)
		f.consts = append(f.consts, bits)
	}
	f.line("MOVD $consts<>+%d(SB), R9", 4*off)
	f.line("VLD1R (R9), [V31.S4]")
	return 31
}

// splat sets every lane of v to the 32-bit immediate bits.
func (f *file) splat(v V, bits uint32) {
	f.line("MOVW $0x%08x, R9", bits)
	f.line("VDUP R9, V%d.S4", v)
}

// table emits a read-only data symbol of 32-bit values.
func (f *file) table(name string, vals []uint32) {
	for i, v := range vals {
		fmt.Fprintf(&f.b, "DATA %s<>+%d(SB)/4, $0x%08x\n", name, 4*i, v)
	}
	fmt.Fprintf(&f.b, "GLOBL %s<>(SB), RODATA|NOPTR, $%d\n", name, 4*len(vals))
}
