package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/zofo/zofo/asm/internal/isa"
)

// channelsFirst emits channelsFirstAVX512: blocks of 16 pixels of an
// image of pixels × channels floats (NHWC, channels ≤ 16) written channel
// by channel (dst row ch, stride pixels). Each pixel's channels are one
// masked load, the 16 loads are transposed in registers (transpose16),
// and the first channels rows stored whole: 16 floats of each output row.
// MyNetPlus's second convolution reads its input this way
// (kernels.ConvPlanes); a Go loop doing it was a tenth of a ZO step.
func channelsFirst() {
	TEXT("channelsFirstAVX512", NOSPLIT, "func(dst, src *float32, blocks, channels, pixels int, mask uint16)")
	Pragma("noescape")
	Doc("channelsFirstAVX512 sets dst[ch·pixels + p] = src[p·channels + ch] for p < 16·blocks and ch < channels;",
		"blocks ≥ 1, 1 ≤ channels ≤ 16, mask = 1<<channels − 1. It reads no float past a pixel's channels.")
	dst, src := Load(Param("dst"), GP64()), Load(Param("src"), GP64())
	blocks, channels := Load(Param("blocks"), GP64()), Load(Param("channels"), GP64())
	pixelBytes, rowBytes := scaled("pixels"), scaled("channels")
	mask := loadMask()
	Label("block")
	rows := make([]reg.VecVirtual, 16)
	at := GP64()
	MOVQ(src, at)
	for r := range rows {
		rows[r] = ZMM()
		VMOVUPS_Z(Mem{Base: at}, mask, rows[r])
		ADDQ(rowBytes, at)
	}
	MOVQ(at, src)
	out := transpose16(rows)
	MOVQ(dst, at)
	for ch, v := range out {
		VMOVUPS(v, Mem{Base: at})
		if ch < len(out)-1 {
			CMPQ(channels, U8(ch+1))
			JE(LabelRef("stored"))
			ADDQ(pixelBytes, at)
		}
	}
	Label("stored")
	ADDQ(U8(64), dst)
	DECQ(blocks)
	JNZ(LabelRef("block"))
	VZEROUPPER()
	RET()
}

// channelsFirst2 emits channelsFirstAVX2, channelsFirst with 8 pixels a
// block: each pixel's channels are up to two masked loads of 8 (channels
// 0–7 and 8–15), each group of 8 loads transposed in registers
// (transpose8) and its first channels rows stored whole, 8 floats each.
// Masked loads read nothing past a pixel's channels.
func channelsFirst2() {
	s := isa.AVX2
	TEXT("channelsFirstAVX2", NOSPLIT, "func(dst, src *float32, blocks, channels, pixels int)")
	Pragma("noescape")
	Doc("channelsFirstAVX2 sets dst[ch·pixels + p] = src[p·channels + ch] for p < 8·blocks and ch < channels;",
		"blocks ≥ 1, 1 ≤ channels ≤ 16. It reads no float past a pixel's channels.")
	dst, src := Load(Param("dst"), GP64()), Load(Param("src"), GP64())
	blocks, channels := Load(Param("blocks"), GP64()), Load(Param("channels"), GP64())
	pixelBytes, rowBytes := scaled("pixels"), scaled("channels")
	masks := s.Vecs(2) // group g's lanes below channels − 8g
	for g, m := range masks {
		left := GP64()
		MOVQ(channels, left)
		SUBQ(U8(8*g), left)
		VMOVUPS(s.Table("lane0", lanes(0, 8)), m)
		VPCMPGTD(m, s.SplatGP(left.As32()), m)
	}
	Label("block")
	at := GP64()
	for g, m := range masks {
		rows := make([]reg.VecVirtual, 8)
		MOVQ(src, at)
		for r := range rows {
			rows[r] = YMM()
			VMASKMOVPS(Mem{Base: at, Disp: 32 * g}, m, rows[r])
			ADDQ(rowBytes, at)
		}
		out := transpose8(rows)
		if g == 0 {
			MOVQ(dst, at)
		} else {
			LEAQ(Mem{Base: dst, Index: pixelBytes, Scale: 8}, at) // channel 8's row
		}
		for ch, v := range out {
			VMOVUPS(v, Mem{Base: at})
			CMPQ(channels, U8(8*g+ch+1))
			JE(LabelRef("stored"))
			if ch < len(out)-1 {
				ADDQ(pixelBytes, at)
			}
		}
	}
	Label("stored")
	MOVQ(rowBytes, at)
	SHLQ(U8(3), at)
	ADDQ(at, src)
	ADDQ(U8(32), dst)
	DECQ(blocks)
	JNZ(LabelRef("block"))
	VZEROUPPER()
	RET()
}
