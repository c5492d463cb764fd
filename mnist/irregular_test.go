//go:build unix

package mnist

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Train and test files swapped are caught by their counts; a file that is
// not a regular one (a FIFO would block the read) is refused by name.
func TestLoadRejectsSwappedAndIrregularFiles(t *testing.T) {
	swapped := writeSet(t, map[int][]byte{0: gz(idxImages(2, 28, 28)), 1: gz(idxLabels(4, 9)),
		2: gz(idxImages(3, 28, 28)), 3: gz(idxLabels(1, 2, 3))})
	if _, _, err := Load(swapped, false); err == nil || !strings.Contains(err.Error(), "swapped") {
		t.Errorf("swapped train and test: %v", err)
	}
	dir := writeSet(t, nil)
	fifo := filepath.Join(dir, Files[2].Name)
	os.Remove(fifo)
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	if _, _, err := Load(dir, false); err == nil || !strings.Contains(err.Error(), "not a regular file") || !strings.Contains(err.Error(), Files[2].Name) {
		t.Errorf("a FIFO as %s: %v", Files[2].Name, err)
	}
}
