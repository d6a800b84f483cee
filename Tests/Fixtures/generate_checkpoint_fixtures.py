#!/usr/bin/env python3
"""Writes the checkpoint format samples in Tests/Fixtures, independently of the
Swift code, from the format's specification (Sources/Optimisers/State/
CheckpointBinaryFormat.swift and Checkpoint.swift):

- checkpoint-v0-adam.json: format version 0, a bare Adam state as
  `JSONEncoder().encode(state)` wrote it before checkpoints existed.
- checkpoint-v1-adam.json: format version 1 as JSON.
- checkpoint-v1-adam.bin: the same checkpoint in the binary encoding
  (magic, version, length, tagged payload, CRC-32).

Standard library only; deterministic (byte-identical on every run).
"""
import json
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))

# Adam<Tensor<Double>>(learningRate: 0.01) after two steps on a 2-vector.
STEP = 2
FIRST = [0.1, -0.2]
SECOND = [0.001, 0.004]
PARAMS = [1.0, -1.0]
HYPER = [("learningRate", 0.01), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8), ("decay", 0.0)]


def tensor(values):
    return {"shape": [len(values)], "scalars": values}


state = {"rule": "Adam", "step": STEP, "firstMoment": tensor(FIRST), "secondMoment": tensor(SECOND)}
checkpoint = {
    "formatVersion": 1,
    "optimiser": {
        "name": "Adam",
        "hyperparameters": [{"name": n, "value": v} for n, v in HYPER],
        "components": [],
    },
    "step": STEP,
    "leaves": [{"name": "value", "shape": [2]}],
    "scalarType": "Double",
    "state": state,
    "parameters": [PARAMS],
}

# ---- The binary encoding: a tagged tree, objects with sorted keys, arrays of
# floats packed as raw little-endian IEEE doubles.
NULL, FALSE, TRUE, INTEGER, UNSIGNED, FLOAT, DOUBLE, STRING, ARRAY, OBJECT, FLOATS, DOUBLES = range(12)


def u64(n):
    return struct.pack("<Q", n)


def string(s):
    b = s.encode("utf-8")
    return u64(len(b)) + b


def node(value):
    if isinstance(value, bool):
        return bytes([TRUE if value else FALSE])
    if isinstance(value, int):
        return bytes([INTEGER]) + struct.pack("<q", value)
    if isinstance(value, float):
        return bytes([DOUBLE]) + struct.pack("<d", value)
    if isinstance(value, str):
        return bytes([STRING]) + string(value)
    if isinstance(value, list):
        if value and all(isinstance(x, float) for x in value):
            return bytes([DOUBLES]) + u64(len(value)) + b"".join(struct.pack("<d", x) for x in value)
        return bytes([ARRAY]) + u64(len(value)) + b"".join(node(x) for x in value)
    if isinstance(value, dict):
        out = bytes([OBJECT]) + u64(len(value))
        for key in sorted(value):
            out += string(key) + node(value[key])
        return out
    raise TypeError(value)


def binary(tree, version):
    payload = node(tree)
    head = bytes([0x89]) + b"OPTCKPT" + struct.pack("<I", version) + u64(len(payload)) + payload
    return head + struct.pack("<I", zlib.crc32(head) & 0xFFFFFFFF)


def write_json(name, value):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


write_json("checkpoint-v0-adam.json", state)
write_json("checkpoint-v1-adam.json", checkpoint)
with open(os.path.join(HERE, "checkpoint-v1-adam.bin"), "wb") as f:
    f.write(binary(checkpoint, 1))
print("wrote checkpoint-v0-adam.json, checkpoint-v1-adam.json, checkpoint-v1-adam.bin")
