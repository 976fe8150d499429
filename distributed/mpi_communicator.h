// Collectives over MPI on host memory: non-blocking MPI_Iallreduce / MPI_Iallgatherv, each wait
// bounded by the WaitPolicy. Serves CPU tensors; NcclCommunicator reuses its host-side gathers.
#pragma once
#include <mpi.h>

#include <deque>

#include "distributed/bounded_wait.h"
#include "distributed/communicator.h"

namespace kasf::distributed {

class MpiCommunicator : public Communicator {
 public:
  explicit MpiCommunicator(const WaitPolicy& policy);  // a duplicate of MPI_COMM_WORLD
  ~MpiCommunicator() override;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  int64_t start_sum(const Tensor& values, const char* what) override;
  void poll() override;
  void wait(int64_t ticket) override;
  std::vector<std::vector<float>> all_gather(std::span<const float> local, const char* what) override;

 protected:
  const WaitPolicy& policy() const { return policy_; }

 private:
  // Waits for one request, bounded.
  void wait_request(MPI_Request& request, const std::string& what);

  struct Pending {
    int64_t ticket;
    MPI_Request request;
    const char* what;
  };
  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0, size_ = 1;
  WaitPolicy policy_;
  std::deque<Pending> pending_;
  int64_t next_ticket_ = 0;
};

}  // namespace kasf::distributed
