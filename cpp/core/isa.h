// Which SIMD target the Highway-dispatched kernels run: listed, reported,
// and pinnable (TRUENO_ISA at import, trueno.set_isa() at run time), so that
// every target can be tested and benchmarked on one machine.
#pragma once
#include <string>
#include <vector>

namespace trueno {

// Lower-case names of the targets compiled in and supported by this CPU,
// best first (e.g. "avx3", "avx2", "sse4", "ssse3", "scalar").
std::vector<std::string> available_isas();
// Every target compiled into the kernels, whether or not this CPU runs it.
std::vector<std::string> compiled_isas();
// Compiler and flags the kernels were built with.
std::string kernel_build_info();
// The target dispatch uses now.
std::string active_isa();
// Pins dispatch to `name` ("best" unpins). ValueError naming the valid
// choices when `name` is unknown or unsupported here. Safe while kernels
// run on other threads: it waits for every SameTargetScope.
void set_isa(const std::string& name);

// While alive, set_isa() on any thread waits: for code that dispatches more
// than once and needs one target throughout (Highway's Sorter chooses its
// own kernel inside, and aborts on 128-bit keys where the target is SCALAR).
// Code that can carry its choice (see kernels/quant.h) should carry it.
class SameTargetScope {
 public:
  SameTargetScope();
  ~SameTargetScope();
  SameTargetScope(const SameTargetScope&) = delete;
  SameTargetScope& operator=(const SameTargetScope&) = delete;
};

}  // namespace trueno
