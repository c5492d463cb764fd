package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// attempt is attempt.json, written when a run starts: who is making it,
// so that `harness status` can tell a running entry from an abandoned one.
type attempt struct {
	Host     string    `json:"host"`
	PID      int       `json:"pid"`
	SlurmJob string    `json:"slurm_job,omitempty"` // array job _ task, when under Slurm
	Started  time.Time `json:"started"`
}

func newAttempt() attempt {
	host, _ := os.Hostname()
	a := attempt{Host: host, PID: os.Getpid(), Started: time.Now().UTC().Truncate(time.Second)}
	if job := os.Getenv("SLURM_ARRAY_JOB_ID"); job != "" {
		a.SlurmJob = job + "_" + os.Getenv("SLURM_ARRAY_TASK_ID")
	} else if job := os.Getenv("SLURM_JOB_ID"); job != "" {
		a.SlurmJob = job
	}
	return a
}

// staleAfter is how long a run on another host may go without writing a
// file before status calls it abandoned (longer than any epoch here).
const staleAfter = 30 * time.Minute

// alive reports whether the attempt recorded in dir is still going: its
// process exists (same host), or its files changed lately (another host).
func alive(dir string, now time.Time) (attempt, bool) {
	var a attempt
	b, err := os.ReadFile(filepath.Join(dir, "attempt.json"))
	if err != nil || json.Unmarshal(b, &a) != nil {
		return a, false
	}
	if host, _ := os.Hostname(); host == a.Host {
		err := syscall.Kill(a.PID, 0)
		return a, err == nil || errors.Is(err, syscall.EPERM)
	}
	return a, now.Sub(lastWrite(dir)) < staleAfter
}

// lastWrite is the latest modification time of a file in dir.
func lastWrite(dir string) time.Time {
	var last time.Time
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.ModTime().After(last) {
			last = info.ModTime()
		}
	}
	return last
}
