# zofo — see README.md. `make run` and `make test` are the two entry points.
GO        ?= go
BENCHOUT  ?= results/bench
COUNT     ?= 6
BENCHTIME ?= 0.5s
# OpenBLAS's own CPU detection: this image pins OPENBLAS_CORETYPE=Haswell for
# older builds; the benchmark drops both variables for its one command and
# records the core OpenBLAS then chose (openblas-core in the output).
NOBLASENV = env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE

.PHONY: run results deps soak test test-long test-short test-purego test-arm64 test-openblas test-slurm vet generate check-generate fuzz bench bench-openblas bench-pytorch

# The main job, on embedded defaults: FO-SGD vs ZO-SGD on MyNet for a few
# epochs (results and figures under runs/default), then the kernel
# self-report.
run:
	$(GO) run ./harness run --epochs 3 --out runs/default
	$(GO) run ./harness plot runs/default
	$(GO) run ./harness selftest

# The whole study: every experiment, then figures and the report (the
# study's own CSVs, results/reference, beside the runs of the same
# setting), into results/study. Two runs at a time, one thread each: two
# two-thread runs on the two cores were 12% slower (their workers spin
# while the other run holds the core).
REFERENCE ?= results/reference
results:
	$(GO) run ./harness run --exp all --jobs 2 --threads 1 --out results/study
	$(GO) run ./harness plot results/study --reference $(REFERENCE)
	$(GO) run ./harness report results/study --reference $(REFERENCE) --csv results/study/runs.csv

test: deps check-generate vet test-short test-purego test-arm64 test-openblas fuzz test-slurm

# Debian packages the tests use, installed when run as root with apt-get;
# otherwise listed, and each part without its package skips saying so.
deps:
	@scripts/deps.sh

test-short:
	$(GO) test -count=1 ./...

# The pure-Go kernels under every package that computes with them; the
# harness's own tests (sweeps, files, signals) gain nothing from a slower
# path and run in test-short.
test-purego:
	$(GO) test -count=1 -tags purego ./kernels/... ./mnist/... ./nn/... ./optim/... ./train/... ./internal/...

# Long training runs on the full MNIST, each asserting the accuracy it reaches (several minutes).
test-long:
	ZOFO_LONG=1 $(GO) test -count=1 -v -timeout 60m -run Long ./train/

# NEON under user-mode qemu (Debian qemu-user), and the arm64 generic path.
test-arm64:
	@if ! command -v qemu-aarch64 >/dev/null; then echo "test-arm64: skipped, no qemu-aarch64 (Debian: apt-get install qemu-user)"; else \
	GOARCH=arm64 $(GO) test -count=1 -exec qemu-aarch64 ./kernels/... && \
	GOARCH=arm64 $(GO) test -count=1 -tags purego -exec qemu-aarch64 ./kernels/...; fi

# Two sweeps on one folder, killed with SIGKILL at random 20 times
# (ZOFO_SOAK_KILLS), resumed, then compared byte for byte with an
# uninterrupted sweep. Minutes; not part of make test.
soak:
	$(GO) test -count=1 -tags soak -run Soak -v -timeout 30m ./harness/

# A real one-node Slurm (Debian's slurm-wlm and munge, installed if
# missing) runs a sweep as a job array; skipped, saying so, without root.
test-slurm:
	$(GO) test -count=1 -tags slurm -run TestSlurmArray -v -timeout 15m ./harness/

# The OpenBLAS baseline must compute what we compute (Debian libopenblas-dev).
test-openblas:
	@if ! { ls /usr/lib/*/libopenblas.so || ls /usr/lib/libopenblas.so; } >/dev/null 2>&1; then \
	echo "test-openblas: skipped, no libopenblas.so (Debian: apt-get install libopenblas-dev)"; else \
	$(NOBLASENV) $(GO) test -count=1 -tags openblas -run OpenBLAS ./kernels/ && \
	$(NOBLASENV) $(GO) test -count=1 -tags openblas ./internal/openblas/...; fi

vet:
	$(GO) vet ./...
	$(GO) vet -tags purego ./...
	GOARCH=arm64 $(GO) vet ./...
	GOARCH=arm64 $(GO) vet -tags purego ./...
	$(GO) vet -tags openblas ./kernels/ ./internal/openblas/...
	$(GO) vet -tags slurm ./harness/
	$(GO) vet -tags soak ./harness/
	cd asm && $(GO) vet ./... && $(GO) test -count=1 ./...

# Each avo generator writes one .s file and its Go stubs.
generate:
	cd asm && $(GO) run ./vector -out ../kernels/vector_amd64.s -stubs ../kernels/vector_stubs_amd64.go -pkg kernels
	cd asm && $(GO) run ./gemm -out ../kernels/gemm_amd64.s -stubs ../kernels/gemm_stubs_amd64.go -pkg kernels
	cd asm && $(GO) run ./rng -out ../kernels/rng/rng_amd64.s -stubs ../kernels/rng/rng_stubs_amd64.go -pkg rng
	cd asm && $(GO) run ./neon -out ../kernels/neon_arm64.s -rng ../kernels/rng/neon_arm64.s
	gofmt -l kernels | (! grep .)

# CI fails when the committed generated files are not what the generators write.
check-generate: generate
	git diff --exit-code -- kernels/ || (echo "generated files are stale: run make generate and commit" >&2; exit 1)

# A brief run of every fuzz target: a count of inputs, not a duration. Go
# 1.26's fuzz coordinator can fail a target with a bare "context deadline
# exceeded" when a duration runs out while a worker is mid-input
# (go.dev/issue/75804, fixed in Go 1.27); a count sets no deadline. It broke
# CI once (FuzzDirection, no failing input). FUZZTIME=10m for a longer run.
FUZZTIME ?= 30000x
FUZZPKGS ?= ./kernels/ ./kernels/rng/ ./mnist/
fuzz:
	@for p in $(FUZZPKGS); do \
		for f in $$($(GO) test -list '^Fuzz' $$p | grep ^Fuzz); do \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$p || exit 1; \
		done; \
	done

# Go benchmark format, COUNT samples each; the file is written whole at the
# end (temporary file + rename), so an interrupted run leaves no half file.
bench:
	@mkdir -p $(BENCHOUT)
	$(GO) test -run '^$$' -bench . -benchtime $(BENCHTIME) -count $(COUNT) ./kernels/... > $(BENCHOUT)/kernels.txt.tmp
	mv $(BENCHOUT)/kernels.txt.tmp $(BENCHOUT)/kernels.txt
	$(GO) tool benchstat -col /impl -filter '.unit:(sec/op OR flop/s OR params/s)' $(BENCHOUT)/kernels.txt
	@echo "benchmark results written to $(BENCHOUT)/kernels.txt (compare two runs: go tool benchstat old.txt new.txt)"
	$(GO) run ./harness bench --scale 0.25,0.5,1,2 --count $(COUNT) --out $(BENCHOUT)/epochs

# The OpenBLAS core the races give OpenBLAS and PyTorch (whose BLAS it is):
# the fastest on this CPU, of OpenBLAS's own choice and the cores the CPU
# can run, among those that compute zofo's products right. It prints its
# table; -detected names OpenBLAS's own choice. Where the two differ, the
# races run the detected core too, beside the best.
BESTCORE = $(NOBLASENV) $(GO) run -tags openblas ./internal/openblas/bestcore
PICKCORES = best=$$($(BESTCORE)) && detected=$$($(BESTCORE) -detected) || exit 1

# zofo against PyTorch (Debian's python3-torch, CPU): the same MyNet epochs,
# FO-SGD with backprop and MeZO-style ZO-SGD (Gaussian directions, as
# MeZO), at 1 and 2 threads, in one benchstat table per thread count;
# PyTorch on its best OpenBLAS core (impl=pytorch) and, where that is not
# OpenBLAS's own choice, on the detected one too (impl=pytorch-detected).
RACE := $(BENCHOUT)/race
RACEFLAGS := --scale 0.25,0.5,1,2 --opt fo-sgd,zo-sgd --dist gaussian --count $(COUNT)
PYRACE = /usr/bin/python3 scripts/pytorch_bench.py --scales 0.25,0.5,1,2 --threads 1,2 --count $(COUNT)
bench-pytorch:
	@mkdir -p $(RACE)
	rm -f $(RACE)/pytorch-detected.txt
	$(GO) run ./harness bench $(RACEFLAGS) --threads 1 --out $(RACE)/zofo-t1
	$(GO) run ./harness bench $(RACEFLAGS) --threads 2 --out $(RACE)/zofo-t2
	$(PICKCORES); \
	$(NOBLASENV) OPENBLAS_CORETYPE=$$best $(PYRACE) --out $(RACE)/pytorch.txt || exit 1; \
	if [ "$$best" != "$$detected" ]; then \
		$(NOBLASENV) $(PYRACE) --impl pytorch-detected --out $(RACE)/pytorch-detected.txt || exit 1; \
	fi
	$(GO) tool benchstat -ignore cpu,commit,kernels,go,torch,openblas-core -col /impl -filter '.unit:(sec/epoch OR accuracy)' \
		$(RACE)/zofo-t1/bench.txt $(RACE)/zofo-t2/bench.txt $(RACE)/pytorch*.txt | tee $(RACE)/benchstat.txt

# Our GEMM against OpenBLAS on its best core (kernels-openblas.txt) and,
# where that is not OpenBLAS's own choice, the GEMMs on the detected core
# too (kernels-openblas-detected.txt). openblas-core in each file names the
# core that ran.
BLASBENCH = $(GO) test -tags openblas -run '^$$' -benchtime $(BENCHTIME) -count $(COUNT) ./kernels/
bench-openblas:
	@mkdir -p $(BENCHOUT)
	rm -f $(BENCHOUT)/kernels-openblas-detected.txt
	$(PICKCORES); \
	$(NOBLASENV) OPENBLAS_CORETYPE=$$best $(BLASBENCH) -bench . > $(BENCHOUT)/kernels-openblas.txt.tmp || exit 1; \
	mv $(BENCHOUT)/kernels-openblas.txt.tmp $(BENCHOUT)/kernels-openblas.txt; \
	if [ "$$best" != "$$detected" ]; then \
		$(NOBLASENV) $(BLASBENCH) -bench Gemm > $(BENCHOUT)/kernels-openblas-detected.txt.tmp || exit 1; \
		mv $(BENCHOUT)/kernels-openblas-detected.txt.tmp $(BENCHOUT)/kernels-openblas-detected.txt; \
	fi
	$(GO) tool benchstat -col /impl -filter '.unit:flop/s' $(BENCHOUT)/kernels-openblas.txt
	@echo "benchmark results written to $(BENCHOUT)/kernels-openblas*.txt"
