// The kernel table of one instruction set: every kernel template instantiated over that
// set's vector layer. Included only by the isa/table_*.cpp units.
#pragma once
#include "../kernel_table.h"
#include "activations.h"
#include "gate_rows.h"
#include "matrix_vector_blocks.h"
#include "packed_gemm.h"

namespace rnnblas::vectorized {

template <class V>
KernelTable makeTable(const char* name) {
  KernelTable table;
  table.name = name;
  table.lanes = V::kLanes;
  table.panelWidth = 2 * V::kLanes;
  table.sixRowsTimesPanel = rowsTimesPanel<V, 6>;
  table.fourRowsTimesPanel = rowsTimesPanel<V, 4>;
  table.sixStoredRowsTimesPanel = storedRowsTimesPanel<V, 6>;
  table.fourStoredRowsTimesPanel = storedRowsTimesPanel<V, 4>;
  table.rowTimesPanels = rowTimesPanels<V>;
  table.eightRows = eightRows<V>;
  table.fourRowsTimesVectors[0] = fourRowsTimesVectors<V, 1>;
  table.fourRowsTimesVectors[1] = fourRowsTimesVectors<V, 2>;
  table.fourRowsTimesVectors[2] = fourRowsTimesVectors<V, 3>;
  table.oneRow = oneRow<V>;
  table.rnnTanhRow = rnnTanhRow<V>;
  table.rnnReluRow = rnnReluRow<V>;
  table.lstmRow = lstmRow<V>;
  table.gruRow = gruRow<V>;
  table.sigmoidArray = activateArray<V, sigmoid<V>>;
  table.tanhArray = activateArray<V, tanh<V>>;
  return table;
}

}  // namespace rnnblas::vectorized
