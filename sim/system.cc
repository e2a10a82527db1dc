#include "sim/system.h"

#include <fstream>
#include <string>
#include <thread>

namespace lclab::sim {

double AvailableBytes() {
  double available = 0;
  std::ifstream meminfo("/proc/meminfo");
  for (std::string key; meminfo >> key;) {
    double kib = 0;
    std::string unit;
    meminfo >> kib >> unit;
    if (key == "MemAvailable:") available = kib * 1024;
  }
  std::ifstream max("/sys/fs/cgroup/memory.max"), current("/sys/fs/cgroup/memory.current");
  std::string limit;
  double used = 0;
  if (max >> limit && limit != "max" && current >> used) {
    const double left = std::stod(limit) - used;
    if (available == 0 || left < available) available = left;
  }
  return available;
}

int HardwareThreads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? static_cast<int>(n) : 1;
}

}  // namespace lclab::sim
