// SPDX-License-Identifier: Apache-2.0
// SystemVerilog side of the DPI-C shim smmu_dpi.c (docs/bindings.md, "DPI").
// Imports that can reach the SMMU's memory or interrupt callbacks (and so the
// SV exports smmu_sv_mem_read64/smmu_sv_mem_write64/smmu_sv_irq, which the
// module using this package defines) are context imports (IEEE 1800-2017
// 35.5.3). The int imports return 0 or an smmu_status_t (-1 INVAL, -2 CONFIG,
// -3 NOMEM).
package smmu_dpi_pkg;
  // preset "" = default-v3.2; mem_bytes > 0: memory inside C, 0: SV exports.
  import "DPI-C" context function chandle smmu_dpi_create(input string preset,
                                                          input longint unsigned mem_bytes);
  import "DPI-C" function string smmu_dpi_last_error();
  import "DPI-C" context function void smmu_dpi_destroy(input chandle h);
  import "DPI-C" context function int smmu_dpi_mmio_write(input chandle h,
      input longint unsigned off, input longint unsigned val, input int size);
  import "DPI-C" context function int smmu_dpi_mmio_read(input chandle h,
      input longint unsigned off, input int size, output longint unsigned val);
  import "DPI-C" context function int smmu_dpi_translate(input chandle h, input int unsigned sid,
      input bit ssv, input int unsigned ssid, input bit write, input bit instr, input bit priv,
      input longint unsigned addr, input int unsigned size, output longint unsigned pa,
      output int outcome, output int event_type);
  // 1 if an event (seen by the SMMU's on_event observer) was taken into rec.
  import "DPI-C" function int smmu_dpi_take_event(input chandle h, output int unsigned rec[8]);
  import "DPI-C" function int smmu_dpi_mem_write64(input chandle h, input longint unsigned pa,
                                                   input longint unsigned data);
  import "DPI-C" function int smmu_dpi_mem_read64(input chandle h, input longint unsigned pa,
                                                  output longint unsigned data);

  // smmu_outcome_t and the event types the testbench checks (smmu.h).
  localparam int SMMU_XLATE_OK = 0;
  localparam int SMMU_XLATE_ABORT = 1;
  localparam int SMMU_EVT_F_TRANSLATION = 'h10;
endpackage
