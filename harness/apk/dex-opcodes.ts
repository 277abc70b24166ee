// Dalvik instruction widths (16-bit code units) by opcode, from the Dalvik bytecode format
// table (source.android.com/docs/core/runtime/dalvik-bytecode). Unused opcodes are 1 unit (10x).
// The invoke opcodes carry a method index in their second code unit.

const W = new Uint8Array(256).fill(1);
const set = (from: number, to: number, width: number) => W.fill(width, from, to + 1);
set(0x02, 0x02, 2); // move/from16
set(0x03, 0x03, 3); // move/16
set(0x05, 0x05, 2);
set(0x06, 0x06, 3);
set(0x08, 0x08, 2);
set(0x09, 0x09, 3);
set(0x13, 0x13, 2); // const/16
set(0x14, 0x14, 3); // const
set(0x15, 0x16, 2); // const/high16, const-wide/16
set(0x17, 0x17, 3); // const-wide/32
set(0x18, 0x18, 5); // const-wide
set(0x19, 0x19, 2); // const-wide/high16
set(0x1a, 0x1a, 2); // const-string
set(0x1b, 0x1b, 3); // const-string/jumbo
set(0x1c, 0x1c, 2); // const-class
set(0x1f, 0x20, 2); // check-cast, instance-of
set(0x22, 0x23, 2); // new-instance, new-array
set(0x24, 0x26, 3); // filled-new-array(/range), fill-array-data
set(0x29, 0x29, 2); // goto/16
set(0x2a, 0x2c, 3); // goto/32, packed-switch, sparse-switch
set(0x2d, 0x3d, 2); // cmp*, if-*
set(0x44, 0x6d, 2); // aget/aput, iget/iput, sget/sput
set(0x6e, 0x72, 3); // invoke-kind
set(0x74, 0x78, 3); // invoke-kind/range
set(0x90, 0xaf, 2); // binop
set(0xd0, 0xe2, 2); // binop/lit16, binop/lit8
set(0xfa, 0xfb, 4); // invoke-polymorphic(/range)
set(0xfc, 0xfd, 3); // invoke-custom(/range): a call site index, not a method
set(0xfe, 0xff, 2); // const-method-handle, const-method-type

export const OPCODE_WIDTH: Readonly<Uint8Array> = W;

/** Opcodes whose second code unit is a method_ids index. */
export function invokesMethod(op: number): boolean {
  return (op >= 0x6e && op <= 0x72) || (op >= 0x74 && op <= 0x78) || op === 0xfa || op === 0xfb;
}

/** Width of a pseudo-instruction payload at code[at] (a nop whose high byte names it), or 0. */
export function payloadWidth(code: Uint16Array, at: number): number {
  const ident = code[at] ?? 0;
  if (ident === 0x0100) return (code[at + 1] ?? 0) * 2 + 4; // packed-switch-payload
  if (ident === 0x0200) return (code[at + 1] ?? 0) * 4 + 2; // sparse-switch-payload
  if (ident === 0x0300) {
    // fill-array-data-payload: element_width, size (u32), then size*width bytes (padded to units)
    const width = code[at + 1] ?? 0;
    const size = (code[at + 2] ?? 0) + (code[at + 3] ?? 0) * 0x10000;
    return Math.floor((size * width + 1) / 2) + 4;
  }
  return 0;
}
