package kernels

import (
	"fmt"
	"math"
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
)

// Every path writes every image channel by channel with the bits of the
// plain loop, for pixel counts around and at whole blocks of 16 (and
// MyNetPlus's 144), 1 to 20 channels (past the kernel's 16), unaligned
// operands, several images; it writes nothing outside dst and changes
// nothing in src.
func TestChannelsFirstIsGeneric(t *testing.T) {
	r := newRand(31)
	forEachPath(t, func(t *testing.T, p Impl) {
		for _, pixels := range []int{1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 144} {
			for channels := 1; channels <= 20; channels++ {
				images := 1 + (pixels+channels)%3
				n := images * pixels * channels
				off := (pixels + channels) % 4
				what := fmt.Sprintf("%v: %d images, %d pixels, %d channels, offset %d", p, images, pixels, channels, off)
				src, dst := kerneltest.NewGuarded(r, n, off), kerneltest.NewGuarded(r, n, 3-off)
				channelsFirst(p, dst.S(), src.S(), images, pixels, channels)
				for i := range images {
					img, out := src.S()[i*pixels*channels:], dst.S()[i*pixels*channels:]
					for px := range pixels {
						for ch := range channels {
							if got, want := out[ch*pixels+px], img[px*channels+ch]; math.Float32bits(got) != math.Float32bits(want) {
								t.Fatalf("%s: image %d pixel %d channel %d = %v, want %v", what, i, px, ch, got, want)
							}
						}
					}
				}
				dst.CheckGuards(t, what)
				src.CheckUnchanged(t, what)
			}
		}
	})
}

// A src or dst too short for the images panics.
func TestChannelsFirstChecksLengths(t *testing.T) {
	for _, c := range []struct{ dst, src int }{{159, 160}, {160, 159}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("dst %d, src %d floats for 160: no panic", c.dst, c.src)
				}
			}()
			ChannelsFirst(make([]float32, c.dst), make([]float32, c.src), 1, 16, 10)
		}()
	}
}
