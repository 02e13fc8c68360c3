# tetune: top-level entry points. CMake does the real work in build/.
#   make            build the CLI (build/tetune) and libtetune (static + shared)
#   make test       build and run the whole test suite (ctest)
#   make asan       build with AddressSanitizer + UBSan in build-asan/ and run the suite
#   make check      test + asan (what CI runs, via scripts/test.sh)
#   make install    install under PREFIX (default /usr/local)
PREFIX ?= /usr/local
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all configure test asan check install clean format

all: configure
	cmake --build $(BUILD) -j$(JOBS)

configure:
	@[ -f $(BUILD)/CMakeCache.txt ] || cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX)

test: all
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

asan:
	@[ -f build-asan/CMakeCache.txt ] || cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTT_SANITIZE=ON
	cmake --build build-asan -j$(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j$(JOBS) -LE slow

check: test asan

# Reconfigures with PREFIX so that the installed CLI finds its kernels and
# the pkg-config file names the right directories.
install:
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX)
	cmake --build $(BUILD) -j$(JOBS)
	cmake --install $(BUILD)

format:
	clang-format -i $$(find include src tests examples bench -name "*.[ch]" 2>/dev/null)

clean:
	rm -rf $(BUILD) build-asan
