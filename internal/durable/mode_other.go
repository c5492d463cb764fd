//go:build !unix

package durable

// fileMode is what os.Create gives a file where there is no umask.
const fileMode = 0o666
