#include "core/buffer.h"

#include <cstdlib>
#include <new>

namespace trueno {

std::shared_ptr<Buffer> Buffer::allocate(size_t nbytes) {
  constexpr size_t kAlign = 64;
  // Round up (aligned_alloc requires a multiple of the alignment) and never
  // ask for 0 bytes, so every buffer has a distinct valid pointer.
  size_t rounded = (nbytes + kAlign - 1) / kAlign * kAlign;
  if (rounded < nbytes) throw std::bad_alloc();
  if (rounded == 0) rounded = kAlign;
  void* p = std::aligned_alloc(kAlign, rounded);
  if (!p) throw std::bad_alloc();
  std::shared_ptr<Buffer> b(new Buffer());
  b->data_ = static_cast<char*>(p);
  b->nbytes_ = nbytes;
  return b;
}

std::shared_ptr<Buffer> Buffer::borrow(void* data, size_t nbytes, void* context,
                                       void (*release)(void*)) {
  std::shared_ptr<Buffer> b(new Buffer());
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
    std::free(data_);
}

}  // namespace trueno
