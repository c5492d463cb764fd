module github.com/zofo/zofo

go 1.26.0

require (
	github.com/klauspost/cpuid/v2 v2.4.2 // indirect
	golang.org/x/perf v0.0.0-20260908200009-22c9c6c9d4da // indirect
	golang.org/x/sys v0.48.0 // indirect
	gonum.org/v1/gonum v0.17.0 // indirect
)
