#include "reporting/peak_memory.h"

#include <sys/resource.h>

namespace kasf {

double peak_resident_gb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / (1024.0 * 1024.0);  // ru_maxrss is in KiB on Linux
}

}  // namespace kasf
