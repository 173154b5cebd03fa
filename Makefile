# Students: `make check` (optionally EX=mpsc LANG=ocaml), `make watch` (optionally LANG=ocaml). The kit: `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := check

# LANG is also the locale variable: only a LANG given on the command line narrows the check.
ifeq ($(origin LANG),command line)
LANG_FLAG := --lang $(LANG)
override LANG := C.UTF-8
endif
EX ?=
FEARLESS := target/debug/fearless

.PHONY: deps test-deps build check watch test test-rust test-ocaml bench-grade

deps:
	@bash .ci/install-deps student

test-deps:
	@bash .ci/install-deps test

build:
	@cargo build --quiet -p fearless

check: deps build
	@$(FEARLESS) check $(EX) $(LANG_FLAG)

watch: deps build
	@$(FEARLESS) watch $(LANG_FLAG)

test: test-deps
	$(MAKE) test-rust test-ocaml

test-rust:
	cargo build --quiet -p fearless
	INSTA_UPDATE=no CI=true cargo test -p fearless --no-fail-fast

test-ocaml:
	cd ocaml && timeout 600 dune build --root . @runtest

# Seconds per submission for `fearless grade`, cold and warm, --jobs 1 and 2 (N=12 submissions).
bench-grade: deps build
	@bash .ci/bench-grade
