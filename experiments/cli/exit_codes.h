// Exit codes of the lclab command line (docs/config.md "Errors").
#pragma once

namespace lclab::experiments {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;       // the run failed (I/O, HDF5, memory)
inline constexpr int kExitConfig = 2;        // bad config or usage
inline constexpr int kExitSignal = 128;       // + the signal's number: stopped by a signal (130: SIGINT)

}  // namespace lclab::experiments
