#include "distributed/nccl_communicator.h"

#include <cstdlib>
#include <string>

namespace kasf::distributed {
namespace {

void check(cudaError_t status, const char* call) {
  if (status != cudaSuccess) throw std::runtime_error(std::string(call) + ": " + cudaGetErrorString(status));
}

void check(ncclResult_t status, const char* call) {
  if (status != ncclSuccess) throw std::runtime_error(std::string(call) + ": " + ncclGetErrorString(status));
}

// This rank's index among the ranks of its node, and their number, as the launcher says.
int node_value(const char* openmpi, const char* mpich, int fallback) {
  const char* value = std::getenv(openmpi);
  if (!value) value = std::getenv(mpich);
  return value ? std::atoi(value) : fallback;
}

}  // namespace

NcclCommunicator::NcclCommunicator(const WaitPolicy& policy) : MpiCommunicator(policy) {
  int devices = 0;
  check(cudaGetDeviceCount(&devices), "--device cuda: cudaGetDeviceCount");
  const int local_ranks = node_value("OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", 1);
  if (devices < local_ranks)  // NCCL needs a GPU of its own per rank
    throw std::runtime_error("--device cuda: " + std::to_string(local_ranks) + " ranks on this node but " +
                             std::to_string(devices) + " GPUs; start at most one rank per GPU");
  check(cudaSetDevice(node_value("OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", 0)), "--device cuda: cudaSetDevice");
  ncclUniqueId id;
  if (rank() == 0) check(ncclGetUniqueId(&id), "ncclGetUniqueId");
  MPI_Bcast(&id, sizeof id, MPI_BYTE, 0, MPI_COMM_WORLD);
  check(ncclCommInitRank(&comm_, size(), id, rank()), "ncclCommInitRank");
  check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
}

NcclCommunicator::~NcclCommunicator() {
  for (Pending& p : pending_) cudaEventDestroy(p.done);
  if (comm_) pending_.empty() ? ncclCommDestroy(comm_) : ncclCommAbort(comm_);
  if (stream_) cudaStreamDestroy(stream_);
}

int64_t NcclCommunicator::start_sum(const Tensor& values, const char* what) {
  if (values.device() != Device::CUDA || !values.is_contiguous())
    throw std::invalid_argument(std::string("NCCL sums contiguous CUDA tensors; ") + what + " is not one");
  // The backend's kernels that produce `values` run on its own stream: wait for them first.
  values.backend().synchronize();
  check(ncclAllReduce(values.data(), values.data(), static_cast<size_t>(values.numel()), ncclFloat, ncclSum, comm_,
                      stream_),
        "ncclAllReduce");
  Pending p{next_ticket_, nullptr, what};
  check(cudaEventCreateWithFlags(&p.done, cudaEventDisableTiming), "cudaEventCreateWithFlags");
  check(cudaEventRecord(p.done, stream_), "cudaEventRecord");
  pending_.push_back(p);
  return next_ticket_++;
}

void NcclCommunicator::wait(int64_t ticket) {
  while (!pending_.empty() && pending_.front().ticket <= ticket) {
    Pending& p = pending_.front();
    wait_bounded(
        [&] {
          ncclResult_t async = ncclSuccess;
          check(ncclCommGetAsyncError(comm_, &async), "ncclCommGetAsyncError");
          check(async, p.what);
          const cudaError_t status = cudaEventQuery(p.done);
          if (status == cudaErrorNotReady) return false;
          check(status, p.what);
          return true;
        },
        policy(), rank(), p.what);
    cudaEventDestroy(p.done);
    pending_.pop_front();
  }
}

}  // namespace kasf::distributed
