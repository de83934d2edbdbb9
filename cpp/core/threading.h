// Opt-in threading: a small persistent pool of std::thread workers and the
// guard that lets long kernels run without the interpreter lock.
//
// One thread is the default (the machines are small and shared; threads help
// only large arrays). With more, `parallel_for` splits a range over the
// workers and the calling thread. Nothing here decides results: callers split
// work so that the answer does not depend on how many threads ran it.
#pragma once
#include <cstdint>
#include <type_traits>

namespace trueno {

constexpr int kMaxThreads = 256;

// The number of threads kernels may use, >= 1.
int num_threads();
// Sets it (1..kMaxThreads; the caller validates). Workers start lazily, on
// the first parallel call that needs them.
void set_num_threads(int n);

// Elementwise work below this many elements per thread is not worth a
// wake-up of a worker (~5-20 us on a busy 2-core machine).
constexpr int64_t kParallelGrain = 1 << 16;
// Chunk boundaries are multiples of this many elements (a multiple of every
// SIMD width), so a contiguous run split in chunks meets the same vector
// code, element for element, as the unsplit run.
constexpr int64_t kChunkAlign = 64;
// Ranges per thread in parallel_for: load balance on a shared machine.
constexpr int kPartsPerThread = 4;

// Runs task(context, i) for every i in [0, count), on the pool and the
// calling thread. Serial when one thread is set, when called from inside a
// parallel region, or when another thread is using the pool. The first
// exception thrown by a task is rethrown here after all tasks finished.
void parallel_run(int64_t count, void (*task)(void* context, int64_t index), void* context);

// Splits [0, n) into contiguous ranges of at least `grain` items starting at
// multiples of `align` (a few per thread, so that a late thread's share is
// taken by the others), and calls fn(begin, end) for each, possibly at the
// same time. One call fn(0, n) when n < 2 * grain or with one thread.
template <class F>
void parallel_for(int64_t n, int64_t grain, F&& fn, int64_t align = 1) {
  const int threads = num_threads();
  if (threads <= 1 || n < 2 * grain) {
    if (n > 0) fn(int64_t(0), n);
    return;
  }
  const int64_t most_parts = int64_t(kPartsPerThread) * threads;
  int64_t parts = n / grain < most_parts ? n / grain : most_parts;
  int64_t size = (n + parts - 1) / parts;
  size = (size + align - 1) / align * align;
  struct Job {
    std::remove_reference_t<F>* fn;
    int64_t n, size;
  } job{&fn, n, size};
  const int64_t count = (n + size - 1) / size;
  parallel_run(count, [](void* c, int64_t i) {
    const Job* j = static_cast<const Job*>(c);
    const int64_t begin = i * j->size;
    const int64_t end = begin + j->size < j->n ? begin + j->size : j->n;
    (*j->fn)(begin, end);
  }, &job);
}

// Work of at least this many elements runs without the interpreter lock.
constexpr int64_t kLongKernelElements = 1 << 15;

// While alive, and when `elements` >= kLongKernelElements, lets other Python
// threads run: the bindings install hooks that release and re-acquire the
// GIL (core includes no Python). Only the outermost scope on a thread acts.
// Code inside must touch no Python object: ops/ and kernels/ never do, and
// the arrays they work on are kept alive by their shared_ptr<Buffer>.
class LongKernelScope {
 public:
  explicit LongKernelScope(int64_t elements);
  ~LongKernelScope();
  LongKernelScope(const LongKernelScope&) = delete;
  LongKernelScope& operator=(const LongKernelScope&) = delete;

 private:
  void* saved_ = nullptr;
  bool released_ = false;
};

// Installed once by the bindings: release returns the state that acquire
// takes back (PyEval_SaveThread / PyEval_RestoreThread), or null when it
// declines to release.
void set_interpreter_lock_hooks(void* (*release)(), void (*acquire)(void*));

}  // namespace trueno
