// linearForward from JavaScript: checks the sizes that guard memory, then runs the core.
#pragma once
#include <napi.h>

namespace rnnblas::binding {

// linearForward({ input, rows, inFeatures, weight, bias, outFeatures, output }): undefined.
Napi::Value LinearForward(const Napi::CallbackInfo& info);

}  // namespace rnnblas::binding
