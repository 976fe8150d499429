#include "distributed/mpi_communicator.h"

#include <numeric>

namespace kasf::distributed {

MpiCommunicator::MpiCommunicator(const WaitPolicy& policy) : policy_(policy) {
  MPI_Comm_dup(MPI_COMM_WORLD, &comm_);
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
}

MpiCommunicator::~MpiCommunicator() {
  // Requests still pending after an error are abandoned: the job is being aborted.
  if (pending_.empty()) MPI_Comm_free(&comm_);
}

int64_t MpiCommunicator::start_sum(const Tensor& values, const char* what) {
  if (values.device() != Device::CPU || !values.is_contiguous())
    throw std::invalid_argument(std::string("MPI sums contiguous host tensors; ") + what + " is not one");
  MPI_Request request;
  MPI_Iallreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.numel()), MPI_FLOAT, MPI_SUM, comm_, &request);
  pending_.push_back({next_ticket_, request, what});
  return next_ticket_++;
}

void MpiCommunicator::poll() {
  for (Pending& p : pending_) {
    int done = 0;
    MPI_Test(&p.request, &done, MPI_STATUS_IGNORE);
  }
}

void MpiCommunicator::wait(int64_t ticket) {
  while (!pending_.empty() && pending_.front().ticket <= ticket) {
    wait_request(pending_.front().request, pending_.front().what);
    pending_.pop_front();
  }
}

void MpiCommunicator::wait_request(MPI_Request& request, const std::string& what) {
  wait_bounded(
      [&] {
        int done = 0;
        MPI_Test(&request, &done, MPI_STATUS_IGNORE);
        return done != 0;
      },
      policy_, rank_, what);
}

std::vector<std::vector<float>> MpiCommunicator::all_gather(std::span<const float> local, const char* what) {
  long long count = static_cast<long long>(local.size());
  std::vector<long long> counts(size_);
  MPI_Request request;
  MPI_Iallgather(&count, 1, MPI_LONG_LONG, counts.data(), 1, MPI_LONG_LONG, comm_, &request);
  wait_request(request, what);
  std::vector<int> sizes(counts.begin(), counts.end()), offsets(size_, 0);
  std::exclusive_scan(sizes.begin(), sizes.end(), offsets.begin(), 0);
  std::vector<float> all(static_cast<size_t>(offsets.back() + sizes.back()));
  MPI_Iallgatherv(local.data(), static_cast<int>(count), MPI_FLOAT, all.data(), sizes.data(), offsets.data(),
                  MPI_FLOAT, comm_, &request);
  wait_request(request, what);
  std::vector<std::vector<float>> out;
  for (int r = 0; r < size_; ++r) out.emplace_back(all.begin() + offsets[r], all.begin() + offsets[r] + sizes[r]);
  return out;
}

}  // namespace kasf::distributed
