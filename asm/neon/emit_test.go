package main

import "testing"

// The words GNU as (binutils-aarch64-linux-gnu) assembles for these texts.
func TestEncodings(t *testing.T) {
	for _, c := range []struct {
		got  inst
		want uint32
	}{
		{fadd(0, 1, 2), 0x4e22d420}, {fsub(3, 4, 5), 0x4ea5d483}, {fmul(6, 7, 8), 0x6e28dce6},
		{fdiv(9, 10, 11), 0x6e2bfd49}, {fsqrt(12, 13), 0x6ea1f9ac}, {scvtf(14, 15), 0x4e21d9ee},
		{mul(16, 17, 18), 0x4eb29e30}, {ushl(19, 20, 21), 0x6eb54693}, {sshr(22, 23, 31), 0x4f2106f6},
		{fcmlt(24, 25), 0x4ea0eb38}, {fcmgt(26, 27), 0x4ea0cb7a}, {bic(28, 29, 30), 0x4e7e1fbc},
		{fmlaLane(0, 17, 20, 0), 0x4f941220}, {fmlaLane(1, 18, 20, 1), 0x4fb41241},
		{fmlaLane(2, 19, 20, 2), 0x4f941a62}, {fmlaLane(3, 16, 31, 3), 0x4fbf1a03},
		{and(4, 5, 6), 0x4e261ca4}, {eor(7, 8, 9), 0x6e291d07}, {add(10, 11, 12), 0x4eac856a},
		{sub(13, 14, 15), 0x6eaf85cd}, {ushr(16, 17, 8), 0x6f380630}, {shl(18, 19, 31), 0x4f3f5672},
		{fmla(20, 21, 22), 0x4e36ceb4}, {fmax(1, 2, 3), 0x4e23f441}, {cmeq(4, 5, 6), 0x6ea68ca4},
		{bit(7, 8, 9), 0x6ea91d07}, {fcvtn(10, 11), 0x4e21a96a}, {orr(0, 26, 26), 0x4eba1f40},
		{fcmeq(1, 2, 3), 0x4e23e441}, {uxtlB(0, 0), 0x2f08a400}, {uxtlH(1, 0), 0x2f10a401},
		{uxtl2H(2, 0), 0x6f10a402}, {ucvtf(1, 1), 0x6e21d821}, {fcvtlLow(3, 1), 0x0e617823},
		{fcvtl2(4, 1), 0x4e617824}, {fmla2d(7, 3, 29), 0x4e7dcc67}, {fcvtnLow(11, 7), 0x0e6168eb},
		{fcvtn2(11, 8), 0x4e61690b},
	} {
		if c.got.enc != c.want {
			t.Errorf("%s: %#08x, want %#08x", c.got.text, c.got.enc, c.want)
		}
	}
}
