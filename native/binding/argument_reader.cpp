#include "argument_reader.h"

#include <cmath>
#include <limits>

namespace rnnblas::binding {

int64_t checkedProduct(int64_t a, int64_t b) {
  if (a < 0 || b < 0) return -1;
  if (a != 0 && b > std::numeric_limits<int64_t>::max() / a) return -1;
  return a * b;
}

int64_t ArgumentReader::integer(const char* name, int64_t minimum, int64_t maximum) const {
  Napi::Value value = object_.Get(name);
  if (!value.IsNumber()) {
    throw Napi::TypeError::New(env_, std::string("rnn-blas native: ") + name + " must be a number");
  }
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(number) || std::floor(number) != number || number < static_cast<double>(minimum) ||
      number > static_cast<double>(maximum)) {
    throw Napi::RangeError::New(env_, std::string("rnn-blas native: ") + name + " must be an integer in [" +
                                          std::to_string(minimum) + ", " + std::to_string(maximum) + "]");
  }
  return static_cast<int64_t>(number);
}

bool ArgumentReader::boolean(const char* name) const {
  Napi::Value value = object_.Get(name);
  if (!value.IsBoolean()) {
    throw Napi::TypeError::New(env_, std::string("rnn-blas native: ") + name + " must be a boolean");
  }
  return value.As<Napi::Boolean>().Value();
}

std::vector<Napi::Value> ArgumentReader::elements(const char* name, uint32_t expectedLength) const {
  Napi::Value value = object_.Get(name);
  if (!value.IsArray() || value.As<Napi::Array>().Length() != expectedLength) {
    throw Napi::TypeError::New(env_, std::string("rnn-blas native: ") + name + " must be an array of " +
                                         std::to_string(expectedLength) + " entries");
  }
  Napi::Array array = value.As<Napi::Array>();
  std::vector<Napi::Value> out;
  out.reserve(expectedLength);
  for (uint32_t i = 0; i < expectedLength; ++i) out.push_back(array.Get(i));
  return out;
}

float* ArgumentReader::floatsFrom(Napi::Value value, const std::string& label, int64_t expectedLength,
                                  bool optional) const {
  if (optional && (value.IsNull() || value.IsUndefined())) return nullptr;
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(env_, "rnn-blas native: " + label + " must be a Float32Array");
  }
  auto array = value.As<Napi::Float32Array>();
  // A detached buffer reports length 0, so it fails here unless nothing is expected.
  if (expectedLength < 0 || static_cast<int64_t>(array.ElementLength()) != expectedLength) {
    throw Napi::RangeError::New(env_, "rnn-blas native: " + label + " has " +
                                          std::to_string(array.ElementLength()) + " elements, expected " +
                                          std::to_string(expectedLength));
  }
  return array.Data();
}

const int32_t* ArgumentReader::optionalIntsFrom(Napi::Value value, const std::string& label,
                                                int64_t expectedLength) const {
  if (value.IsNull() || value.IsUndefined()) return nullptr;
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    throw Napi::TypeError::New(env_, "rnn-blas native: " + label + " must be an Int32Array");
  }
  auto array = value.As<Napi::Int32Array>();
  if (static_cast<int64_t>(array.ElementLength()) != expectedLength) {
    throw Napi::RangeError::New(env_, "rnn-blas native: " + label + " has " +
                                          std::to_string(array.ElementLength()) + " elements, expected " +
                                          std::to_string(expectedLength));
  }
  return array.Data();
}

void BufferSet::add(const float* data, int64_t floats, bool written) {
  if (!data || floats <= 0) return;
  const auto begin = reinterpret_cast<uintptr_t>(data);
  spans_.push_back({begin, begin + static_cast<uintptr_t>(floats) * sizeof(float), written});
}

void BufferSet::requireNoOverlap(Napi::Env env) const {
  // A few written buffers against every buffer: linear in the number of weights.
  for (size_t i = 0; i < spans_.size(); ++i) {
    if (!spans_[i].written) continue;
    for (size_t j = 0; j < spans_.size(); ++j) {
      if (i != j && spans_[i].begin < spans_[j].end && spans_[j].begin < spans_[i].end) {
        throw Napi::RangeError::New(env, "rnn-blas native: an output buffer overlaps another buffer of the call");
      }
    }
  }
}

}  // namespace rnnblas::binding
