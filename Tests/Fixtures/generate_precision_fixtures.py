"""Reference data for BFloat16 conversion and Float16 rounding (precision.json).

torch's float32 -> bfloat16 cast rounds to nearest, ties to even, and keeps
subnormals; numpy's float32 -> float16 cast does the same for binary16. The
inputs are random float32 bit patterns over the whole finite range, values
near bfloat16 rounding ties, subnormals, and the overflow boundary.

Run: python Tests/Fixtures/generate_precision_fixtures.py
"""
import json
import numpy as np
import torch

rng = np.random.default_rng(20261130)
bits = list(rng.integers(0, 2**32, size=1500, dtype=np.uint64).astype(np.uint32))
# Exact ties (low 16 bits 0x8000) with even and odd kept parts, and neighbours.
for top in rng.integers(0, 0x7F7F, size=150):
    for low in (0x7FFF, 0x8000, 0x8001):
        for sign in (0, 0x8000_0000):
            bits.append(np.uint32(sign | (int(top) << 16) | low))
# Subnormals, zero, the largest finite bfloat16 and just beyond.
bits += [np.uint32(b) for b in (0, 0x8000_0000, 1, 0x0000_8000, 0x0001_8000, 0x007F_FFFF,
                                0x7F7F_0000, 0x7F7F_7FFF, 0x7F7F_8000, 0x7F7F_FFFF, 0x7F80_0000, 0xFF80_0000)]
f32 = np.array(bits, dtype=np.uint32).view(np.float32)
finite = np.isfinite(f32)
f32 = f32[finite]
bf16 = torch.from_numpy(f32.copy()).to(torch.bfloat16).view(torch.int16).numpy().astype(np.uint16)
# Float16: values in its range, rounded by numpy.
f16_in = f32[np.abs(f32) < 70000]
f16 = f16_in.astype(np.float16).view(np.uint16)
out = {
    "generator": "Tests/Fixtures/generate_precision_fixtures.py",
    "versions": {"torch": torch.__version__, "numpy": np.__version__},
    "reference": "torch.from_numpy(x).to(torch.bfloat16); x.astype(np.float16)",
    "bfloat16": {"float32Bits": [int(b) for b in f32.view(np.uint32)], "bfloat16Bits": [int(b) for b in bf16]},
    "float16": {"float32Bits": [int(b) for b in f16_in.view(np.uint32)], "float16Bits": [int(b) for b in f16]},
}
with open(__file__.replace("generate_precision_fixtures.py", "precision.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print(len(out["bfloat16"]["float32Bits"]), "bfloat16 cases,", len(out["float16"]["float32Bits"]), "float16 cases")
