//go:build !purego

package kernels

// channelsFirstAsm does ChannelsFirst for the image's whole blocks of 16
// pixels on AVX-512, of 8 on AVX2 (channels ≤ 16), and returns the pixels
// done.
func channelsFirstAsm(p Impl, dst, src []float32, pixels, channels int) int {
	width := 0
	switch p {
	case AVX512:
		width = 16
	case AVX2:
		width = 8
	}
	if width == 0 || pixels < width || channels < 1 || channels > 16 {
		return 0
	}
	blocks := pixels / width
	_, _ = dst[(channels-1)*pixels+width*blocks-1], src[width*blocks*channels-1]
	if p == AVX512 {
		channelsFirstAVX512(&dst[0], &src[0], blocks, channels, pixels, uint16(1)<<channels-1)
	} else {
		channelsFirstAVX2(&dst[0], &src[0], blocks, channels, pixels)
	}
	return width * blocks
}
