module github.com/zofo/zofo/asm

go 1.26.0

require github.com/mmcloughlin/avo v0.5.0

require (
	github.com/zofo/zofo v0.0.0
	golang.org/x/mod v0.6.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
	golang.org/x/tools v0.2.0 // indirect
)

replace github.com/zofo/zofo => ../
