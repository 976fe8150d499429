// kasf_train with the step callback the process tests need: with KASF_TEST_HANG_AFTER_STEP=N in
// the environment, a rank (every rank, or only KASF_TEST_HANG_RANK) stops making progress after
// optimizer step N, prints "rank R (pid P) hanging after step N" and waits until a SIGINT/SIGTERM
// (then the trainer stops as it does on a signal) or a SIGKILL ends it.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "tools/kasf_train_main.h"
#include "training/stop_signal.h"

namespace {

int64_t environment_value(const char* name, int64_t fallback) {
  const char* value = std::getenv(name);
  return value ? std::atoll(value) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t hang_after = environment_value("KASF_TEST_HANG_AFTER_STEP", 0);
  const int64_t hang_rank = environment_value("KASF_TEST_HANG_RANK", -1);
  return kasf::kasf_train_main(argc, argv, [&](const kasf::training::StepInfo& step) {
    if (step.step != hang_after || (hang_rank >= 0 && step.rank != hang_rank)) return;
    std::fprintf(stderr, "rank %d (pid %d) hanging after step %lld\n", step.rank, static_cast<int>(::getpid()),
                 static_cast<long long>(step.step));
    std::fflush(stderr);
    while (kasf::training::stop_signal() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  });
}
