#include "core/buffer.h"

#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace trueno {
namespace {

// Large buffers ask for transparent huge pages, as NumPy does from 4 MiB on:
// glibc serves them with a fresh mmap, and a fresh 128 MiB buffer otherwise takes
// 32768 page faults on first touch, about half the time of an elementwise op of
// that size. Only the whole pages inside the block are advised; failure is harmless.
constexpr size_t kHugePageAdviceFrom = size_t{4} << 20;

void advise_huge_pages(char* data, size_t nbytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  static const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  auto begin = (reinterpret_cast<uintptr_t>(data) + page - 1) & ~(page - 1);
  auto end = (reinterpret_cast<uintptr_t>(data) + nbytes) & ~(page - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)nbytes;
#endif
}

}  // namespace

std::shared_ptr<Buffer> Buffer::allocate(size_t nbytes) {
  // 64-byte aligned by hand inside a plain malloc block: glibc's memalign
  // path is several times slower than malloc for the small arrays whose
  // per-call cost matters. The raw block is kept for free().
  constexpr size_t kAlign = 64;
  size_t total = nbytes + kAlign;
  if (total < nbytes) throw std::bad_alloc();
  void* raw = std::malloc(total);
  if (!raw) throw std::bad_alloc();
  auto b = std::make_shared<Buffer>(Key{});  // one allocation for object and count
  auto addr = reinterpret_cast<uintptr_t>(raw);
  b->data_ = reinterpret_cast<char*>((addr + kAlign - 1) & ~(uintptr_t{kAlign} - 1));
  b->nbytes_ = nbytes;
  b->context_ = raw;
  if (nbytes >= kHugePageAdviceFrom) advise_huge_pages(b->data_, nbytes);
  return b;
}

std::shared_ptr<Buffer> Buffer::borrow(void* data, size_t nbytes, void* context,
                                       void (*release)(void*)) {
  auto b = std::make_shared<Buffer>(Key{});
  b->data_ = static_cast<char*>(data);
  b->nbytes_ = nbytes;
  b->context_ = context;
  b->release_ = release;
  return b;
}

Buffer::~Buffer() {
  if (release_)
    release_(context_);
  else
    std::free(context_);
}

}  // namespace trueno
