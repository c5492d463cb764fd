package kernels

import "fmt"

// ChannelsFirst writes images of pixels × channels floats (NHWC, a pixel's
// channels contiguous) channel by channel into dst: dst[n·size + ch·pixels
// + p] = src[n·size + p·channels + ch], size = pixels·channels. ConvPlanes
// reads a multi-channel input this way. AVX-512 moves 16 pixels at a time
// for up to 16 channels; the rest is Go.
func ChannelsFirst(dst, src []float32, images, pixels, channels int) {
	channelsFirst(active, dst, src, images, pixels, channels)
}

func channelsFirst(p Impl, dst, src []float32, images, pixels, channels int) {
	size := pixels * channels
	if images < 0 || pixels < 0 || channels < 0 || len(src) < images*size || len(dst) < images*size {
		panic(fmt.Sprintf("kernels: ChannelsFirst: %d images of %d pixels × %d channels from %d floats into %d",
			images, pixels, channels, len(src), len(dst)))
	}
	for n := 0; n < images; n++ {
		img, out := src[n*size:(n+1)*size], dst[n*size:(n+1)*size]
		done := channelsFirstAsm(p, out, img, pixels, channels)
		channelsFirstGeneric(out[done:], img[done*channels:], pixels, channels, pixels-done)
	}
}

// channelsFirstGeneric is ChannelsFirst on the last n pixels of one
// image: src holds them, dst row ch starts at their first (stride pixels).
func channelsFirstGeneric(dst, src []float32, pixels, channels, n int) {
	for ch := 0; ch < channels; ch++ {
		row := dst[ch*pixels:][:n]
		for p := range row {
			row[p] = src[p*channels+ch]
		}
	}
}
