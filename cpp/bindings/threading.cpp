// trueno.set_num_threads / get_num_threads, TRUENO_NUM_THREADS, and the
// hooks by which long kernels in ops/ release the GIL.
#include <pthread.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <new>
#include <string>
#include <thread>

#include "bindings/bind.h"
#include "bindings/convert.h"
#include "core/errors.h"
#include "core/threading.h"

namespace trueno::py {

namespace {

const std::string kValidCounts = "an integer from 1 to " + std::to_string(kMaxThreads);

int to_thread_count(nb::handle n) {
  // bool is an int subclass, but set_num_threads(True) is surely a mistake.
  if (PyBool_Check(n.ptr()) || !PyIndex_Check(n.ptr()))
    throw TypeError("set_num_threads(): n must be an int, got " +
                    std::string(nb::type_name(n.type()).c_str()));
  nb::object index = nb::steal(PyNumber_Index(n.ptr()));
  if (!index.is_valid()) {
    // (a NumPy array has __index__ but refuses, in its own words)
    if (!PyErr_ExceptionMatches(PyExc_TypeError)) throw nb::python_error();
    PyErr_Clear();
    throw TypeError("set_num_threads(): n must be an int, got " + std::string(nb::type_name(n.type()).c_str()));
  }
  int overflow = 0;
  const long long value = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (overflow != 0 || value < 1 || value > kMaxThreads)
    throw ValueError("set_num_threads(): n must be " + kValidCounts + ", got " +
                     std::string(nb::str(index).c_str()));
  return static_cast<int>(value);
}

// The value of TRUENO_NUM_THREADS, read once at import.
int thread_count_from_environment(const char* text) {
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(text, &end, 10);
  while (end && *end == ' ') ++end;
  if (end == text || *end != '\0' || errno != 0 || value < 1 || value > kMaxThreads)
    throw ValueError(std::string("TRUENO_NUM_THREADS must be ") + kValidCounts + ", got '" + text + "'");
  return static_cast<int>(value);
}

// A daemon thread that takes the GIL back while the interpreter finalizes is
// ended by Python with pthread_exit, whose unwinding through our noexcept
// frames (and nanobind's catch (...)) aborts the process. So from atexit on,
// a thread coming back from a long kernel sleeps until the process ends
// instead; and no kernel releases the GIL any more (so atexit work on the
// main thread still completes). The gate makes "check, then wait for the
// GIL" one step for the atexit hook, which takes the gate only after
// releasing the GIL itself.
std::mutex g_gate;
std::atomic<bool> g_interpreter_exiting{false};

void* release_gil() { return g_interpreter_exiting ? nullptr : PyEval_SaveThread(); }

void acquire_gil(void* state) {
  std::unique_lock<std::mutex> gate(g_gate);
  if (g_interpreter_exiting) {
    gate.unlock();
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
  }
  PyEval_RestoreThread(static_cast<PyThreadState*>(state));
}

void stop_returning_to_python() {
  nb::gil_scoped_release without_gil;
  std::lock_guard<std::mutex> gate(g_gate);
  g_interpreter_exiting = true;
}

}  // namespace

void bind_threading(nb::module_& m) {
  m.def("set_num_threads", [](nb::handle n) { set_num_threads(to_thread_count(n)); }, nb::arg("n").none(),
        "Set how many threads trueno's kernels may use (1 to 256; 1, the default, runs everything "
        "on the calling thread). Results do not depend on it.");
  m.def("get_num_threads", &num_threads, "How many threads trueno's kernels may use.");
  set_interpreter_lock_hooks(&release_gil, &acquire_gil);
  // A fork child has only the forking thread: a gate held by another is freed.
  pthread_atfork(nullptr, nullptr, [] { new (&g_gate) std::mutex; });
  nb::module_::import_("atexit").attr("register")(nb::cpp_function(&stop_returning_to_python));
  if (const char* env = std::getenv("TRUENO_NUM_THREADS"); env && *env)
    set_num_threads(thread_count_from_environment(env));
}

}  // namespace trueno::py
