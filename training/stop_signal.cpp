#include "training/stop_signal.h"

#include <csignal>

namespace kasf::training {
namespace {

volatile std::sig_atomic_t requested = 0;

void request_stop(int signal) { requested = signal; }

}  // namespace

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int stop_signal() { return requested; }

}  // namespace kasf::training
