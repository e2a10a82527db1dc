// Terminating signals, caught: a run or a study stops at its next check (the
// flag holds the signal's number), removes its temporary files and exits with
// 128 + the signal; a closed pipe only fails the write.
#pragma once

#include "sim/error.h"

namespace lclab::experiments {

// Installs the handlers (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM; SIGPIPE ignored)
// and returns the flag they set.
const sim::StopFlag* CatchSignals();

}  // namespace lclab::experiments
