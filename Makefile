# alb-webhook — one entry point for a fresh Debian 12 machine.
#   make run   install missing packages, build, create dev certificates, start the server
#   make test  install missing packages, build, run every test (unit + integration)

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

# Debian packages the build and the tests need (see README "Dependencies").
DEB_PACKAGES := cmake make g++ pkg-config libboost1.81-dev libssl-dev nlohmann-json3-dev \
                prometheus-cpp-dev libyaml-cpp-dev libgtest-dev libgmock-dev openssl curl \
                python3 python3-yaml prometheus

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build run test certs clean format image-rootfs

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

run: build certs/dev/tls.crt
	$(BUILD_DIR)/alb-webhook serve --cert-dir certs/dev --listen 0.0.0.0:9443 --metrics-listen 0.0.0.0:8080

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L 'unit|integration'

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD_DIR)

# The container's runtime file set (binary + exactly its shared libraries), proven to run chrooted.
image-rootfs: build
	deploy/image/rootfs.sh --force $(BUILD_DIR)/alb-webhook $(BUILD_DIR)/image-rootfs
