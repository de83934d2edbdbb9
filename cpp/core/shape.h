// Shape: a vector of int64 (dimensions or byte strides) that keeps up to
// kInline entries inside the object. Nearly every array has few dimensions,
// so creating one (two Shapes) allocates nothing: on small arrays the heap
// was a third of the per-call time.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <new>
#include <type_traits>

namespace trueno {

class Shape {
 public:
  using value_type = int64_t;
  using size_type = size_t;
  using iterator = int64_t*;
  using const_iterator = const int64_t*;
  static constexpr size_t kInline = 8;

  Shape() = default;
  explicit Shape(size_t n, int64_t value = 0) { assign_fill(n, value); }
  Shape(std::initializer_list<int64_t> values) { assign_range(values.begin(), values.size()); }
  template <class It, class = std::enable_if_t<!std::is_integral_v<It>>>
  Shape(It first, It last) {
    reserve(static_cast<size_t>(std::distance(first, last)));
    for (; first != last; ++first) push_back(static_cast<int64_t>(*first));
  }
  Shape(const Shape& o) { assign_range(o.data_, o.size_); }
  Shape(Shape&& o) noexcept { take(o); }
  Shape& operator=(const Shape& o) {
    if (this != &o) {
      size_ = 0;
      assign_range(o.data_, o.size_);
    }
    return *this;
  }
  Shape& operator=(Shape&& o) noexcept {
    if (this != &o) {
      release();
      take(o);
    }
    return *this;
  }
  ~Shape() { release(); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  int64_t* data() { return data_; }
  const int64_t* data() const { return data_; }
  iterator begin() { return data_; }
  iterator end() { return data_ + size_; }
  const_iterator begin() const { return data_; }
  const_iterator end() const { return data_ + size_; }
  int64_t& operator[](size_t i) { return data_[i]; }
  const int64_t& operator[](size_t i) const { return data_[i]; }
  int64_t& back() { return data_[size_ - 1]; }
  const int64_t& back() const { return data_[size_ - 1]; }
  int64_t& front() { return data_[0]; }
  const int64_t& front() const { return data_[0]; }

  void reserve(size_t n) {
    if (n <= capacity_) return;
    auto* p = static_cast<int64_t*>(std::malloc(n * sizeof(int64_t)));
    if (!p) throw std::bad_alloc();
    if (size_) std::memcpy(p, data_, size_ * sizeof(int64_t));
    if (data_ != inline_) std::free(data_);
    data_ = p;
    capacity_ = n;
  }
  void push_back(int64_t v) {
    if (size_ == capacity_) reserve(capacity_ * 2);
    data_[size_++] = v;
  }
  void pop_back() { --size_; }
  void clear() { size_ = 0; }
  void resize(size_t n, int64_t value = 0) {
    reserve(n);
    for (size_t i = size_; i < n; ++i) data_[i] = value;
    size_ = n;
  }
  iterator insert(const_iterator pos, int64_t value) { return insert(pos, &value, &value + 1); }
  iterator insert(const_iterator pos, std::initializer_list<int64_t> values) {
    return insert(pos, values.begin(), values.end());
  }
  template <class It, class = std::enable_if_t<!std::is_integral_v<It>>>
  iterator insert(const_iterator pos, It first, It last) {
    size_t at = static_cast<size_t>(pos - data_);
    size_t n = static_cast<size_t>(std::distance(first, last));
    Shape tail(data_ + at, data_ + size_);  // the source may alias this shape
    Shape added(first, last);
    reserve(size_ + n);
    std::memcpy(data_ + at, added.data_, n * sizeof(int64_t));
    std::memcpy(data_ + at + n, tail.data_, tail.size_ * sizeof(int64_t));
    size_ += n;
    return data_ + at;
  }
  iterator erase(const_iterator pos) {
    size_t at = static_cast<size_t>(pos - data_);
    std::memmove(data_ + at, data_ + at + 1, (size_ - at - 1) * sizeof(int64_t));
    --size_;
    return data_ + at;
  }

  bool operator==(const Shape& o) const {
    return size_ == o.size_ && std::equal(data_, data_ + size_, o.data_);
  }
  bool operator!=(const Shape& o) const { return !(*this == o); }

 private:
  void assign_fill(size_t n, int64_t value) {
    reserve(n);
    std::fill(data_, data_ + n, value);
    size_ = n;
  }
  void assign_range(const int64_t* src, size_t n) {
    reserve(n);
    if (n) std::memcpy(data_, src, n * sizeof(int64_t));
    size_ = n;
  }
  void take(Shape& o) {
    if (o.data_ == o.inline_) {
      data_ = inline_;
      capacity_ = kInline;
      std::memcpy(inline_, o.inline_, o.size_ * sizeof(int64_t));
    } else {
      data_ = o.data_;
      capacity_ = o.capacity_;
      o.data_ = o.inline_;
      o.capacity_ = kInline;
    }
    size_ = o.size_;
    o.size_ = 0;
  }
  void release() {
    if (data_ != inline_) std::free(data_);
    data_ = inline_;
    capacity_ = kInline;
    size_ = 0;
  }

  int64_t* data_ = inline_;
  size_t size_ = 0;
  size_t capacity_ = kInline;
  int64_t inline_[kInline];
};

}  // namespace trueno
