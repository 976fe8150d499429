// SIGINT and SIGTERM as a request to stop: the training loop polls it between steps, writes a
// checkpoint and exits cleanly. A second signal of the same kind terminates at once (the handler
// is one-shot), for a run that does not react.
#pragma once

namespace kasf::training {

void install_stop_handlers();
// The signal that asked to stop, or 0.
int stop_signal();

}  // namespace kasf::training
