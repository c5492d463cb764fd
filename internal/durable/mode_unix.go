//go:build unix

package durable

import (
	"io/fs"
	"syscall"
)

// fileMode is 0666 less the umask, read once while the program starts
// (syscall.Umask sets it too, so it is put back at once).
var fileMode = func() fs.FileMode {
	mask := syscall.Umask(0o022)
	syscall.Umask(mask)
	return fs.FileMode(0o666 &^ mask)
}()
