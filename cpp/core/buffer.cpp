#include "core/buffer.h"

#include <cstdint>
#include <cstdlib>
#include <new>

namespace trueno {

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
