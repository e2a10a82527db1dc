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
void Abort(int code) { std::exit(code); }

#endif

}  // namespace lclab::sim::mpi
