#include "sim/mpi.h"

#include <cstdlib>
#include <stdexcept>
#include <vector>

#ifdef LCLAB_WITH_MPI
#include <mpi.h>
#endif

namespace lclab::sim::mpi {

#ifdef LCLAB_WITH_MPI

namespace {
bool started = false;
}  // namespace

bool Built() { return true; }

void Init(int* argc, char*** argv) {
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  started = true;
}

void Finalize() {
  if (started) MPI_Finalize();
  started = false;
}

int Rank() {
  int r = 0;
  if (started) MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

int Size() {
  int s = 1;
  if (started) MPI_Comm_size(MPI_COMM_WORLD, &s);
  return s;
}

void Send(int to, int tag, const std::string& text) {
  MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD);
}

std::string Receive(int from, int tag) {
  MPI_Status status;
  MPI_Probe(from, tag, MPI_COMM_WORLD, &status);
  int n = 0;
  MPI_Get_count(&status, MPI_CHAR, &n);
  std::string text(static_cast<std::size_t>(n), '\0');
  MPI_Recv(text.data(), n, MPI_CHAR, status.MPI_SOURCE, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return text;
}

bool Waiting(int tag, int* from) {
  int flag = 0;
  MPI_Status status;
  MPI_Iprobe(MPI_ANY_SOURCE, tag, MPI_COMM_WORLD, &flag, &status);
  if (flag && from) *from = status.MPI_SOURCE;
  return flag != 0;
}

std::vector<std::string> Allgather(const std::string& mine) {
  const int n = Size();
  const int len = static_cast<int>(mine.size());
  std::vector<int> lens(static_cast<std::size_t>(n)), offsets(static_cast<std::size_t>(n));
  MPI_Allgather(&len, 1, MPI_INT, lens.data(), 1, MPI_INT, MPI_COMM_WORLD);
  int total = 0;
  for (int r = 0; r < n; ++r) offsets[r] = total, total += lens[r];
  std::string all(static_cast<std::size_t>(total), '\0');
  MPI_Allgatherv(mine.data(), len, MPI_CHAR, all.data(), lens.data(), offsets.data(), MPI_CHAR, MPI_COMM_WORLD);
  std::vector<std::string> out;
  for (int r = 0; r < n; ++r) out.push_back(all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(lens[r])));
  return out;
}

std::vector<std::int64_t> SumAll(const std::vector<std::int64_t>& mine) {
  std::vector<std::int64_t> out(mine.size());
  MPI_Allreduce(mine.data(), out.data(), static_cast<int>(mine.size()), MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
  return out;
}

void Abort(int code) {
  if (started) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

#else

bool Built() { return false; }
void Init(int*, char***) {}
void Finalize() {}
int Rank() { return 0; }
int Size() { return 1; }
void Send(int, int, const std::string&) { throw std::logic_error("lclab was built without MPI"); }
std::string Receive(int, int) { throw std::logic_error("lclab was built without MPI"); }
bool Waiting(int, int*) { return false; }
std::vector<std::string> Allgather(const std::string& mine) { return {mine}; }
std::vector<std::int64_t> SumAll(const std::vector<std::int64_t>& mine) { return mine; }
void Abort(int code) { std::exit(code); }

#endif

}  // namespace lclab::sim::mpi
