# lclab: set-up, build, test and benchmark in one command each.
#   make run    install missing Debian packages, build (Release), run the quickstart
#   make test   the same set-up, then every test through ctest
#   make bench  the same set-up, then the Google Benchmark suites and the throughput run
#   make build  the same set-up and the build only
BUILD_DIR ?= build
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: deps configure build run test bench clean

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: deps $(BUILD_DIR)/CMakeCache.txt

build: configure
	cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	@mkdir -p results
	$(BUILD_DIR)/lclab run experiments/quickstart.toml --out results/quickstart.h5

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

bench: build
	$(BUILD_DIR)/bench/lclab_bench_step --benchmark_min_time=0.2
	$(BUILD_DIR)/bench/lclab_throughput --compare experiments/configs/lifecycle_programme.toml

clean:
	rm -rf $(BUILD_DIR)
