// What the machine offers a run: the memory available and the cores.
#pragma once

namespace lclab::sim {

// The memory this process can use, in bytes: what the kernel reports available, or the control
// group's limit less its use if that is lower; 0 if unknown.
double AvailableBytes();
// The hardware threads, at least 1.
int HardwareThreads();

}  // namespace lclab::sim
