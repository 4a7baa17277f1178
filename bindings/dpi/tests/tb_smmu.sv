// SPDX-License-Identifier: Apache-2.0
// smmu-dpi-tb: the SMMU booted and used from SystemVerilog through the DPI-C
// shim. Memory is an SV associative array of 64-bit words behind the exports;
// the scenario is smmu-example's (IHI 0070 G.b 3.11 boot, StreamID 1 on
// stage 1, 4KB pages). Checks exact PAs and the exact F_TRANSLATION record
// (7.3.12) read from the event queue in SV memory; any mismatch is $fatal.
module tb_smmu;
  import smmu_dpi_pkg::*;

  longint unsigned mem[longint unsigned];  // 8-byte words by PA >> 3
  int irqs = 0;

  export "DPI-C" function smmu_sv_mem_read64;
  export "DPI-C" function smmu_sv_mem_write64;
  export "DPI-C" function smmu_sv_irq;

  function int smmu_sv_mem_read64(input longint unsigned pa, output longint unsigned data);
    if (pa >= 64'h100_0000) return 1;  // outside the 16 MB: external abort
    data = (mem.exists(pa >> 3) != 0) ? mem[pa >> 3] : 64'h0;
    return 0;
  endfunction

  function int smmu_sv_mem_write64(input longint unsigned pa, input longint unsigned data,
                                   input byte unsigned byte_en);
    longint unsigned old;
    if (pa >= 64'h100_0000) return 1;
    old = (mem.exists(pa >> 3) != 0) ? mem[pa >> 3] : 64'h0;
    for (int b = 0; b < 8; b++)
      if (byte_en[b]) old[b*8 +: 8] = data[b*8 +: 8];
    mem[pa >> 3] = old;
    return 0;
  endfunction

  function void smmu_sv_irq(input int line);
    irqs++;
  endfunction

  localparam longint unsigned STRTAB = 'h10000, CMDQ = 'h20000, EVTQ = 'h30000, CD0 = 'h40000;
  localparam longint unsigned L0 = 'h100000, L1 = 'h101000, L2 = 'h102000, L3 = 'h103000;
  // Stage-1 page: AF, inner shareable, AP = 0b01 (EL0 read/write), page descriptor.
  localparam longint unsigned S1_PAGE_EL0 = (1 << 10) | (3 << 8) | (1 << 6) | 3;

  chandle h;
  int n_xlate = 0, n_fault = 0;

  function automatic void w64(longint unsigned pa, longint unsigned v);
    mem[pa >> 3] = v;
  endfunction

  function automatic int unsigned r32(longint unsigned pa);
    longint unsigned w = (mem.exists(pa >> 3) != 0) ? mem[pa >> 3] : 64'h0;
    return pa[2] ? w[63:32] : w[31:0];
  endfunction

  function automatic void wr(longint unsigned off, longint unsigned v, int size);
    if (smmu_dpi_mmio_write(h, off, v, size) != 0) $fatal(1, "MMIO write 0x%0h refused", off);
  endfunction

  function automatic longint unsigned rd(longint unsigned off);
    longint unsigned v;
    if (smmu_dpi_mmio_read(h, off, 4, v) != 0) $fatal(1, "MMIO read 0x%0h refused", off);
    return v;
  endfunction

  function automatic void submit(longint unsigned w0, longint unsigned w1);
    longint unsigned prod = rd('h98);  // SMMU_CMDQ_PROD
    w64(CMDQ + (prod & 'hFF) * 16, w0);
    w64(CMDQ + (prod & 'hFF) * 16 + 8, w1);
    wr('h98, (prod + 1) & 'h1FF, 4);
  endfunction

  function automatic void expect_pa(longint unsigned va, bit write, longint unsigned want);
    longint unsigned pa;
    int outcome, ev;
    if (smmu_dpi_translate(h, 1, 0, 0, write, 0, 0, va, 64, pa, outcome, ev) != 0)
      $fatal(1, "translate refused");
    if (outcome != SMMU_XLATE_OK || pa != want)
      $fatal(1, "VA 0x%0h: outcome %0d PA 0x%0h, expected OK PA 0x%0h", va, outcome, pa, want);
    $display("VA 0x%08h -> PA 0x%08h", va, pa);
    n_xlate++;
  endfunction

  initial begin
    longint unsigned pa, cons, prod;
    int outcome, ev;
    int unsigned rec[8], taken[8];
    int unsigned want[8] = '{'h10, 1, 0, 'h208, 'h40002000, 0, 0, 0};

    h = smmu_dpi_create("", 0);
    if (h == null) $fatal(1, "smmu_dpi_create: %s", smmu_dpi_last_error());
    if (smmu_dpi_create("no-such-preset", 0) != null) $fatal(1, "bad preset accepted");
    begin : preset_mmu600
      // Any built-in preset's configuration (smmu_preset_get), not only default-v3.x.
      chandle p;
      p = smmu_dpi_create("mmu600", 0);
      if (p == null) $fatal(1, "smmu_dpi_create(mmu600): %s", smmu_dpi_last_error());
      smmu_dpi_destroy(p);
    end

    // Boot (3.11): stream table, CR1, queues, CMDQEN|EVENTQEN, CFGI_ALL, TLBI, SYNC, SMMUEN.
    wr('h80, STRTAB | (64'h1 << 62), 8);  // STRTAB_BASE, RA
    wr('h88, 8, 4);                        // STRTAB_BASE_CFG: linear, LOG2SIZE 8
    wr('h28, 0, 4);                        // CR1
    wr('h90, CMDQ | (64'h1 << 62) | 8, 8); // CMDQ_BASE
    wr('hA0, EVTQ | (64'h1 << 62) | 7, 8); // EVENTQ_BASE
    wr('h20, 'hC, 4);                      // CR0: EVENTQEN | CMDQEN
    submit('h04, 31);                      // CMD_CFGI_ALL (CFGI_STE_RANGE, Range 31)
    submit('h30, 0);                       // CMD_TLBI_NSNH_ALL
    submit('h46, 0);                       // CMD_SYNC
    wr('h20, 'hD, 4);                      // + SMMUEN
    if (rd('h24) != 'hD) $fatal(1, "CR0ACK 0x%0h", rd('h24));

    // StreamID 1: stage 1, CD0, 4KB tables L0..L3 mapping 0x40000000/0x40001000.
    w64(L0 + ((64'h40000000 >> 39) & 511) * 8, L1 | 3);
    w64(L1 + ((64'h40000000 >> 30) & 511) * 8, L2 | 3);
    w64(L2 + ((64'h40000000 >> 21) & 511) * 8, L3 | 3);
    w64(L3 + 0 * 8, 'h800000 | S1_PAGE_EL0);
    w64(L3 + 1 * 8, 'h801000 | S1_PAGE_EL0);
    // CD (5.4): T0SZ 16, EPD1, TG1 4KB, V, IPS 48-bit, AA64, R, A, ASID 7; TTB0; MAIR0.
    w64(CD0, 16 | (1 << 30) | (2 << 22) | (64'h1 << 31) | (64'h5 << 32) | (64'h1 << 41)
             | (64'h1 << 45) | (64'h1 << 46) | (64'h7 << 48));
    w64(CD0 + 8, L0);
    w64(CD0 + 24, 'hFF);
    w64(STRTAB + 64, 1 | (5 << 1) | CD0);  // STE 1: V, Config = S1
    submit('h03 | (64'h1 << 32), 0);        // CMD_CFGI_STE StreamID 1
    submit('h46, 0);

    expect_pa('h40000010, 0, 'h800010);
    expect_pa('h40000ff0, 1, 'h800ff0);
    expect_pa('h40001008, 0, 'h801008);

    // Unmapped page: abort, F_TRANSLATION, record in the event queue (7.3.12).
    if (smmu_dpi_translate(h, 1, 0, 0, 0, 0, 0, 'h40002000, 64, pa, outcome, ev) != 0)
      $fatal(1, "translate refused");
    if (outcome != SMMU_XLATE_ABORT || ev != SMMU_EVT_F_TRANSLATION)
      $fatal(1, "unmapped: outcome %0d event 0x%0h", outcome, ev);
    prod = rd('h100A8);
    cons = rd('h100AC);
    if (((prod - cons) & 'hFF) != 1) $fatal(1, "EVENTQ PROD 0x%0h CONS 0x%0h", prod, cons);
    for (int i = 0; i < 8; i++) rec[i] = r32(EVTQ + (cons & 'h7F) * 32 + 4 * i);
    for (int i = 0; i < 8; i++)
      if (rec[i] != want[i]) $fatal(1, "record word %0d: 0x%08h, expected 0x%08h", i, rec[i], want[i]);
    if (smmu_dpi_take_event(h, taken) != 1) $fatal(1, "no event taken");
    for (int i = 0; i < 8; i++)
      if (taken[i] != want[i]) $fatal(1, "taken word %0d: 0x%08h", i, taken[i]);
    if (smmu_dpi_take_event(h, taken) != 0) $fatal(1, "second event");
    wr('h100AC, (cons + 1) & 'hFF, 4);
    $display("event F_TRANSLATION record: %08h %08h %08h %08h %08h %08h %08h %08h",
             rec[0], rec[1], rec[2], rec[3], rec[4], rec[5], rec[6], rec[7]);
    n_fault++;

    smmu_dpi_destroy(h);
    $display("smmu-dpi-tb: %0d translations, %0d faults checked: PASS", n_xlate, n_fault);
    $finish;
  end
endmodule
