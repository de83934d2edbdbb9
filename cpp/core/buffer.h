// Reference-counted storage shared by an array and all of its views.
#pragma once
#include <cstddef>
#include <memory>

namespace trueno {

class Buffer {
 public:
  // 64-byte-aligned memory, uninitialised; throws std::bad_alloc (-> MemoryError).
  // From 4 MiB on it may be a block freed earlier (see buffer.cpp).
  static std::shared_ptr<Buffer> allocate(size_t nbytes);
  // Memory owned by someone else (NumPy, a DLPack producer); `release(context)`
  // runs when the last view is gone.
  static std::shared_ptr<Buffer> borrow(void* data, size_t nbytes, void* context,
                                        void (*release)(void*));
  ~Buffer();
  struct Key { explicit Key() = default; };  // lets make_shared construct, nobody else
  explicit Buffer(Key) {}
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  char* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }
  // True for memory owned by someone else (made by borrow()).
  bool is_borrowed() const { return release_ != nullptr; }

 private:
  char* data_ = nullptr;
  size_t nbytes_ = 0;
  void* context_ = nullptr;
  void (*release_)(void*) = nullptr;
  size_t capacity_ = 0;  // of a large block that may be kept for reuse; 0 otherwise
};

}  // namespace trueno
