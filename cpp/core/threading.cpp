#include "core/threading.h"

#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace trueno {

namespace {

std::atomic<int> g_num_threads{1};
// True on a thread while it runs tasks of a parallel region (workers always,
// the submitting thread during the region): nested calls run serially.
thread_local bool t_in_parallel = false;

// Workers sleep on a condition variable between regions (no spinning: the
// machines are small and shared). One region at a time; a second submitter
// runs its tasks itself instead of waiting.
//
// The submitting thread never waits for a worker that has not started: it
// takes tasks itself, and once all are taken it closes the region and waits
// only for the workers already inside. On a loaded machine a descheduled
// worker would otherwise hold up the whole call.
class Pool {
 public:
  // False when the pool is busy or shut down: the caller runs serially.
  bool run(int helpers, int64_t count, void (*task)(void*, int64_t), void* context) {
    std::unique_lock<std::mutex> region(submit_, std::try_to_lock);
    if (!region.owns_lock()) return false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopped_) return false;
      while (static_cast<int>(workers_.size()) < helpers) {
        const int id = static_cast<int>(workers_.size());
        workers_.emplace_back([this, id] { work(id); });
      }
      task_ = task;
      context_ = context;
      count_ = count;
      next_.store(0, std::memory_order_relaxed);
      helpers_ = helpers;
      error_ = nullptr;
      open_ = true;
      ++generation_;
    }
    wake_.notify_all();
    t_in_parallel = true;
    drain();
    t_in_parallel = false;
    std::exception_ptr error;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      open_ = false;
      done_.wait(lock, [this] { return inside_ == 0; });
      error = error_;
      error_ = nullptr;
    }
    if (error) std::rethrow_exception(error);
    return true;
  }

  // At exit: joins the idle workers. Leaves them alone (the process is
  // ending anyway) when a region is still running on some other thread.
  void shutdown() {
    std::unique_lock<std::mutex> region(submit_, std::try_to_lock);
    if (!region.owns_lock()) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopped_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : workers_) t.join();
    workers_.clear();
  }

 private:
  void drain() {
    for (;;) {
      const int64_t i = next_.fetch_add(1, std::memory_order_relaxed);
      if (i >= count_) return;
      try {
        task_(context_, i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!error_) error_ = std::current_exception();
      }
    }
  }

  void work(int id) {
    t_in_parallel = true;
    uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stopped_ || (open_ && generation_ != seen); });
        if (stopped_) return;
        seen = generation_;
        if (id >= helpers_) continue;
        ++inside_;  // the region cannot finish (and its job change) until we leave
      }
      drain();
      std::lock_guard<std::mutex> lock(mutex_);
      if (--inside_ == 0 && !open_) done_.notify_one();
    }
  }

  std::mutex submit_;  // held for the whole of a region
  std::mutex mutex_;   // guards everything below but next_
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  uint64_t generation_ = 0;
  bool stopped_ = false;
  bool open_ = false;  // workers may still join the current region
  int helpers_ = 0;    // workers with a smaller id may join it
  int inside_ = 0;     // workers in it now
  void (*task_)(void*, int64_t) = nullptr;
  void* context_ = nullptr;
  int64_t count_ = 0;
  std::atomic<int64_t> next_{0};
  std::exception_ptr error_;
};

// Never deleted: a child after fork() forgets it (its threads are not in the
// child; a fresh pool starts on demand), and at exit it is only shut down.
std::atomic<Pool*> g_pool{nullptr};

Pool* pool() {
  Pool* p = g_pool.load(std::memory_order_acquire);
  if (p) return p;
  static std::once_flag atfork_once;
  std::call_once(atfork_once, [] {
    pthread_atfork(nullptr, nullptr, [] { g_pool.store(nullptr, std::memory_order_release); });
  });
  Pool* fresh = new Pool;
  if (g_pool.compare_exchange_strong(p, fresh, std::memory_order_acq_rel)) return fresh;
  delete fresh;
  return p;
}

struct JoinWorkersAtExit {
  ~JoinWorkersAtExit() {
    if (Pool* p = g_pool.load(std::memory_order_acquire)) p->shutdown();
  }
} join_workers_at_exit;

void* (*g_release_lock)() = nullptr;
void (*g_acquire_lock)(void*) = nullptr;
thread_local bool t_lock_released = false;

}  // namespace

int num_threads() { return g_num_threads.load(std::memory_order_relaxed); }

void set_num_threads(int n) { g_num_threads.store(n, std::memory_order_relaxed); }

void parallel_run(int64_t count, void (*task)(void*, int64_t), void* context) {
  const int threads = num_threads();
  const int64_t helpers = (count < threads ? count : threads) - 1;
  if (helpers < 1 || t_in_parallel || !pool()->run(static_cast<int>(helpers), count, task, context))
    for (int64_t i = 0; i < count; ++i) task(context, i);
}

LongKernelScope::LongKernelScope(int64_t elements) {
  if (elements < kLongKernelElements || !g_release_lock || t_lock_released || t_in_parallel) return;
  saved_ = g_release_lock();
  if (!saved_) return;  // the hooks declined (the interpreter is exiting)
  released_ = true;
  t_lock_released = true;
}

LongKernelScope::~LongKernelScope() {
  if (!released_) return;
  t_lock_released = false;
  g_acquire_lock(saved_);
}

void set_interpreter_lock_hooks(void* (*release)(), void (*acquire)(void*)) {
  g_release_lock = release;
  g_acquire_lock = acquire;
}

}  // namespace trueno
