package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/zofo/zofo/asm/internal/isa"
)

// maxSteps is the longest chain a kernel applies: a central-difference
// step's +ε, −2ε and the restore-and-update.
const maxSteps = 3

// Chain kernels compute, for each element, x = src; x += a[0]·z, then x is
// stored to mid; x += a[1]·z, …, for steps coefficients; x is stored to dst.
// Every step is the separately rounded add of an in-place Add kernel, so a
// chain gives the bits of that many Add passes, from one generation of z
// and one pass over memory. mid may be dst (its store is then overwritten)
// and both may be src (in place): each vector is loaded before it is stored.
const chainSignature = "func(dst, mid, src []float32, a *[3]float32, ctr, k0, k1, k2, k3 uint32)"

func chainName(s isa.ISA, dist string, steps int) string {
	return s.Fn(dist + "Chain" + string(rune('0'+steps)))
}

// operands are the pointers a direction kernel walks: w for fill and add
// (dst), dst, mid and src for a chain, and the element count.
type operands struct {
	dst, mid, src reg.Register
	a             reg.Register // *[3]float32 of a chain
	n             reg.Register
}

// operands loads the kernel's pointer arguments.
func (g *gauss) operands() operands {
	if g.steps == 0 {
		w := Load(Param("w").Base(), GP64())
		return operands{dst: w, n: Load(Param("w").Len(), GP64())}
	}
	return chainOperands()
}

func chainOperands() operands {
	return operands{
		dst: Load(Param("dst").Base(), GP64()),
		mid: Load(Param("mid").Base(), GP64()),
		src: Load(Param("src").Base(), GP64()),
		a:   Load(Param("a"), GP64()),
		n:   Load(Param("src").Len(), GP64()),
	}
}

func (io operands) advance(bytes int) {
	for _, p := range []reg.Register{io.dst, io.mid, io.src} {
		if p != nil {
			ADDQ(U32(bytes), p)
		}
	}
}

// alpha is the memory holding coefficient step of a chain.
func (io operands) alpha(step int) Mem { return Mem{Base: io.a, Disp: 4 * step} }

// chain emits the chain for the vector at byte offset disp: term(step, t)
// leaves a[step]·z in t.
func (io operands) chain(s isa.ISA, disp, steps int, term func(step int, t reg.VecVirtual)) {
	x, t := s.Vec(), s.Vec()
	VMOVUPS(Mem{Base: io.src, Disp: disp}, x)
	for step := 0; step < steps; step++ {
		term(step, t)
		VADDPS(t, x, x)
		if step == 0 && steps > 1 {
			VMOVUPS(x, Mem{Base: io.mid, Disp: disp})
		}
	}
	VMOVUPS(x, Mem{Base: io.dst, Disp: disp})
}

// rademacherChain is the chain form of rademacher: alpha·z is a[step] with
// z's sign bit XORed in, exact as in the add kernel.
func rademacherChain(s isa.ISA, steps int) {
	fn := chainName(s, "rademacher", steps)
	TEXT(fn, NOSPLIT, chainSignature)
	Pragma("noescape")
	Doc(fn+" applies a chain of "+string(rune('0'+steps))+" Rademacher steps for counters ctr, ctr+1, ...;",
		"len(src) must be a multiple of 32 and dst and mid as long. k2 and k3 are unused.")
	io := chainOperands()
	alphas := make([]reg.VecVirtual, steps)
	for i := range alphas {
		alphas[i] = s.Vec()
		VBROADCASTSS(io.alpha(i), alphas[i])
	}
	sign := s.Vec()
	VMOVUPS(s.Const(0x80000000), sign)
	ctr, k0, k1 := Load(Param("ctr"), GP32()), Load(Param("k0"), GP32()), Load(Param("k1"), GP32())
	n := io.n
	SHRQ(U8(5), n)
	JZ(LabelRef("done"))
	Label("loop")
	bits := s.SplatGP(rademacherWord(ctr, k0, k1))
	for v := 0; v < 32/s.Lanes; v++ {
		z := s.Vec()
		VPSLLVD(shifts(s, v), bits, z)
		s.And(sign, z, z)
		io.chain(s, v*s.Bytes(), steps, func(step int, t reg.VecVirtual) { s.Xor(alphas[step], z, t) })
	}
	io.advance(128)
	INCL(ctr)
	DECQ(n)
	JNZ(LabelRef("loop"))
	Label("done")
	s.Ret()
}

// rademacherWord is word(ctr, k0, k1) in a new general register.
func rademacherWord(ctr, k0, k1 reg.Register) reg.GPVirtual {
	x := GP32()
	MOVL(ctr, x)
	XORL(k0, x)
	mixGP(x)
	ADDL(k1, x)
	mixGP(x)
	return x
}

// gaussianChain is the chain form of gaussian: a[step]·z is one rounded
// product, then one rounded add, as in the add kernel.
func gaussianChain(s isa.ISA, steps int) {
	fn := chainName(s, "gaussian", steps)
	TEXT(fn, NOSPLIT, chainSignature)
	Pragma("noescape")
	Doc(fn+" applies a chain of "+string(rune('0'+steps))+" Gaussian steps for blocks ctr, ctr+1, ...;",
		"len(src) must be a multiple of 2·Lanes and dst and mid as long.")
	g := gauss{s: s, steps: steps}
	g.run()
}
