#include "core/isa.h"

#include <algorithm>
#include <pthread.h>

#include <cctype>

#include "core/errors.h"
#include "hwy/highway.h"
#include "hwy/targets.h"

namespace trueno {
namespace {

std::string lower_name(int64_t target) {
  std::string n = hwy::TargetName(target);
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  return n;
}

// The CPU's full set, best first, found once before any pin: finding it
// later would mean lifting the pin for a moment while other threads dispatch.
const std::vector<int64_t>& runnable_targets() {
  static const std::vector<int64_t> targets = hwy::SupportedAndGeneratedTargets();
  return targets;
}

// Readers: code that must meet one target across several dispatches.
// The writer: set_isa. Readers first, so that a worker thread's reader
// never waits behind a pending set_isa while its region's own reader holds
// the lock.
class TargetLock {
 public:
  TargetLock() {
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_READER_NP);
    pthread_rwlock_init(&lock_, &attr);
    pthread_rwlockattr_destroy(&attr);
  }
  void read() { pthread_rwlock_rdlock(&lock_); }
  void write() { pthread_rwlock_wrlock(&lock_); }
  void unlock() { pthread_rwlock_unlock(&lock_); }

 private:
  pthread_rwlock_t lock_;
};

TargetLock& target_lock() {
  static TargetLock lock;
  return lock;
}

}  // namespace

std::vector<std::string> available_isas() {
  std::vector<std::string> names;
  for (int64_t t : runnable_targets()) names.push_back(lower_name(t));
  return names;
}

std::vector<std::string> compiled_isas() {
  std::vector<std::string> names;
  for (int64_t targets = HWY_TARGETS; targets != 0; targets &= targets - 1)
    names.push_back(lower_name(targets & ~(targets - 1)));
  return names;
}

std::string kernel_build_info() {
#ifndef TRUENO_KERNEL_FLAGS
#define TRUENO_KERNEL_FLAGS "unknown"
#endif
  return std::string("compiler ") + __VERSION__ + "; kernel flags: " + TRUENO_KERNEL_FLAGS;
}

std::string active_isa() {
  std::vector<int64_t> t = hwy::SupportedAndGeneratedTargets();
  return t.empty() ? "scalar" : lower_name(t.front());
}

SameTargetScope::SameTargetScope() { target_lock().read(); }
SameTargetScope::~SameTargetScope() { target_lock().unlock(); }

void set_isa(const std::string& requested) {
  std::string name = requested;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (name == "avx512") name = "avx3";
  int64_t target = -1;  // 0: unpin
  std::string valid;
  if (name == "best") target = 0;
  for (int64_t t : runnable_targets()) {
    if (lower_name(t) == name) target = t;
    valid += ", " + lower_name(t);
  }
  if (target < 0)
    throw ValueError("set_isa(): unknown or unsupported ISA '" + requested + "'; valid here: best" + valid);
  target_lock().write();
  hwy::SetSupportedTargetsForTest(target);
  target_lock().unlock();
}

}  // namespace trueno
