package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// IDX magic numbers: unsigned bytes, 3 dimensions (images) or 1 (labels).
const (
	imageMagic = 0x00000803
	labelMagic = 0x00000801
	side       = 28
	pixels     = side * side
	classes    = 10
	// maxItems bounds what a header may claim, so a corrupt count cannot
	// make us allocate gigabytes before the length check rejects the file.
	maxItems = 1 << 20
)

// gunzip reads a whole gzip stream; the CRC and length are checked at EOF,
// so a truncated or altered file is an error, never a short result.
func gunzip(raw []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("not gzip: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, 8+maxItems*pixels+16+1))
	if err != nil {
		return nil, fmt.Errorf("corrupt gzip: %w", err)
	}
	return out, zr.Close()
}

// parseImages returns the pixel bytes of an IDX3 image file, n×28×28.
func parseImages(b []byte) (pix []byte, n int, err error) {
	if len(b) < 16 {
		return nil, 0, errors.New("shorter than the 16-byte IDX3 header")
	}
	if m := binary.BigEndian.Uint32(b); m != imageMagic {
		return nil, 0, fmt.Errorf("magic %#08x, want %#08x (IDX3 unsigned bytes)", m, imageMagic)
	}
	count, rows, cols := binary.BigEndian.Uint32(b[4:]), binary.BigEndian.Uint32(b[8:]), binary.BigEndian.Uint32(b[12:])
	if rows != side || cols != side {
		return nil, 0, fmt.Errorf("images are %d×%d, want %d×%d", rows, cols, side, side)
	}
	if count == 0 || count > maxItems {
		return nil, 0, fmt.Errorf("header claims %d images", count)
	}
	if want := 16 + int(count)*pixels; len(b) != want {
		return nil, 0, fmt.Errorf("%d bytes for %d images, want %d (truncated or trailing data)", len(b), count, want)
	}
	return b[16:], int(count), nil
}

// parseLabels returns the labels of an IDX1 label file, each checked to be
// a digit.
func parseLabels(b []byte) ([]int32, error) {
	if len(b) < 8 {
		return nil, errors.New("shorter than the 8-byte IDX1 header")
	}
	if m := binary.BigEndian.Uint32(b); m != labelMagic {
		return nil, fmt.Errorf("magic %#08x, want %#08x (IDX1 unsigned bytes)", m, labelMagic)
	}
	count := binary.BigEndian.Uint32(b[4:])
	if count == 0 || count > maxItems {
		return nil, fmt.Errorf("header claims %d labels", count)
	}
	if want := 8 + int(count); len(b) != want {
		return nil, fmt.Errorf("%d bytes for %d labels, want %d (truncated or trailing data)", len(b), count, want)
	}
	labels := make([]int32, count)
	for i, v := range b[8:] {
		if v >= classes {
			return nil, fmt.Errorf("label %d is %d, not a digit", i, v)
		}
		labels[i] = int32(v)
	}
	return labels, nil
}
