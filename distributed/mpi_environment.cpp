#include "distributed/mpi_environment.h"

#include <mpi.h>

#include <cstdlib>

#include "distributed/mpi_communicator.h"
#ifdef KASF_WITH_NCCL
#include "distributed/nccl_communicator.h"
#endif

namespace kasf::distributed {
namespace {

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"})
    if (std::getenv(name)) return true;
  return false;
}

}  // namespace

MpiEnvironment::MpiEnvironment(int& argc, char**& argv) : active_(launched_by_mpi()) {
  if (!active_) return;
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiEnvironment::~MpiEnvironment() {
  if (active_) MPI_Finalize();
}

void MpiEnvironment::abort(int status) const {
  if (active_ && size_ > 1) MPI_Abort(MPI_COMM_WORLD, status);
}

std::unique_ptr<Communicator> MpiEnvironment::communicator(Device device, const WaitPolicy& policy) const {
  if (size_ == 1) return std::make_unique<SingleProcess>();
  if (device == Device::CUDA) {
#ifdef KASF_WITH_NCCL
    return std::make_unique<NcclCommunicator>(policy);
#else
    throw std::invalid_argument("--device cuda: data-parallel training on CUDA needs NCCL; this build has none");
#endif
  }
  if (device != Device::CPU)
    throw std::invalid_argument("data-parallel training runs on the cpu (MPI) or cuda (NCCL) device");
  return std::make_unique<MpiCommunicator>(policy);
}

}  // namespace kasf::distributed
