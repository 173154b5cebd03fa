# Students: `make check` (optionally EX=mpsc LANG=ocaml), `make watch` (optionally LANG=ocaml).
# The kit's Makefile includes this file; `fearless classroom` hands it out as a course's Makefile.
SHELL := /bin/bash
.DEFAULT_GOAL := check

# LANG is also the locale variable: only a LANG given on the command line narrows the check.
ifeq ($(origin LANG),command line)
LANG_FLAG := --lang $(LANG)
override LANG := C.UTF-8
endif
EX ?=
# Where cargo puts the kit's binary: its target folder, moved by CARGO_TARGET_DIR.
FEARLESS := $(or $(CARGO_TARGET_DIR),target)/debug/fearless

.PHONY: deps build check watch

deps:
	@bash .ci/install-deps student

build:
	@[ -x $(FEARLESS) ] || echo "fearless: building the kit (only the first time; a few minutes)" >&2
	@cargo build --quiet -p fearless

check: deps build
	@$(FEARLESS) check $(EX) $(LANG_FLAG)

watch: deps build
	@$(FEARLESS) watch $(LANG_FLAG)
