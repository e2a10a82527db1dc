# lclab: set-up, build, test and benchmark in one command each.
#   make run    install missing Debian packages, build (Release), run the quickstart
#   make test   the same set-up, then every test through ctest (labels: unit, statistical, examples, cli)
#   make bench  the same set-up, then the Google Benchmark suites and the throughput runs (one model, a study)
#   make build  the same set-up and the build only
#   make deps   check and install the Debian packages now (make build checks them only when a
#               package was added to scripts/install-deps.sh or nothing was built yet)
#   make mpi    the optional MPI build in build-mpi (installs Open MPI; docs/cluster.md)
#   make test-mpi  the MPI build, then its checks under mpirun (ctest -L mpi)
BUILD_DIR ?= build
JOBS ?= 2
CMAKE_FLAGS ?=
DEPS_STAMP := $(BUILD_DIR)/.deps-ok

MPI_BUILD_DIR ?= build-mpi

.PHONY: deps configure build run test test-unit bench mpi test-mpi clean

deps:
	@bash scripts/install-deps.sh
	@mkdir -p $(BUILD_DIR) && touch $(DEPS_STAMP)

# The package check runs once per build directory, and again when the package list changes.
$(DEPS_STAMP): scripts/install-deps.sh
	@bash scripts/install-deps.sh
	@mkdir -p $(BUILD_DIR) && touch $@

$(BUILD_DIR)/CMakeCache.txt: $(DEPS_STAMP)
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: $(BUILD_DIR)/CMakeCache.txt

build: configure
	cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	@mkdir -p results
	$(BUILD_DIR)/lclab run experiments/quickstart.toml --out results/quickstart.h5 --report

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

# The quick inner loop: the unit tests only (under a minute on 2 cores).
test-unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS) -L unit

bench: build
	$(BUILD_DIR)/bench/lclab_bench_step --benchmark_min_time=0.2
	$(BUILD_DIR)/bench/lclab_throughput --compare experiments/configs/lifecycle_programme.toml
	$(BUILD_DIR)/bench/lclab_study_throughput
	$(BUILD_DIR)/bench/lclab_bench_fit

# The MPI build: its own directory, so the default build stays MPI-free.
mpi:
	@bash scripts/install-deps.sh --mpi
	cmake -S . -B $(MPI_BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DLCLAB_MPI=ON -DLCLAB_BUILD_BENCHMARKS=OFF $(CMAKE_FLAGS)
	cmake --build $(MPI_BUILD_DIR) -j$(JOBS) --target lclab

test-mpi: mpi
	cd $(MPI_BUILD_DIR) && ctest --output-on-failure -L mpi

clean:
	rm -rf $(BUILD_DIR) $(MPI_BUILD_DIR)
