# zofo — see README.md. `make run` and `make test` are the two entry points.
GO       ?= go
BENCHOUT ?= results/bench
COUNT    ?= 6

.PHONY: run test test-short test-purego test-arm64 vet generate check-generate fuzz bench bench-openblas tools

run:
	$(GO) run ./harness selftest

test: check-generate vet test-short test-purego test-arm64 fuzz

test-short:
	$(GO) test -count=1 ./...

test-purego:
	$(GO) test -count=1 -tags purego ./...

# NEON under user-mode qemu (Debian qemu-user).
test-arm64:
	GOARCH=arm64 $(GO) test -count=1 -exec qemu-aarch64 ./kernels/...

vet:
	$(GO) vet ./...
	$(GO) vet -tags purego ./...
	GOARCH=arm64 $(GO) vet ./...
	GOARCH=arm64 $(GO) vet -tags purego ./...
	cd asm && $(GO) vet ./...

# Each avo generator writes one .s file and its Go stubs.
generate:
	cd asm && $(GO) run ./vector -out ../kernels/vector_amd64.s -stubs ../kernels/vector_stubs_amd64.go -pkg kernels
	cd asm && $(GO) run ./gemm -out ../kernels/gemm_amd64.s -stubs ../kernels/gemm_stubs_amd64.go -pkg kernels
	cd asm && $(GO) run ./rng -out ../kernels/rng_amd64.s -stubs ../kernels/rng_stubs_amd64.go -pkg kernels
	cd asm && $(GO) run ./neon -out ../kernels/neon_arm64.s
	gofmt -l kernels | (! grep .)

# CI fails when the committed generated files are not what the generators write.
check-generate: generate
	git diff --exit-code -- kernels/ || (echo "generated files are stale: run make generate and commit" >&2; exit 1)

# A brief run of every fuzz target; FUZZTIME=10m for a longer one.
FUZZTIME ?= 3s
fuzz:
	@for f in $$($(GO) test -list '^Fuzz' ./kernels/ | grep ^Fuzz); do \
		$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) ./kernels/ || exit 1; \
	done

bench:
	@mkdir -p $(BENCHOUT)
	$(GO) test -run '^$$' -bench . -count $(COUNT) ./kernels/ | tee $(BENCHOUT)/kernels.txt
	@echo "benchmark results written to $(BENCHOUT)/kernels.txt (compare two runs with: benchstat old.txt new.txt)"

bench-openblas:
	@mkdir -p $(BENCHOUT)
	$(GO) test -tags openblas -run '^$$' -bench . -count $(COUNT) ./kernels/ | tee $(BENCHOUT)/kernels-openblas.txt
	@echo "benchmark results written to $(BENCHOUT)/kernels-openblas.txt"
