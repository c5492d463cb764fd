package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/zofo/zofo/nn"
)

// writing is held (shared) by every write of a run's files, and taken
// whole by an interrupt, so that SIGINT or SIGTERM lands between writes.
var writing sync.RWMutex

// writeFile writes a run's file atomically, never cut by an interrupt.
func writeFile(path string, data []byte) error {
	writing.RLock()
	defer writing.RUnlock()
	return writeAtomic(path, data)
}

// saveModel is nn's Save, never cut by an interrupt.
func saveModel(m *nn.Sequential, path string) error {
	writing.RLock()
	defer writing.RUnlock()
	return m.Save(path)
}

// exitOnInterrupt makes SIGINT and SIGTERM wait for the write in progress,
// say that the sweep resumes when run again, and exit 130 or 143 (128 plus
// the signal, as a shell reports it).
func exitOnInterrupt(stderr io.Writer, cmd string) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		s := <-sig
		writing.Lock()
		code := 130
		if s == syscall.SIGTERM {
			code = 143
		}
		fmt.Fprintf(stderr, "harness %s: %v: stopped between writes; the same command resumes (finished runs are kept, the unfinished ones start over)\n", cmd, s)
		os.Exit(code)
	}()
}
