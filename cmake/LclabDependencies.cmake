# Finds lclab's third-party dependencies. scripts/install-deps.sh installs
# them on Debian; see README.md for other systems.
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS program_options)
find_package(HDF5 1.10 REQUIRED COMPONENTS C)
find_package(PkgConfig REQUIRED)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus>=3.0)
pkg_check_modules(NLOPT REQUIRED IMPORTED_TARGET nlopt>=2.6)

if(LCLAB_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(LCLAB_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
