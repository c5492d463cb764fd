package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// lockName is the lock file in a run's directory: whoever holds it is the
// run's one writer.
const lockName = ".lock"

// lockPoll is how often a run waits to see whether its writer is gone.
var lockPoll = 2 * time.Second

// claim makes this process the run's one writer. If another process (or
// another job of this sweep) is writing the run, it says who and waits for
// it to finish or die; the caller then finds the run finished, or makes
// it again. release gives the directory up.
func claim(dir string, log io.Writer, tag string) (release func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, lockName)
	said := false
	for {
		f, busy, err := tryLock(path)
		if err != nil {
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if !busy {
			return func() {
				if f != nil {
					f.Close()
				}
			}, nil
		}
		if !said {
			a, _ := alive(dir, time.Now())
			fmt.Fprintf(log, "%s: another writer has it (pid %d on %q, started %s); waiting for it\n", tag, a.PID, a.Host,
				a.Started.Format(time.RFC3339))
			said = true
		}
		time.Sleep(lockPoll)
	}
}
