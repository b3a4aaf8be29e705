# kcache: the two commands a newcomer needs are `make demo` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
# ccache (when installed) keys objects by paths relative to the checkout, so a fresh clone
# reuses what an earlier one compiled.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all build deps test unit e2e demo demo-down clean

all: build

deps:
	bash .ci/install-deps

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

e2e: build
	bash test/e2e/run.sh

test: deps build
	bash test/run-all.sh

demo: deps build
	bash test/cluster/demo.sh

demo-down:
	bash test/cluster/demo.sh down

clean:
	rm -rf $(BUILD)
