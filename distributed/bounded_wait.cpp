#include "distributed/bounded_wait.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "distributed/communicator.h"

namespace kasf::distributed {

void wait_bounded(const std::function<bool()>& done, const WaitPolicy& policy, int rank, const std::string& what) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  // Back off from a busy poll to 1 ms: waiting ranks must not take the cores the others compute on.
  auto pause = std::chrono::microseconds(1);
  while (!done()) {
    const std::string who = "rank " + std::to_string(rank) + ": ";
    if (const int signal = policy.pending_signal ? policy.pending_signal() : 0)
      throw PeerFailure(who + "stopped by signal " + std::to_string(signal) + " while waiting for the other ranks in " +
                        what + " (a rank died or the job was stopped)");
    const double waited = std::chrono::duration<double>(Clock::now() - start).count();
    if (waited > policy.timeout_seconds)
      throw PeerFailure(who + "no answer from the other ranks for " + std::to_string(static_cast<int>(waited)) +
                        " s in " + what + " (a rank died or hangs; --peer-timeout sets the limit)");
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(1000));
  }
}

}  // namespace kasf::distributed
