package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is the module's version (devel for a build from a checkout),
// the commit and the Go version.
func version() string {
	v := "devel"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	return fmt.Sprintf("zofo harness %s, commit %s, %s", v, commit(), runtime.Version())
}
