// Reads the fields of a call object from JavaScript and re-checks every size that will
// size a buffer or index memory. The TypeScript layer has already given users PyTorch's
// messages; these checks only stop a bug there from becoming an out-of-bounds access.
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>

namespace rnnblas::binding {

class ArgumentReader {
 public:
  ArgumentReader(Napi::Env env, Napi::Object object) : env_(env), object_(object) {}

  // An integer in [minimum, maximum]; throws RangeError otherwise.
  int64_t integer(const char* name, int64_t minimum, int64_t maximum) const;
  bool boolean(const char* name) const;
  // A Float32Array of exactly `expectedLength` elements; null when optional and absent.
  float* floats(const char* name, int64_t expectedLength, bool optional = false) const;
  float* floatsFrom(Napi::Value value, const std::string& label, int64_t expectedLength) const;
  // An Int32Array of exactly `expectedLength` elements, or null when absent.
  const int32_t* optionalInts(const char* name, int64_t expectedLength) const;
  Napi::Array array(const char* name, uint32_t expectedLength) const;

 private:
  Napi::Env env_;
  Napi::Object object_;
};

// a * b, or -1 when the product would overflow int64 or either factor is negative.
int64_t checkedProduct(int64_t a, int64_t b);

}  // namespace rnnblas::binding
