// Reads the fields of a call object from JavaScript and re-checks every size that will
// size a buffer or index memory. The TypeScript layer has already given users PyTorch's
// messages; these checks only stop a bug there from becoming an out-of-bounds access.
//
// Reading a field can run JavaScript (a getter, a Proxy trap), and JavaScript can detach or
// shrink a buffer that was already checked. So a call reads every field first (value(),
// integer(), boolean(), elements()), and only then checks its buffers (the *From functions,
// which run no JavaScript) and takes their pointers; nothing runs JavaScript after that.
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace rnnblas::binding {

class ArgumentReader {
 public:
  ArgumentReader(Napi::Env env, Napi::Object object) : env_(env), object_(object) {}

  // The field as it is, unchecked.
  Napi::Value value(const char* name) const { return object_.Get(name); }
  // An integer in [minimum, maximum]; throws RangeError otherwise (TypeError if no number).
  int64_t integer(const char* name, int64_t minimum, int64_t maximum) const;
  bool boolean(const char* name) const;
  // The entries of an array field of exactly `expectedLength` entries.
  std::vector<Napi::Value> elements(const char* name, uint32_t expectedLength) const;

  // A Float32Array of exactly `expectedLength` elements; null when optional and null/undefined.
  float* floatsFrom(Napi::Value value, const std::string& label, int64_t expectedLength, bool optional = false) const;
  // An Int32Array of exactly `expectedLength` elements; null when null/undefined.
  const int32_t* optionalIntsFrom(Napi::Value value, const std::string& label, int64_t expectedLength) const;

 private:
  Napi::Env env_;
  Napi::Object object_;
};

// a * b, or -1 when the product would overflow int64 or either factor is negative.
int64_t checkedProduct(int64_t a, int64_t b);

// The buffers of one call: the ones native code writes must not overlap any other, or a
// thread writing one would race with threads reading the other.
class BufferSet {
 public:
  void read(const float* data, int64_t floats) { add(data, floats, false); }
  void written(const float* data, int64_t floats) { add(data, floats, true); }
  // Throws RangeError when a written buffer overlaps another buffer of the set.
  void requireNoOverlap(Napi::Env env) const;

 private:
  struct Span {
    uintptr_t begin, end;
    bool written;
  };
  void add(const float* data, int64_t floats, bool written);
  std::vector<Span> spans_;
};

}  // namespace rnnblas::binding
