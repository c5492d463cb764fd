// Package isa lets one avo generator emit the same kernel for AVX2 (ymm) and
// AVX-512 (zmm): the few instructions whose mnemonic or operands differ
// between the two are methods here, everything else is shared.
package isa

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// ISA is one x86 vector extension.
type ISA struct {
	Name  string // suffix of the generated function names
	Lanes int    // float32 lanes per vector
}

// The two amd64 paths.
var (
	AVX2   = ISA{"AVX2", 8}
	AVX512 = ISA{"AVX512", 16}
	All    = []ISA{AVX2, AVX512}
)

// Wide reports whether vectors are zmm.
func (s ISA) Wide() bool { return s.Lanes == 16 }

// Bytes is the size of one vector.
func (s ISA) Bytes() int { return 4 * s.Lanes }

// Fn is the generated function name for kernel base.
func (s ISA) Fn(base string) string { return base + s.Name }

// Vec allocates a vector register.
func (s ISA) Vec() reg.VecVirtual {
	if s.Wide() {
		return ZMM()
	}
	return YMM()
}

// Vecs allocates n vector registers.
func (s ISA) Vecs(n int) []reg.VecVirtual {
	v := make([]reg.VecVirtual, n)
	for i := range v {
		v[i] = s.Vec()
	}
	return v
}

// And is dst = a & b on 32-bit lanes (VPAND has no zmm form).
func (s ISA) And(a, b, dst Op) {
	if s.Wide() {
		VPANDD(a, b, dst)
	} else {
		VPAND(a, b, dst)
	}
}

// Xor is dst = a ^ b on 32-bit lanes.
func (s ISA) Xor(a, b, dst Op) {
	if s.Wide() {
		VPXORD(a, b, dst)
	} else {
		VPXOR(a, b, dst)
	}
}

// Zero clears v.
func (s ISA) Zero(v reg.VecVirtual) { s.Xor(v, v, v) }

// Splat broadcasts the float32 (or uint32) parameter name into a vector.
// It reads the argument slot directly: a legacy-SSE load could not reach
// X16–X31, which AVX-512 code allocates.
func (s ISA) Splat(name string) reg.VecVirtual {
	b, err := Param(name).Resolve()
	if err != nil {
		panic(err)
	}
	v := s.Vec()
	VBROADCASTSS(b.Addr, v)
	return v
}

// SplatFloat64 broadcasts the float64 parameter name into a vector of
// doubles, read from its argument slot as Splat does.
func (s ISA) SplatFloat64(name string) reg.VecVirtual {
	b, err := Param(name).Resolve()
	if err != nil {
		panic(err)
	}
	v := s.Vec()
	VBROADCASTSD(b.Addr, v)
	return v
}

// Half allocates a register of half the vector width (ymm for AVX-512,
// xmm for AVX2): the int32 or float32 lanes of a vector of doubles.
func (s ISA) Half() reg.VecVirtual {
	if s.Wide() {
		return YMM()
	}
	return XMM()
}

// SplatGP broadcasts a 32-bit general register into a vector. Only VEX and
// EVEX forms: a legacy-SSE MOVD here, with the upper halves of the vector
// registers dirty, costs an Intel core a state transition every call.
func (s ISA) SplatGP(r reg.Register) reg.VecVirtual {
	v := s.Vec()
	if s.Wide() {
		VPBROADCASTD(r, v) // EVEX takes the general register itself
		return v
	}
	x := XMM()
	VMOVD(r, x)
	VPBROADCASTD(x, v)
	return v
}

// Ret clears the upper vector state (the AVX–SSE transition penalty) and
// returns.
func (s ISA) Ret() {
	VZEROUPPER()
	RET()
}

var tables = map[string]Mem{}

// Const is a read-only vector with every lane equal to bits, so it can be an
// instruction's memory operand without a broadcast register.
func (s ISA) Const(bits uint32) Mem {
	lanes := make([]uint32, s.Lanes)
	for i := range lanes {
		lanes[i] = bits
	}
	return s.Table(fmt.Sprintf("c%08x", bits), lanes)
}

// Table is a read-only vector with the given lanes.
func (s ISA) Table(name string, lanes []uint32) Mem {
	name = fmt.Sprintf("%s%s%d", name, s.Name, len(lanes))
	if m, ok := tables[name]; ok {
		return m
	}
	m := GLOBL(name, attr.RODATA|attr.NOPTR)
	for i, v := range lanes {
		DATA(4*i, U32(v))
	}
	tables[name] = m
	return m
}

// Blocks emits a loop over the n elements (a multiple of Lanes): blocks of
// four vectors, then single vectors. body(u, disp) emits the work for
// vector u at byte offset disp from each pointer (the single-vector tail
// calls it with u = 0); ptrs advance past the work done.
func (s ISA) Blocks(n reg.Register, ptrs []reg.Register, body func(u, disp int)) {
	shift := map[int]uint8{8: 3, 16: 4}[s.Lanes] // log2(Lanes)
	tail := GP64()
	MOVQ(n, tail)
	SHRQ(U8(shift), tail)
	ANDQ(U8(3), tail)
	SHRQ(U8(shift+2), n)
	JZ(LabelRef("tail"))
	Label("loop")
	for u := 0; u < 4; u++ {
		body(u, u*s.Bytes())
	}
	for _, p := range ptrs {
		ADDQ(U32(4*s.Bytes()), p)
	}
	DECQ(n)
	JNZ(LabelRef("loop"))
	Label("tail")
	TESTQ(tail, tail)
	JZ(LabelRef("done"))
	Label("tailloop")
	body(0, 0)
	for _, p := range ptrs {
		ADDQ(U8(s.Bytes()), p)
	}
	DECQ(tail)
	JNZ(LabelRef("tailloop"))
	Label("done")
}
