# Build id: the git commit (with -dirty) when built from a checkout, else "unknown".
execute_process(
  COMMAND git describe --always --dirty --abbrev=12
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
  OUTPUT_VARIABLE LCLAB_GIT_ID OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET RESULT_VARIABLE _lclab_git_rc)
if(NOT _lclab_git_rc EQUAL 0 OR LCLAB_GIT_ID STREQUAL "")
  set(LCLAB_GIT_ID "unknown")
endif()
set(LCLAB_BUILD_ID "${LCLAB_GIT_ID} ${CMAKE_CXX_COMPILER_ID}-${CMAKE_CXX_COMPILER_VERSION} ${CMAKE_BUILD_TYPE}")
configure_file(${CMAKE_SOURCE_DIR}/sim/version.h.in ${CMAKE_BINARY_DIR}/generated/lclab/version.h @ONLY)
