package nn

import (
	"bufio"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/zofo/zofo/mnist"
)

// README's PyTorch definitions load each model's .npz and give zofo's
// logits (evaluation mode) on the same images, to float32 rounding.
func TestReadmePyTorchSnippet(t *testing.T) {
	const py = "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import torch, numpy").Run(); err != nil {
		t.Skipf("%s cannot import torch and numpy (Debian: apt-get install python3-torch python3-numpy): %v", py, err)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "```python\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("README.md has no python block")
	}
	dir := t.TempDir()
	const rows = 5
	raw := make([]byte, rows*mnist.Pixels)
	for i := range raw {
		raw[i] = byte(i * 7919 % 256)
	}
	os.WriteFile(filepath.Join(dir, "images.bin"), raw, 0o644)
	mlp, _ := NewMyNet(0.5, 7)
	models := map[string]*Sequential{"mynet(0.5)": mlp, "ConvNet()": NewConvNet(7), "MyNetPlus()": NewMyNetPlus(7)}
	script := block + `
import sys
images = numpy.fromfile(sys.argv[1], dtype=numpy.uint8).reshape(-1, 784)
with torch.no_grad():
    for make, path in zip(sys.argv[2::2], sys.argv[3::2]):
        model = load(eval(make), path)
        x = normalize(images)
        out = model(x.flatten(1) if make.startswith("mynet") else x)
        print(make, " ".join(repr(float(v)) for v in out.flatten()))
`
	args := []string{"-c", script, filepath.Join(dir, "images.bin")}
	x := make([]float32, len(raw))
	mnist.Normalize(x, raw)
	want := map[string][]float32{}
	for name, m := range models {
		path := filepath.Join(dir, strings.Trim(name, "()0.5")+".npz")
		if err := m.Save(path); err != nil {
			t.Fatal(err)
		}
		args = append(args, name, path)
		want[name] = append([]float32(nil), m.Forward(x, rows, false)...)
	}
	out, err := exec.Command(py, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("README's snippet: %v\n%s", err, out)
	}
	seen := 0
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		name, values, _ := strings.Cut(sc.Text(), " ")
		w, ok := want[name]
		if !ok {
			continue
		}
		seen++
		got := strings.Fields(values)
		if len(got) != len(w) {
			t.Fatalf("%s: %d logits from PyTorch, %d from zofo", name, len(got), len(w))
		}
		for i, g := range got {
			v, _ := strconv.ParseFloat(g, 64)
			if math.Abs(v-float64(w[i])) > 1e-4*math.Max(1, math.Abs(float64(w[i]))) {
				t.Errorf("%s: logit %d is %v in PyTorch, %v in zofo", name, i, v, w[i])
				break
			}
		}
	}
	if seen != len(models) {
		t.Fatalf("PyTorch printed %d models, want %d:\n%s", seen, len(models), out)
	}
}
