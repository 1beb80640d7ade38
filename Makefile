# The one front door.  "make help" lists the targets.
SHELL := /bin/bash
TARGET ?= i386
TARGETS ?= um x86_64 i386
# make bench TARGETS=... picks its targets; its default is i386 x86_64
BENCH_TARGETS = $(if $(filter command line,$(origin TARGETS)),$(TARGETS))

.PHONY: help run test test-all test-upstream bench tree build vm kunit check series check-bisect cross-arm clean

help:
	@echo "make run              build the patched i386 HIGHMEM kernel, boot it, show it working"
	@echo "make test             the test command: static checks, KUnit on UML, x86_64 and i386 VMs"
	@echo "make test TARGETS=..  the same for some targets (um x86_64 i386 i386-pae)"
	@echo "make test-all         make test on every target, i386-pae and i386-rt (PREEMPT_RT) included"
	@echo "make test-upstream    upstream exec/ptrace kselftests, patched vs unpatched kernel"
	@echo "make bench            unpatched vs patched kernels (i386, x86_64) under perf: out/bench/"
	@echo "                      (as root) both clocks (icount, wall), ROUNDS=2 boots of each kernel, ABBA"
	@echo "make bench QUICK=1    the same, i386 only, icount only, one boot, one repetition, smaller sizes"
	@echo "make bench TARGETS=.. WORKLOADS=.. REPS=N ROUNDS=N KERNELS=patched CLOCK=icount|wall PSE=1"
	@echo "                      some of it (scripts/bench.sh --list; PSE=1: i386 guests keep PSE)"
	@echo "make tree             prepare the kernel work tree and print its path"
	@echo "make build TARGET=t   build one target's kernel (x86_64 i386 i386-pae)"
	@echo "make vm TARGET=t      boot one built target and run its tests"
	@echo "make kunit            KUnit on UML only"
	@echo "make check            static gate: series export, git am, checkpatch --strict"
	@echo "make series           export the series with a cover letter to out/series/"
	@echo "make check-bisect     build every commit of the series for x86_64 and i386"
	@echo "make cross-arm        cross-build for 32-bit arm HIGHMEM (generic sf_buf code)"
	@echo "make clean            remove out/ (logs, exported series); keeps the kernel cache"

run:
	@scripts/run.sh $(TARGET)

test:
	@scripts/test.sh $(TARGETS)

test-all:
	@scripts/test.sh um x86_64 i386 i386-pae i386-rt

test-upstream:
	@scripts/upstream.sh

bench:
	@QUICK="$(QUICK)" WORKLOADS="$(WORKLOADS)" REPS="$(REPS)" ROUNDS="$(ROUNDS)" KERNELS="$(KERNELS)" CLOCK="$(CLOCK)" PSE="$(PSE)" scripts/bench.sh $(BENCH_TARGETS)

tree:
	@scripts/tree.sh

build:
	@scripts/build.sh $(TARGET)

vm:
	@scripts/vm.sh $(TARGET)

kunit:
	@scripts/kunit-um.sh

check:
	@scripts/check.sh

series:
	@scripts/series.sh

check-bisect:
	@scripts/check-bisect.sh

cross-arm:
	@scripts/cross-arm.sh

clean:
	rm -rf out
