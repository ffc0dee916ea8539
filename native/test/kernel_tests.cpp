// Kernel tests: every kernel of every table this CPU can run, against plain scalar
// references, over sizes that cross partial tiles (1 .. 2 panels + 1 units, odd and prime
// depths, past the inner chunk), strided A and C, accumulate or not, with a PROT_NONE page
// right after each buffer so that a read or write past its end faults. Tables this build
// holds but the CPU lacks are reported as skipped, by name. Exit status 0 only when every
// check passed. Run by test/00-kernels.test.js; `kernel_tests --list` prints the tables.
#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "../core/gate_math.h"
#include "../core/kernel_table.h"
#include "../core/kernel_tuning.h"
#include "../core/matrix_vector.h"
#include "../core/packed_weights.h"

using namespace rnnblas;

namespace {

int64_t failures = 0;
int64_t checks = 0;

// `count` floats whose last one ends where a PROT_NONE page begins.
class GuardedFloats {
 public:
  explicit GuardedFloats(int64_t count) : count_(count) {
    const int64_t page = sysconf(_SC_PAGESIZE);
    const int64_t bytes = std::max<int64_t>(1, count) * int64_t(sizeof(float));
    dataPages_ = (bytes + page - 1) / page * page;
    mapped_ = static_cast<char*>(mmap(nullptr, dataPages_ + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (mapped_ == MAP_FAILED) {
      std::perror("mmap");
      std::exit(2);
    }
    mprotect(mapped_ + dataPages_, page, PROT_NONE);
    data_ = reinterpret_cast<float*>(mapped_ + dataPages_) - count;
    guardBytes_ = page;
  }
  ~GuardedFloats() { munmap(mapped_, dataPages_ + guardBytes_); }
  GuardedFloats(const GuardedFloats&) = delete;
  GuardedFloats& operator=(const GuardedFloats&) = delete;
  float* data() { return data_; }
  float& operator[](int64_t i) { return data_[i]; }
  int64_t size() const { return count_; }

 private:
  int64_t count_;
  char* mapped_ = nullptr;
  int64_t dataPages_ = 0;
  int64_t guardBytes_ = 0;
  float* data_ = nullptr;
};

std::mt19937 rng(12345);

void fillRandom(GuardedFloats& buffer, float scale = 1.0f) {
  std::uniform_real_distribution<float> uniform(-scale, scale);
  for (int64_t i = 0; i < buffer.size(); ++i) buffer[i] = uniform(rng);
}

// `describe` builds the failure's label only when it fails: the sweeps make millions of
// checks, and under qemu a string per check would take most of the run.
template <typename Describe>
void expectClose(double got, double want, double tolerance, const Describe& describe) {
  ++checks;
  const bool bothNaN = std::isnan(got) && std::isnan(want);
  const bool sameInfinity = std::isinf(want) && got == want;
  if (bothNaN || sameInfinity || (std::isfinite(want) && std::fabs(got - want) <= tolerance)) return;
  if (++failures <= 20) {
    std::printf("  FAIL %s: got %.9g, want %.9g (tolerance %.3g)\n", describe().c_str(), got, want, tolerance);
  }
}

// --- multiplyPacked over packGates ------------------------------------------------------
void testPackedGemm(const KernelTable& table) {
  const int64_t P = table.panelWidth;
  const int64_t unitCounts[] = {1, 3, P - 1, P, P + 1, 2 * P, 2 * P + 1};
  const int64_t depths[] = {1, 2, 7, 13, 31, 64, 257, 300};
  const int64_t rowCounts[] = {1, 2, 3, 4, 5, 6, 7, 8, 11, 13, 25};
  for (int64_t gates : {1, 3}) {
    for (int64_t units : unitCounts) {
      for (int64_t inner : depths) {
        GuardedFloats w(gates * units * inner);
        fillRandom(w);
        GuardedFloats packed(PackedWeights::floatsNeeded(gates, units, inner, table));
        packGates(w.data(), units, inner, 0, gates, packed.data(), table);
        const PackedWeights view = PackedWeights::over(packed.data(), gates, units, inner, table);
        for (int64_t rows : rowCounts) {
          for (int variant = 0; variant < 4; ++variant) {
            const bool strided = variant >= 1;  // A and C wider than they need, and a bias
            const bool addToC = variant == 2;   // ...or, instead of the bias, added to C's values
            // A's rows 4 KiB apart: packed before the kernel reads them (kernel_tuning.h).
            const bool packsA = variant == 3;
            const int64_t lda = packsA ? kL1SetPeriodFloats : inner + (strided ? 5 : 0);
            const int64_t ldc = gates * units + (strided ? 3 : 0);
            // A slice of units starting at a panel boundary, when there are two panels.
            const int64_t unitBegin = strided && units > P ? P : 0;
            GuardedFloats a(rows * lda);
            fillRandom(a);
            GuardedFloats bias(gates * units);
            fillRandom(bias);
            GuardedFloats c(rows * ldc);
            for (int64_t i = 0; i < c.size(); ++i) c[i] = 7.0f;  // untouched outside the slice
            GuardedFloats before(rows * ldc);
            if (addToC) fillRandom(c);
            for (int64_t i = 0; i < c.size(); ++i) before[i] = c[i];
            const float* biasGiven = strided && !addToC ? bias.data() : nullptr;
            multiplyPacked(a.data(), lda, rows, view, unitBegin, units, c.data(), ldc, biasGiven, addToC);
            for (int64_t r = 0; r < rows; ++r) {
              for (int64_t g = 0; g < gates; ++g) {
                for (int64_t j = 0; j < units; ++j) {
                  const int64_t column = g * units + j;
                  double want = before[r * ldc + column];
                  double magnitude = 1.0;
                  if (j >= unitBegin) {
                    want = addToC ? want : biasGiven ? bias[column] : 0.0;
                    for (int64_t k = 0; k < inner; ++k) {
                      want += double(a[r * lda + k]) * w[column * inner + k];
                      magnitude += std::fabs(double(a[r * lda + k]) * w[column * inner + k]);
                    }
                  }
                  expectClose(c[r * ldc + column], want, 2e-6 * magnitude, [&] { return std::string(table.name) + " multiplyPacked rows=" + std::to_string(rows) +
                                  " gates=" + std::to_string(gates) + " units=" + std::to_string(units) +
                                  " inner=" + std::to_string(inner) + (addToC ? " addToC" : packsA ? " packed A" : strided ? " strided" : ""); });
                }
              }
            }
          }
        }
      }
    }
  }
}

// --- matrixTimesRows ---------------------------------------------------------------------
void testMatrixVector(const KernelTable& table) {
  const int64_t rowCounts[] = {1, 3, 4, 7, 8, 9, 17, 33};
  const int64_t depths[] = {1, 3, table.lanes - 1, table.lanes, table.lanes + 1, 2 * table.lanes + 3, 31, 97, 256};
  for (int64_t totalRows : rowCounts) {
    for (int64_t inner : depths) {
      if (inner < 1) continue;
      GuardedFloats w(totalRows * inner);
      fillRandom(w);
      for (int64_t count = 1; count <= 5; ++count) {
        for (int variant = 0; variant < 4; ++variant) {
          const bool backward = variant & 1;
          const bool strided = variant & 2;
          const int64_t rowBegin = strided && totalRows > 2 ? 1 : 0;
          const int64_t ldx = inner + (strided ? 2 : 0);
          const int64_t ldy = totalRows + (strided ? 3 : 0);
          GuardedFloats x(count * ldx);
          fillRandom(x);
          GuardedFloats y(count * ldy);
          for (int64_t i = 0; i < y.size(); ++i) y[i] = 7.0f;
          matrixTimesRows(w.data(), inner, rowBegin, totalRows, x.data(), ldx, count, y.data(), ldy, backward, table);
          for (int64_t i = 0; i < count; ++i) {
            for (int64_t r = 0; r < totalRows; ++r) {
              double want = 7.0, magnitude = 1.0;
              if (r >= rowBegin) {
                want = 0.0;
                for (int64_t k = 0; k < inner; ++k) {
                  want += double(w[r * inner + k]) * x[i * ldx + k];
                  magnitude += std::fabs(double(w[r * inner + k]) * x[i * ldx + k]);
                }
              }
              expectClose(y[i * ldy + r], want, 2e-6 * magnitude, [&] { return std::string(table.name) + " matrixTimesRows rows=" + std::to_string(totalRows) +
                              " inner=" + std::to_string(inner) + " count=" + std::to_string(count) +
                              (backward ? " backward" : "") + (strided ? " strided" : ""); });
            }
          }
        }
      }
    }
  }
}

// --- Infinities and NaN go through the products as through PyTorch's: an infinity in x
// meets weights of both signs (inf - inf = NaN) or of one sign (an infinity), and a zero
// weight (0 x inf = NaN).
void testNonFiniteProducts(const KernelTable& table) {
  const float inf = std::numeric_limits<float>::infinity();
  const int64_t inner = 3 * table.lanes + 3;
  for (int64_t count = 1; count <= 3; ++count) {
    for (int64_t position : {int64_t(0), table.lanes - 1, inner - 1}) {
      const int64_t rows = 9;
      GuardedFloats w(rows * inner), x(count * inner), y(count * rows);
      fillRandom(w);
      fillRandom(x);
      for (int64_t r = 0; r < rows; ++r) {
        float& weight = w[r * inner + position];
        if (r % 3 == 0) weight = 0.0f;                 // 0 x inf: NaN
        if (r % 3 == 1) weight = std::fabs(weight) + 0.5f;  // one sign: +inf (or -inf)
      }
      w[2 * inner + (position + 1) % inner] = -inf;    // row 2: an infinite weight too
      for (int64_t i = 0; i < count; ++i) x[i * inner + position] = i == 2 ? std::numeric_limits<float>::quiet_NaN() : inf;
      matrixTimesRows(w.data(), inner, 0, rows, x.data(), inner, count, y.data(), rows, false, table);
      for (int64_t i = 0; i < count; ++i) {
        for (int64_t r = 0; r < rows; ++r) {
          double want = 0.0;
          for (int64_t k = 0; k < inner; ++k) want += double(w[r * inner + k]) * x[i * inner + k];
          expectClose(y[i * rows + r], want, 1e-4, [&] {
            return std::string(table.name) + " matrixTimesRows non-finite count=" + std::to_string(count) +
                   " position=" + std::to_string(position) + " row=" + std::to_string(r);
          });
        }
      }
    }
  }
}

// --- The gate pass ------------------------------------------------------------------------
double sigmoidReference(double x) { return 1.0 / (1.0 + std::exp(-x)); }

void testGateRows(const KernelTable& table) {
  const int64_t sizes[] = {1, table.lanes - 1, table.lanes, table.lanes + 1, 3 * table.lanes + 5};
  for (int64_t H : sizes) {
    if (H < 1) continue;
    for (int64_t begin : {int64_t(0), std::min<int64_t>(H - 1, table.lanes)}) {
      const int64_t gates = 4;
      GuardedFloats inputGates(gates * H), hiddenGates(gates * H), cell(H), hPrev(H), newBias(H), out(H);
      fillRandom(inputGates, 4.0f);
      fillRandom(hiddenGates, 4.0f);
      fillRandom(cell, 2.0f);
      fillRandom(hPrev);
      fillRandom(newBias);
      const GateRow row{inputGates.data(), hiddenGates.data(), H, begin, H};
      const std::string where = std::string(table.name) + " H=" + std::to_string(H) + " begin=" + std::to_string(begin);
      auto pre = [&](int64_t g, int64_t j) { return double(inputGates[g * H + j]) + hiddenGates[g * H + j]; };

      table.rnnTanhRow(row, out.data());
      for (int64_t j = begin; j < H; ++j) expectClose(out[j], std::tanh(pre(0, j)), 1e-6, [&] { return where + " rnnTanhRow"; });
      table.rnnReluRow(row, out.data());
      for (int64_t j = begin; j < H; ++j) expectClose(out[j], std::max(0.0, pre(0, j)), 1e-6, [&] { return where + " rnnReluRow"; });

      std::vector<float> cellBefore(cell.data(), cell.data() + H);
      table.lstmRow(row, cell.data(), out.data());
      for (int64_t j = begin; j < H; ++j) {
        const double c = sigmoidReference(pre(1, j)) * cellBefore[j] + sigmoidReference(pre(0, j)) * std::tanh(pre(2, j));
        expectClose(cell[j], c, 2e-6, [&] { return where + " lstmRow cell"; });
        expectClose(out[j], sigmoidReference(pre(3, j)) * std::tanh(c), 2e-6, [&] { return where + " lstmRow h"; });
      }
      table.gruRow(row, newBias.data(), hPrev.data(), out.data());
      for (int64_t j = begin; j < H; ++j) {
        const double r = sigmoidReference(pre(0, j));
        const double z = sigmoidReference(pre(1, j));
        const double n = std::tanh(inputGates[2 * H + j] + r * (double(hiddenGates[2 * H + j]) + newBias[j]));
        expectClose(out[j], (1.0 - z) * n + z * hPrev[j], 2e-6, [&] { return where + " gruRow"; });
      }
    }
  }
}

// --- Activations over the whole line, NaN and infinities ---------------------------------
void testActivations(const KernelTable& table) {
  if (!table.sigmoidArray) return;
  std::vector<float> values;
  for (float x = -100.0f; x <= 100.0f; x += 0.0137f) values.push_back(x);
  for (float x : {0.0f, -0.0f, 1e-30f, -1e-30f, 1e-8f, 88.5f, -88.5f, 7.9f, -7.9f, -88.73f, -89.0f, -1e30f}) {
    values.push_back(x);
  }
  const float specials[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity()};
  for (float x : specials) values.push_back(x);
  const int64_t count = static_cast<int64_t>(values.size());
  GuardedFloats x(count), y(count);
  std::memcpy(x.data(), values.data(), sizeof(float) * count);
  table.sigmoidArray(x.data(), count, y.data());
  for (int64_t i = 0; i < count; ++i) {
    // Exactly 0 where float32's 1 + exp(-x) overflows (torch's value; 0 * inf must stay NaN).
    if (x[i] < -88.7228394f) expectClose(y[i] == 0.0f ? 0.0 : 1.0, 0.0, 0.0, [&] { return std::string(table.name) + " sigmoid(" + std::to_string(x[i]) + ") is exactly 0"; });
    expectClose(y[i], sigmoidReference(x[i]), 1e-6, [&] { return std::string(table.name) + " sigmoid(" + std::to_string(x[i]) + ")"; });
  }
  table.tanhArray(x.data(), count, y.data());
  for (int64_t i = 0; i < count; ++i) {
    const double want = std::tanh(double(x[i]));
    expectClose(y[i], want, 1e-6 * std::max(1e-30, std::fabs(want)) + 1e-37, [&] { return std::string(table.name) + " tanh(" + std::to_string(x[i]) + ")"; });
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<const KernelTable*> tables = supportedKernelTables();
  if (argc > 1 && std::strcmp(argv[1], "--list") == 0) {
    for (const KernelTable* table : tables) std::printf("%s\n", table->name);
    return 0;
  }
  for (const char* name : builtKernelTableNames()) {
    const KernelTable* found = nullptr;
    for (const KernelTable* table : tables) {
      if (std::strcmp(table->name, name) == 0) found = table;
    }
    if (!found) {
      std::printf("table %s: skipped (this CPU lacks it)\n", name);
      continue;
    }
    const int64_t failuresBefore = failures, checksBefore = checks;
    if (found->hasPackedKernels()) testPackedGemm(*found);
    if (found->eightRows) testMatrixVector(*found);
    if (found->eightRows) testNonFiniteProducts(*found);
    testGateRows(*found);
    testActivations(*found);
    std::printf("table %s: %lld checks, %lld failed\n", name, static_cast<long long>(checks - checksBefore),
                static_cast<long long>(failures - failuresBefore));
  }
  return failures == 0 ? 0 : 1;
}
