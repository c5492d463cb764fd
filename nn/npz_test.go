package nn

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// roundTrip saves a, loads the file into b, checks every parameter and
// returns the path.
func roundTrip(t *testing.T, a, b *Sequential) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "w.npz")
	if err := a.Save(path); err != nil {
		t.Fatal(err)
	}
	if err := b.Load(path); err != nil {
		t.Fatal(err)
	}
	for i, v := range a.Params().Data {
		if b.Params().Data[i] != v {
			t.Fatalf("%s: param %d: %v after load, want %v", a.Name, i, b.Params().Data[i], v)
		}
	}
	return path
}

func TestSaveLoadRoundTrip(t *testing.T) {
	a, _ := NewMyNet(0.5, 1)
	b, _ := NewMyNet(0.5, 2)
	path := roundTrip(t, a, b)
	wrong, _ := NewMyNet(1, 1)
	if err := wrong.Load(path); err == nil || !strings.Contains(err.Error(), "fc1.weight has shape [64 784], want [128 784]") {
		t.Errorf("loading into a wrong shape: %v", err)
	}
	if err := b.Load(filepath.Join(t.TempDir(), "missing.npz")); err == nil {
		t.Error("loading a missing file succeeded")
	}
}

// numpy reads our file with PyTorch's names, shapes and layout: fc1.weight
// is [out, in], so row o is output unit o's weights.
func TestNumpyReadsSave(t *testing.T) {
	py := "/usr/bin/python3" // Debian's interpreter has python3-numpy (CI installs it)
	if err := exec.Command(py, "-c", "import numpy").Run(); err != nil {
		t.Skipf("no numpy for %s: %v", py, err)
	}
	m, _ := NewMyNet(0.25, 4)
	path := filepath.Join(t.TempDir(), "w.npz")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	script := `import numpy, sys
d = numpy.load(sys.argv[1])
print(" ".join("%s:%s" % (k, "x".join(map(str, d[k].shape))) for k in sorted(d.files)))
print(repr(float(d["fc1.weight"][5, 300])), repr(float(d["fc3.bias"][9])))`
	out, err := exec.Command(py, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("numpy: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if lines[0] != "fc1.bias:32 fc1.weight:32x784 fc2.bias:16 fc2.weight:16x32 fc3.bias:10 fc3.weight:10x16" {
		t.Errorf("numpy sees %s", lines[0])
	}
	w := m.Params().View(0)[300*32+5] // ours is [in, out]
	b := m.Params().View(5)[9]
	if want := formatPy(w) + " " + formatPy(b); lines[1] != want {
		t.Errorf("numpy values %s, want %s", lines[1], want)
	}
	os.Remove(path)
}

// formatPy prints a float32 as Python's repr of the same float64.
func formatPy(v float32) string {
	out, _ := exec.Command("/usr/bin/python3", "-c", "import sys; print(repr(float(sys.argv[1])))", strconvF(v)).Output()
	return strings.TrimSpace(string(out))
}

func strconvF(v float32) string { return strconv.FormatFloat(float64(v), 'g', -1, 64) }

// The CNNs export PyTorch shapes, and a save/load round trip through the
// permuted layouts is exact.
func TestCNNSaveLoad(t *testing.T) {
	for _, mk := range []func(uint64) *Sequential{NewConvNet, NewMyNetPlus} {
		roundTrip(t, mk(1), mk(2))
	}
	shapes := map[string][]int{}
	for _, tn := range NewMyNetPlus(1).Params().Tensors {
		shapes[tn.Name] = tn.Shape
	}
	if s := shapes["features.2.weight"]; len(s) != 4 || s[0] != 20 || s[1] != 10 || s[2] != 5 {
		t.Errorf("features.2.weight shape %v, want [20 10 5 5]", s)
	}
	if s := shapes["classifier.0.weight"]; s[0] != 50 || s[1] != 320 {
		t.Errorf("classifier.0.weight shape %v, want [50 320]", s)
	}
}
