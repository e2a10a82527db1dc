// Function multi-versioning for the few loops whose speed is their vector width.
//
// LCLAB_WIDEST_VECTORS before a function's definition compiles it twice on x86-64 with GCC or Clang:
// for x86-64-v4 (AVX-512 with its VL, DQ and BW extensions) and for the portable baseline. The
// loader picks the version once, from what the processor has. Use it only where every version
// computes the same bits: integer arithmetic, or float comparisons (no reassociated sums).
#pragma once

#if defined(__x86_64__) && defined(__GNUC__)
#define LCLAB_WIDEST_VECTORS __attribute__((target_clones("arch=x86-64-v4", "default")))
#else
#define LCLAB_WIDEST_VECTORS
#endif
