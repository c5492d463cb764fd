package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
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
