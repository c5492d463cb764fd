package main

import (
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/klauspost/cpuid/v2"

	"github.com/zofo/zofo/internal/host"
	"github.com/zofo/zofo/kernels"
)

// Environment is what config.json records about where a run ran.
type Environment struct {
	Commit      string   `json:"commit"`
	GoVersion   string   `json:"go_version"`
	CPU         string   `json:"cpu"`
	CPUID       host.CPU `json:"cpu_id"`
	CPUFeatures []string `json:"cpu_features"`
	KernelPath  string   `json:"kernel_path"`
	Threads     int      `json:"threads"`
}

// Config is config.json: every setting of the run and its environment.
type Config struct {
	Spec        Spec        `json:"spec"`
	Environment Environment `json:"environment"`
}

func newEnvironment(threads int) Environment {
	return Environment{Commit: commit(), GoVersion: runtime.Version(), CPU: cpuid.CPU.BrandName,
		CPUID: host.This(), CPUFeatures: cpuid.CPU.FeatureSet(), KernelPath: kernels.Active().String(), Threads: threads}
}

// commit is the VCS revision stamped into the binary, or else the one git
// reports for the working directory (go run does not stamp), or "unknown".
func commit() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				return s.Value
			}
		}
	}
	out, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}
