"""Writes PyTorch's float32 -> float16 / bfloat16 rounding for tricky float32 values, one line each:
float32 bits, float16 bits, bfloat16 bits (hex). HalfFloatTest reads the committed output:
    /work/main/.venv-peers/bin/python scripts/reference/half_conversions.py > engine-api/src/test/resources/io/jgrad/torch-half-conversions.txt
"""
import random
import struct

import torch


def f32(bits):
    return struct.unpack('<f', struct.pack('<I', bits & 0xffffffff))[0]


values = set()
# float16: around every power of two, the overflow threshold, the subnormal range and its edges
for e in range(-30, 17):
    for m in (1.0, 1.5, 1.0009765625, 1.00048828125, 1.99951171875):
        values.add(m * 2.0 ** e)
for b in (0x477fe000, 0x477ff000, 0x477fefff, 0x477ff001, 0x47800000, 0x38800000, 0x387fffff, 0x387fe000,
          0x33000000, 0x33000001, 0x32ffffff, 0x33800000, 0x33c00000, 0x33c00001, 0x00000001, 0x007fffff, 0x7f7fffff,
          0x7f800000, 0x7fc00000, 0x3f801000, 0x3f803000, 0x3f801001, 0x3f802fff, 0x3f808000, 0x3f818000, 0x3f807fff,
          0x3f817fff, 0x3f808001, 0x7f7f8000, 0x7f7f7fff, 0x7f7fc000):
    values.add(f32(b))
rnd = random.Random(17)
fp16 = torch.arange(0, 0x7c00, dtype=torch.int32).to(torch.int16).view(torch.float16).float()
for _ in range(500):  # midpoints between float16 neighbours and one float32 ulp either side
    i = rnd.randrange(0, 0x7bff)
    mid = (fp16[i].double() + fp16[i + 1].double()) / 2
    bits = struct.unpack('<I', struct.pack('<f', float(mid)))[0]
    for d in (-1, 0, 1):
        values.add(f32(bits + d))
for _ in range(500):  # bfloat16 midpoints (bit 15 set, lower bits clear) and neighbours
    hi = rnd.randrange(0, 0x7f80)
    bits = (hi << 16) | 0x8000
    for d in (-1, 0, 1):
        values.add(f32(bits + d))
for _ in range(500):  # random bit patterns
    values.add(f32(rnd.getrandbits(32)))
values = sorted({v for v in values} | {-v for v in values}, key=lambda v: (v != v, v if v == v else 0))
x = torch.tensor(values, dtype=torch.float32)
xb = x.view(torch.int32).tolist()
hb = x.to(torch.float16).view(torch.int16).tolist()
bb = x.to(torch.bfloat16).view(torch.int16).tolist()
print('# float32 -> float16, bfloat16 as PyTorch %s rounds them (bits in hex); from scripts/reference/half_conversions.py'
      % torch.__version__)
for a, h, b in zip(xb, hb, bb):
    print('%08x %04x %04x' % (a & 0xffffffff, h & 0xffff, b & 0xffff))
