// Package mnist loads the MNIST digits from the four canonical IDX files,
// validates them completely before returning anything, and serves
// normalized, seeded, shuffled mini-batches.
package mnist

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/zofo/zofo/kernels"
	"os"
	"path/filepath"
)

// Normalization of the reference study (torchvision's MNIST mean and std).
const (
	Mean = 0.1307
	Std  = 0.3081
)

// Pixels is the length of one image; Classes the number of labels.
const (
	Pixels  = pixels
	Classes = classes
)

// Set is one split: Raw holds Len()×Pixels pixel bytes, row-major, as the
// IDX file stores them; Normalize makes them the model's inputs. Kept as
// bytes, a shuffled batch reads a quarter of the memory float32 would
// (the gather waited on memory: 14% of a ZO step on MyNet).
type Set struct {
	Raw    []byte
	Labels []int32
}

// Len is the number of examples.
func (s *Set) Len() int { return len(s.Labels) }

// Head returns the first n examples (all of them if n ≤ 0 or n ≥ Len),
// sharing memory with s: the --train-limit option.
func (s *Set) Head(n int) *Set {
	if n <= 0 || n >= s.Len() {
		return s
	}
	return &Set{Raw: s.Raw[:n*Pixels], Labels: s.Labels[:n]}
}

// Files are the canonical names, and the SHA-256 of the copies in the
// GoMNIST module's data folder.
var Files = []struct{ Name, SHA256 string }{
	{"train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"},
	{"train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"},
	{"t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"},
	{"t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"},
}

// Load reads the training and test sets from dir. With verify set, each
// file must also have the canonical checksum (use it for the default copy;
// a user's own directory may hold a re-compressed copy).
func Load(dir string, verify bool) (train, test *Set, err error) {
	raw := make([][]byte, len(Files))
	for i, f := range Files {
		path := filepath.Join(dir, f.Name)
		if raw[i], err = readRegular(path); err != nil {
			return nil, nil, fmt.Errorf("mnist: %w", err)
		}
		if sum := sha256.Sum256(raw[i]); verify && hex.EncodeToString(sum[:]) != f.SHA256 {
			return nil, nil, fmt.Errorf("mnist: %s: SHA-256 %x, want %s", path, sum, f.SHA256)
		}
	}
	if train, err = decode(dir, raw[0], raw[1], 0); err != nil {
		return nil, nil, err
	}
	if test, err = decode(dir, raw[2], raw[3], 2); err != nil {
		return nil, nil, err
	}
	if train.Len() <= test.Len() { // MNIST's are 60,000 and 10,000
		return nil, nil, fmt.Errorf("mnist: %s: %d training and %d test examples: the training files hold fewer; are the train and t10k files swapped?",
			dir, train.Len(), test.Len())
	}
	return train, test, nil
}

// readRegular reads a regular file whole; anything else (a FIFO, which
// would block, a device, a directory) is an error naming it.
func readRegular(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (%v)", path, st.Mode().Type())
	}
	return os.ReadFile(path)
}

// decode parses one split, naming the file at fault in every error.
func decode(dir string, images, labels []byte, first int) (*Set, error) {
	fail := func(i int, err error) error {
		return fmt.Errorf("mnist: %s: %w", filepath.Join(dir, Files[first+i].Name), err)
	}
	b, err := gunzip(images)
	if err != nil {
		return nil, fail(0, err)
	}
	pix, n, err := parseImages(b)
	if err != nil {
		return nil, fail(0, err)
	}
	if b, err = gunzip(labels); err != nil {
		return nil, fail(1, err)
	}
	lab, err := parseLabels(b)
	if err != nil {
		return nil, fail(1, err)
	}
	if len(lab) != n {
		return nil, fail(1, fmt.Errorf("%d labels for %d images", len(lab), n))
	}
	return &Set{Raw: pix, Labels: lab}, nil
}

// scale and offset make (p/255 − Mean)/Std one FMA, p·scale + offset: for
// every byte p it rounds to the float32 of the study's formula, computed
// in float64 (TestNormalizeIsTheStudys checks all 256).
const (
	scale  = 1 / (255 * Std)
	offset = -Mean / Std
)

// Normalize sets dst[i] to raw[i]'s normalized value, (p/255 − Mean)/Std
// rounded once to float32.
func Normalize(dst []float32, raw []byte) { kernels.AffineBytes(dst, raw, scale, offset) }
