"""Prints the table DTypePromotionSuite checks: result dtype and values of PyTorch ops on every pair of dtypes and
operand kinds. Run once with PyTorch (2.13 was used) and paste the output into the suite's TABLE text block. With
--half it prints HalfPrecisionSuite's HALF_TABLE instead: the same rows for the pairs that involve float16 or bfloat16.

Operands: x is a tensor [3] (kind T) or a zero-dim tensor (Z); y is a tensor [3] (T), zero-dim (Z) or a Python scalar
(S: 2.5 for float64, 2 for int64, True for bool, standing for a Java double, long or boolean).
Row: op|xdtype:kind|ydtype:kind|result dtype or 'error'|values (row-major, bool as 1/0)
"""
import math
import sys
import torch

HALF = "--half" in sys.argv[1:]
DTYPES = {"bool": torch.bool, "int32": torch.int32, "int64": torch.int64, "float32": torch.float32, "float64": torch.float64}
HALVES = ("float16", "bfloat16")
if HALF:
    DTYPES.update({"float16": torch.float16, "bfloat16": torch.bfloat16})
X = [3, 0, -5]
Y = [2, -4, 1]
SCALARS = {"float64": 2.5, "int64": 2, "bool": True}


def operand(name, kind, values):
    dt = DTYPES[name]
    if kind == "T":
        return torch.tensor(values, dtype=torch.float64).to(dt)
    if kind == "Z":
        return torch.tensor(2, dtype=torch.float64).to(dt)
    return SCALARS[name]


OPS = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y,
    "floor_divide": lambda x, y: torch.floor_divide(x, y),
    "remainder": lambda x, y: torch.remainder(x, y),
    "maximum": lambda x, y: torch.maximum(x, y),
    "minimum": lambda x, y: torch.minimum(x, y),
    "eq": lambda x, y: torch.eq(x, y),
    "ne": lambda x, y: torch.ne(x, y),
    "lt": lambda x, y: torch.lt(x, y),
    "le": lambda x, y: torch.le(x, y),
    "gt": lambda x, y: torch.gt(x, y),
    "ge": lambda x, y: torch.ge(x, y),
    "where": lambda x, y: torch.where(torch.tensor([True, False, True]), x, y),
}
# ops jgrad offers with a Java scalar as y: arithmetic and comparisons with double and long, eq/ne also with boolean
SCALAR_OK = {"add": ("float64", "int64"), "sub": ("float64", "int64"), "mul": ("float64", "int64"),
             "div": ("float64", "int64"), "floor_divide": ("float64", "int64"), "remainder": ("float64", "int64"),
             "eq": ("float64", "int64", "bool"), "ne": ("float64", "int64", "bool"), "lt": ("float64", "int64"),
             "le": ("float64", "int64"), "gt": ("float64", "int64"), "ge": ("float64", "int64"), "where": ("float64",)}


def fmt(v):
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return repr(v)
    return str(v)


for op, f in OPS.items():
    for xn in DTYPES:
        for xk in ("T", "Z"):
            for yn in DTYPES:
                for yk in ("T", "Z", "S"):
                    if yk == "S" and yn not in SCALAR_OK.get(op, ()):
                        continue
                    if xk == "Z" and yk != "T":
                        continue  # zero-dim with zero-dim or scalar: covered by the kinds above enough
                    if HALF and xn not in HALVES and yn not in HALVES:
                        continue  # in TABLE
                    x = operand(xn, xk, X)
                    y = operand(yn, yk, Y)
                    try:
                        r = f(x, y)
                        dt = str(r.dtype).replace("torch.", "")
                        vals = r.reshape(-1).tolist()
                        if r.dtype in (torch.float32, torch.float16, torch.bfloat16):
                            vals = [float(v) for v in vals]
                        line = f"{op}|{xn}:{xk}|{yn}:{yk}|{dt}|" + ",".join(fmt(v) for v in vals)
                    except Exception:
                        line = f"{op}|{xn}:{xk}|{yn}:{yk}|error|"
                    print(line)
