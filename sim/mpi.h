// The processes of an MPI job (docs/cluster.md), or the one process of a
// build without MPI: the same calls either way. Messages are text with a tag,
// enough for handing out work and collecting small records.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lclab::sim::mpi {

// True in a build with LCLAB_MPI=ON.
bool Built();
// Starts MPI if built with it (safe to call without mpirun: one process). Call once, first thing.
void Init(int* argc, char*** argv);
// Ends MPI if it was started (at exit).
void Finalize();
int Rank();  // 0 without MPI
int Size();  // 1 without MPI

// Blocking send of `text` to rank `to` with `tag`.
void Send(int to, int tag, const std::string& text);
// Blocking receive of a message with `tag` from rank `from`.
std::string Receive(int from, int tag);
// A message waiting from any rank with `tag`: true and its sender, or false at once.
bool Waiting(int tag, int* from);
// Every rank's `mine`, in rank order, on every rank (a collective: every rank calls it).
std::vector<std::string> Allgather(const std::string& mine);
// The element-wise sums over every rank, on every rank (a collective).
std::vector<std::int64_t> SumAll(const std::vector<std::int64_t>& mine);

// Ends every process of the job with `code` (a rank that fails takes the job down loudly).
[[noreturn]] void Abort(int code);

}  // namespace lclab::sim::mpi
