#include "core/isa.h"

#include <algorithm>
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

int64_t pinned_target = 0;  // 0: Highway's own best choice

std::vector<int64_t> runnable_targets() {
  // The CPU's full set, regardless of any current pin.
  int64_t saved = pinned_target;
  if (saved) hwy::SetSupportedTargetsForTest(0);
  std::vector<int64_t> t = hwy::SupportedAndGeneratedTargets();
  if (saved) hwy::SetSupportedTargetsForTest(saved);
  return t;
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

void set_isa(const std::string& requested) {
  std::string name = requested;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (name == "avx512") name = "avx3";
  if (name.empty() || name == "best") {
    pinned_target = 0;
    hwy::SetSupportedTargetsForTest(0);
    return;
  }
  std::string valid;
  for (int64_t t : runnable_targets()) {
    if (lower_name(t) == name) {
      pinned_target = t;
      hwy::SetSupportedTargetsForTest(t);
      return;
    }
    valid += (valid.empty() ? "" : ", ") + lower_name(t);
  }
  throw ValueError("unknown or unsupported ISA '" + requested + "'; valid here: best, " + valid);
}

}  // namespace trueno
