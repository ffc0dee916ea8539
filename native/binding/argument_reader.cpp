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

float* ArgumentReader::floatsFrom(Napi::Value value, const std::string& label, int64_t expectedLength) const {
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

float* ArgumentReader::floats(const char* name, int64_t expectedLength, bool optional) const {
  Napi::Value value = object_.Get(name);
  if (optional && (value.IsNull() || value.IsUndefined())) return nullptr;
  return floatsFrom(value, name, expectedLength);
}

const int32_t* ArgumentReader::optionalInts(const char* name, int64_t expectedLength) const {
  Napi::Value value = object_.Get(name);
  if (value.IsNull() || value.IsUndefined()) return nullptr;
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    throw Napi::TypeError::New(env_, std::string("rnn-blas native: ") + name + " must be an Int32Array");
  }
  auto array = value.As<Napi::Int32Array>();
  if (static_cast<int64_t>(array.ElementLength()) != expectedLength) {
    throw Napi::RangeError::New(env_, std::string("rnn-blas native: ") + name + " has the wrong length");
  }
  return array.Data();
}

Napi::Array ArgumentReader::array(const char* name, uint32_t expectedLength) const {
  Napi::Value value = object_.Get(name);
  if (!value.IsArray() || value.As<Napi::Array>().Length() != expectedLength) {
    throw Napi::TypeError::New(env_, std::string("rnn-blas native: ") + name + " must be an array of " +
                                         std::to_string(expectedLength) + " entries");
  }
  return value.As<Napi::Array>();
}

}  // namespace rnnblas::binding
