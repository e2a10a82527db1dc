// Function multi-versioning for the few loops whose speed is their vector width.
//
// LCLAB_WIDEST_VECTORS before a function's definition compiles it twice on x86-64 (GCC, Clang >= 18):
// for x86-64-v4 (AVX-512 with its VL, DQ and BW extensions) and for the portable baseline. The
// loader picks the version once, from what the processor has. Use it only where every version
// computes the same bits: integer arithmetic, or float comparisons (no reassociated sums).
#pragma once

// GCC 12 handles target_clones with `arch=`; Clang before 18 is reported to pick the wrong version at
// run time (LLVM issue 55830), so it compiles the baseline only.
#if defined(__x86_64__) && defined(__GNUC__) && (!defined(__clang__) || __clang_major__ >= 18)
#define LCLAB_WIDEST_VECTORS __attribute__((target_clones("arch=x86-64-v4", "default")))
#else
#define LCLAB_WIDEST_VECTORS
#endif
