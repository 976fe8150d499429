// MPI for a process that mpirun (or another MPI launcher) started, and nothing otherwise: a plain
// `kasf_train` neither initialises MPI nor needs mpirun. Detection reads the variables the
// launchers set (OMPI_COMM_WORLD_SIZE, PMIX_RANK, PMI_SIZE).
#pragma once
#include <memory>

#include "distributed/bounded_wait.h"
#include "distributed/communicator.h"
#include "framework/backend.h"

namespace kasf::distributed {

class MpiEnvironment {
 public:
  MpiEnvironment(int& argc, char**& argv);  // MPI_Init when launched by an MPI launcher
  ~MpiEnvironment();                        // MPI_Finalize
  MpiEnvironment(const MpiEnvironment&) = delete;
  MpiEnvironment& operator=(const MpiEnvironment&) = delete;

  bool active() const { return active_; }
  int rank() const { return rank_; }
  int size() const { return size_; }
  // Ends every rank of the job (MPI_Abort) with `status`; returns normally when MPI is not active.
  void abort(int status) const;
  // The communicator for tensors on `device`: SingleProcess for one rank, NCCL for CUDA tensors
  // (throws when built without NCCL), MPI otherwise.
  std::unique_ptr<Communicator> communicator(Device device, const WaitPolicy& policy) const;

 private:
  bool active_ = false;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace kasf::distributed
