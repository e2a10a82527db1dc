#include "experiments/cli/signals.h"

#include <csignal>

namespace lclab::experiments {
namespace {

sim::StopFlag g_signal{0};
extern "C" void OnSignal(int signal) {
  int none = 0;
  g_signal.compare_exchange_strong(none, signal);  // the first signal is the one reported
}

}  // namespace

const sim::StopFlag* CatchSignals() {
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM}) std::signal(s, OnSignal);
  std::signal(SIGPIPE, SIG_IGN);
  return &g_signal;
}

}  // namespace lclab::experiments
