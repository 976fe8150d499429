// Sums of CUDA tensors with NCCL on a stream of its own, bootstrapped and complemented (host-side
// gathers) by MPI. Built whenever the CUDA backend is. One GPU per rank: the rank's index on its
// node (OMPI_COMM_WORLD_LOCAL_RANK), chosen when constructed, so it must be constructed before the
// first CUDA tensor; fewer GPUs than ranks on a node is an error.
#pragma once
#include <cuda_runtime.h>
#include <nccl.h>

#include <deque>

#include "distributed/mpi_communicator.h"

namespace kasf::distributed {

class NcclCommunicator final : public MpiCommunicator {
 public:
  explicit NcclCommunicator(const WaitPolicy& policy);
  ~NcclCommunicator() override;

  int64_t start_sum(const Tensor& values, const char* what) override;
  void poll() override {}  // NCCL progresses on the device
  void wait(int64_t ticket) override;

 private:
  struct Pending {
    int64_t ticket;
    cudaEvent_t done;
    const char* what;
  };
  ncclComm_t comm_ = nullptr;
  cudaStream_t stream_ = nullptr;
  std::deque<Pending> pending_;
  int64_t next_ticket_ = 0;
};

}  // namespace kasf::distributed
