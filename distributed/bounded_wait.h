// The watchdog of every collective wait: polls until done, and gives up with PeerFailure after
// `timeout_seconds` or as soon as a stop signal is pending (under mpirun, a rank's death makes
// mpirun send SIGTERM to the others, then SIGKILL shortly after).
#pragma once
#include <functional>
#include <string>

namespace kasf::distributed {

struct WaitPolicy {
  double timeout_seconds = 600;
  std::function<int()> pending_signal;  // the stop signal received, 0 if none
};

// Calls `done` (which advances the operation) with short sleeps in between until it returns true.
void wait_bounded(const std::function<bool()>& done, const WaitPolicy& policy, int rank, const std::string& what);

}  // namespace kasf::distributed
