package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The real files: counts, the first labels everyone knows, and the
// normalization giving the training set mean ≈ 0 and std ≈ 1.
func TestLoadRealMNIST(t *testing.T) {
	dir, canonical, err := Locate("")
	if err != nil {
		t.Fatal(err)
	}
	train, test, err := Load(dir, canonical)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 60000 || test.Len() != 10000 {
		t.Fatalf("sizes %d, %d", train.Len(), test.Len())
	}
	if train.Labels[0] != 5 || train.Labels[1] != 0 || test.Labels[0] != 7 {
		t.Errorf("first labels %v, %v", train.Labels[:2], test.Labels[:1])
	}
	var sum, sq float64
	x := make([]float32, len(train.Raw))
	Normalize(x, train.Raw)
	for _, v := range x {
		sum += float64(v)
		sq += float64(v) * float64(v)
	}
	n := float64(len(x))
	mean, std := sum/n, math.Sqrt(sq/n-(sum/n)*(sum/n))
	if math.Abs(mean) > 0.01 || math.Abs(std-1) > 0.01 {
		t.Errorf("normalized train mean %g std %g, want ≈ 0, 1", mean, std)
	}
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func idxImages(n, rows, cols int) []byte {
	b := make([]byte, 16+n*rows*cols)
	binary.BigEndian.PutUint32(b, imageMagic)
	binary.BigEndian.PutUint32(b[4:], uint32(n))
	binary.BigEndian.PutUint32(b[8:], uint32(rows))
	binary.BigEndian.PutUint32(b[12:], uint32(cols))
	for i := range b[16:] {
		b[16+i] = byte(i * 7)
	}
	return b
}

func idxLabels(labels ...byte) []byte {
	b := make([]byte, 8, 8+len(labels))
	binary.BigEndian.PutUint32(b, labelMagic)
	binary.BigEndian.PutUint32(b[4:], uint32(len(labels)))
	return append(b, labels...)
}

// writeSet writes four files, with file i replaced by override[i] if set.
func writeSet(t *testing.T, override map[int][]byte) string {
	dir := t.TempDir()
	files := [][]byte{gz(idxImages(3, 28, 28)), gz(idxLabels(1, 2, 3)), gz(idxImages(2, 28, 28)), gz(idxLabels(4, 9))}
	for i, f := range Files {
		b := files[i]
		if o, ok := override[i]; ok {
			b = o
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadSynthetic(t *testing.T) {
	train, test, err := Load(writeSet(t, nil), false)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 3 || test.Len() != 2 || test.Labels[1] != 9 {
		t.Fatalf("got %d/%d examples, labels %v", train.Len(), test.Len(), test.Labels)
	}
	x := make([]float32, 2)
	Normalize(x, train.Raw[:2])
	if got, want := x[1], float32((7.0/255-Mean)/Std); got != want {
		t.Errorf("pixel 1 = %v, want %v", got, want)
	}
}

// Every corruption is an error naming the file and the problem.
func TestLoadRejectsCorruptFiles(t *testing.T) {
	good := gz(idxImages(3, 28, 28))
	trailing := append(idxImages(3, 28, 28), 0)
	for name, c := range map[string]struct {
		file int
		data []byte
		want string
	}{
		"truncated gzip":  {0, good[:len(good)/2], "corrupt gzip"},
		"not gzip":        {0, []byte("hello"), "not gzip"},
		"bad magic":       {1, gz(append([]byte{0, 0, 8, 3}, idxLabels(1, 2, 3)[4:]...)), "magic"},
		"wrong dims":      {0, gz(idxImages(3, 28, 27)), "28×27"},
		"truncated body":  {0, gz(idxImages(3, 28, 28)[:100]), "truncated"},
		"trailing data":   {0, gz(trailing), "trailing"},
		"label range":     {1, gz(idxLabels(1, 10, 3)), "not a digit"},
		"count mismatch":  {3, gz(idxLabels(4)), "1 labels for 2 images"},
		"empty":           {2, gz(nil), "shorter than"},
		"absurd count":    {2, gz(idxImages(0, 28, 28)), "claims 0 images"},
		"short label hdr": {1, gz([]byte{0, 0, 8, 1}), "shorter than"},
	} {
		_, _, err := Load(writeSet(t, map[int][]byte{c.file: c.data}), false)
		if err == nil || !strings.Contains(err.Error(), Files[c.file].Name) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %s and %q", name, err, Files[c.file].Name, c.want)
		}
	}
}

func TestLoadChecksAndMissing(t *testing.T) {
	dir := writeSet(t, nil)
	if _, _, err := Load(dir, true); err == nil || !strings.Contains(err.Error(), "SHA-256") {
		t.Errorf("verify on a non-canonical copy: %v", err)
	}
	os.Remove(filepath.Join(dir, Files[3].Name))
	if _, _, err := Load(dir, false); err == nil || !strings.Contains(err.Error(), Files[3].Name) {
		t.Errorf("missing file: %v", err)
	}
}

func TestLocateOverrides(t *testing.T) {
	if dir, canon, err := Locate("/x"); dir != "/x" || canon || err != nil {
		t.Errorf("flag: %q %v %v", dir, canon, err)
	}
	t.Setenv(DirEnv, "/y")
	if dir, canon, err := Locate(""); dir != "/y" || canon || err != nil {
		t.Errorf("env: %q %v %v", dir, canon, err)
	}
}

func FuzzParseImages(f *testing.F) {
	f.Add(idxImages(1, 28, 28))
	f.Add(idxImages(2, 28, 28)[:40])
	f.Fuzz(func(t *testing.T, b []byte) {
		pix, n, err := parseImages(b)
		if err == nil && (n < 1 || len(pix) != n*Pixels) {
			t.Fatalf("accepted %d images with %d bytes", n, len(pix))
		}
	})
}

func FuzzParseLabels(f *testing.F) {
	f.Add(idxLabels(1, 2, 9))
	f.Fuzz(func(t *testing.T, b []byte) {
		labels, err := parseLabels(b)
		if err != nil {
			return
		}
		for _, l := range labels {
			if l < 0 || l >= Classes {
				t.Fatalf("accepted label %d", l)
			}
		}
	})
}

// The one-FMA normalization is the study's formula, rounded once from
// float64, for every byte (kernels' TestAffineBytesIsGeneric holds every
// path to the same bits).
func TestNormalizeIsTheStudys(t *testing.T) {
	raw := make([]byte, 256+5)
	for i := range raw {
		raw[i] = byte(i)
	}
	x := make([]float32, len(raw))
	Normalize(x, raw)
	for i, v := range x {
		if want := float32((float64(raw[i])/255 - Mean) / Std); math.Float32bits(v) != math.Float32bits(want) {
			t.Fatalf("byte %d normalizes to %v, want %v", raw[i], v, want)
		}
	}
}
